/**
 * The report model as the data a program's DOCX template is filled with: every name of the
 * vocabulary (`template-vocabulary.ts`), worded in the report's language by `reportText`, as the
 * other formats word it. Pure.
 */
import type { Language } from '../i18n/index.ts';
import type { ReportMeasure, ReportMilestone, ReportModel } from './model.ts';
import { HEADINGS, LABELS } from './template-vocabulary.ts';
import { type ReportText, reportText } from './text.ts';

type Data = Record<string, unknown>;

function milestoneData(x: ReportText, m: ReportMeasure, ms: ReportMilestone): Data {
  return {
    code: ms.code,
    title: ms.title,
    measure: m.code,
    measureTitle: x.measureTitle(m),
    baseline: x.date(ms.baseline),
    planned: x.date(ms.planned),
    actual: ms.actual ? x.date(ms.actual) : '—',
    slip: x.shift(ms.slipDays),
    late: ms.late,
  };
}

function measureData(x: ReportText, m: ReportMeasure, byCode: Map<string, ReportMeasure>): Data {
  const { t, date, shift } = x;
  return {
    code: m.code,
    title: x.measureTitle(m),
    category: t(`category.${m.category}`),
    kind: t(`kind.${m.kind}`),
    owner: m.owner ?? '—',
    status: t(`status.${m.declared}`),
    derived: t(`status.${m.derived}`),
    committed: date(m.committed),
    statusLine: t('rpt.docx.measureStatus', {
      declared: t(`status.${m.declared}`),
      derived: t(`status.${m.derived}`),
      owner: m.owner ?? '—',
      committed: date(m.committed),
    }),
    illustrative: m.illustrative,
    milestones: m.milestones.map((ms) => milestoneData(x, m, ms)),
    replans: m.milestones.flatMap((ms) =>
      ms.replansSince.map((r) => ({
        milestone: ms.code,
        on: date(r.on),
        from: date(r.from),
        to: date(r.to),
        shift: shift(r.days),
        reason: r.reason,
        sentence: `${ms.code}  ${t('rpt.replan', { on: date(r.on), from: date(r.from), to: date(r.to), days: shift(r.days), reason: r.reason })}`,
      })),
    ),
    verifications: m.verifications.map((v) => {
      const follow = v.followUpMeasure ? byCode.get(v.followUpMeasure) : undefined;
      return {
        code: v.code,
        method: v.method,
        planned: date(v.plannedOn),
        performed: v.performedOn ? date(v.performedOn) : t('rpt.notYet'),
        result: v.result ? t(`result.${v.result}`) : t('rpt.notYet'),
        evidence: v.evidence ?? '—',
        followUp: v.followUpMeasure
          ? t('rpt.followUp', {
              measure: follow ? `${v.followUpMeasure} ${x.measureTitle(follow)}` : v.followUpMeasure,
            })
          : '',
      };
    }),
    evidence: m.evidence.map((e) => ({ target: e.code, filename: e.filename, sha256: e.sha256 })),
  };
}

/** One paragraph of figures, for a template's opening. */
function summaryOf(model: ReportModel, x: ReportText): string {
  const milestones = model.measures.flatMap((m) => m.milestones);
  return x.t('rpt.tpl.summary', {
    items: model.items.length,
    measures: model.measures.length,
    milestones: milestones.length,
    done: milestones.filter((m) => m.actual !== null).length,
    late: milestones.filter((m) => m.late).length,
    changes: model.changes.length,
    findings: model.findings.length,
  });
}

export function templateData(model: ReportModel, lang: Language): Data {
  const x = reportText(model, lang);
  const { t, date, name } = x;
  const d = model.directive;
  const byCode = new Map(model.measures.map((m) => [m.code, m]));
  // One object per measure, shared by every list that shows it.
  const measures = new Map(model.measures.map((m) => [m.code, measureData(x, m, byCode)]));
  const p = model.previous;
  const locale = lang === 'ja' ? 'ja-JP' : 'en-GB';
  const number = new Intl.NumberFormat(locale);
  const monthFormat = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: lang === 'ja' ? 'long' : 'short',
  });
  const month = (ym: string) => {
    const [y, m] = ym.split('-').map(Number) as [number, number];
    return monthFormat.format(new Date(Date.UTC(y, m - 1, 1)));
  };
  return {
    title: t('rpt.title'),
    organization: name(model.organization),
    program: model.program.code,
    programName: lang === 'ja' && model.program.nameJa ? model.program.nameJa : model.program.name,
    directive: d.code,
    directiveTitle: x.directiveTitle,
    issuer: name(d.issuer),
    issuedOn: date(d.issuedOn),
    reference: d.reference ?? '',
    subtitle: t('rpt.subtitle', { directive: d.code, issuer: name(d.issuer), issuedOn: date(d.issuedOn) }),
    asOf: date(model.asOf),
    asOfLine: t('rpt.asOf', { date: date(model.asOf) }),
    reportDue: d.reportDue ? date(d.reportDue) : '—',
    cover: x.cover,
    summary: summaryOf(model, x),
    previous: !p
      ? t('rpt.noPrevious')
      : t(p.kind === 'report' ? 'rpt.previousReport' : 'rpt.previousDue', {
          directive: p.directive,
          date: date(p.asOf),
        }),
    generated: t('rpt.generated', { program: model.program.code, date: date(model.asOf) }),
    ...Object.fromEntries(Object.entries(HEADINGS).map(([k, key]) => [k, t(key)])),
    ...Object.fromEntries(Object.entries(LABELS).map(([k, key]) => [k, t(key)])),
    items: model.items.map((i, index) => ({
      code: i.code,
      label: i.label ?? '',
      text: x.itemText(i),
      heading: i.label ? `${i.label} ${x.itemText(i)}` : x.itemText(i),
      depth: String(i.depth),
      bullet: i.depth > 0,
      // An item with bullets is answered under its bullets.
      unanswered: i.measures.length === 0 && (model.items[index + 1]?.depth ?? -1) <= i.depth,
      measures: i.measures.map((c) => measures.get(c)).filter((m) => m !== undefined),
    })),
    measures: [...measures.values()],
    milestones: model.measures.flatMap((m) => m.milestones.map((ms) => milestoneData(x, m, ms))),
    changes: model.changes.map((c) => {
      const reasons = 'reasons' in c ? c.reasons : c.kind === 'decision' && c.reason ? [c.reason] : [];
      return {
        kind: t(`rpt.changeKind.${c.kind}`),
        text: x.change(c),
        reasons: reasons.map((reason) => ({ reason })),
      };
    }),
    relationships: model.relationships.map((r) => ({
      code: r.code,
      title: r.title,
      provider: name(r.provider),
      scope: t(`scope.${r.scope}`),
      decision: t(`decision.${r.decision}`),
      decidedOn: r.decidedOn ? date(r.decidedOn) : '—',
      byWhen: r.targetDate ? date(r.targetDate) : '—',
      reason: r.reason ?? '—',
      measureCodes: r.measures.join(', '),
      systemCodes: r.systems.join(', '),
    })),
    governance: model.governance.map((c) => measures.get(c)).filter((m) => m !== undefined),
    damage: model.damage
      .filter((g) => g.records.length > 0 || g.monthly.length > 0)
      .map((g) => ({
        incident: g.incident,
        title: g.title,
        records: g.records.map((r) => ({
          category: r.category,
          count: number.format(r.count),
          status: t(`recordStatus.${r.status}`),
          countedOn: date(r.asOf),
        })),
        monthly: g.monthly.map((r) => ({
          month: month(r.month),
          kind: t(`damage.${r.kind}`),
          reports: number.format(r.reports),
          count: r.count === null ? '—' : number.format(r.count),
        })),
      })),
    findings: model.findings.map((f) => ({
      code: f.code,
      severity: t(`severity.${f.severity}`),
      text: x.finding(f),
      error: f.severity === 'error',
    })),
  };
}
