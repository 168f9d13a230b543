/** A report as Markdown (CommonMark with GFM tables): for review in a pull request, a wiki or a mail. */
import type { Language } from '../i18n/index.ts';
import type { ReportMeasure, ReportModel } from './model.ts';
import { type ReportText, reportText } from './text.ts';

/** Text safe in a table cell or a line: no pipe, no line break, Markdown's own marks escaped. */
const cell = (s: string | number | null | undefined) =>
  String(s ?? '—')
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/([\\|*_`~[\]<>#])/g, '\\$1');

function table(head: string[], rows: Array<Array<string | number | null | undefined>>): string[] {
  if (rows.length === 0) return [];
  return [
    `| ${head.map(cell).join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
  ];
}

function measureBlock(m: ReportMeasure, x: ReportText): string[] {
  const out = [
    `#### ${cell(m.code)} ${cell(x.measureTitle(m))}${m.illustrative ? ` (${x.t('rpt.illustrative')})` : ''}`,
    '',
    `- ${x.t('rpt.status')}: ${x.t(`status.${m.declared}`)} (${x.t('rpt.derived')}: ${x.t(`status.${m.derived}`)})`,
    `- ${x.t('rpt.owner')}: ${cell(m.owner)}`,
    `- ${x.t('rpt.committed')}: ${x.date(m.committed)}`,
    '',
    ...table(
      [x.t('rpt.milestone'), x.t('rpt.baseline'), x.t('rpt.planned'), x.t('rpt.actual'), x.t('rpt.slip')],
      m.milestones.map((ms) => [
        `${ms.code} ${ms.title}${ms.late ? ` (${x.t('rpt.late')})` : ''}`,
        x.date(ms.baseline),
        x.date(ms.planned),
        ms.actual ? x.date(ms.actual) : '—',
        x.shift(ms.slipDays),
      ]),
    ),
  ];
  const replans = m.milestones.flatMap((ms) => ms.replansSince.map((r) => ({ ms, r })));
  if (replans.length > 0) {
    out.push(`${x.t('rpt.replans')}:`, '');
    for (const { ms, r } of replans)
      out.push(
        `- ${cell(ms.code)}: ${cell(
          x.t('rpt.replan', {
            on: x.date(r.on),
            from: x.date(r.from),
            to: x.date(r.to),
            days: x.shift(r.days),
            reason: r.reason,
          }),
        )}`,
      );
    out.push('');
  }
  if (m.verifications.length > 0) {
    out.push(`${x.t('rpt.verifications')}:`, '');
    out.push(
      ...table(
        [x.t('rpt.method'), x.t('rpt.performed'), x.t('rpt.result'), x.t('rpt.evidence')],
        m.verifications.map((v) => [
          `${v.code}: ${v.method}${v.followUpMeasure ? ` — ${x.t('rpt.followUp', { measure: v.followUpMeasure })}` : ''}`,
          v.performedOn ? x.date(v.performedOn) : x.t('rpt.notYet'),
          v.result ? x.t(`result.${v.result}`) : '—',
          v.evidence,
        ]),
      ),
    );
  }
  if (m.evidence.length > 0) {
    out.push(`${x.t('rpt.evidence')}:`, '');
    for (const e of m.evidence) out.push(`- ${cell(e.code)}: ${cell(e.filename)} (SHA-256 \`${e.sha256}\`)`);
    out.push('');
  }
  return out;
}

export function renderMarkdown(model: ReportModel, lang: Language): string {
  const x = reportText(model, lang);
  const d = model.directive;
  const byCode = new Map(model.measures.map((m) => [m.code, m]));
  const lines: string[] = [
    `# ${x.t('rpt.title')}`,
    '',
    `**${cell(x.name(model.organization))}**`,
    '',
    `${cell(x.t('rpt.subtitle', { directive: `${d.code} — ${x.directiveTitle}`, issuer: x.name(d.issuer), issuedOn: x.date(d.issuedOn) }))}  `,
    ...(d.reference ? [`${cell(x.t('rpt.reference', { reference: d.reference }))}  `] : []),
    `${x.t('rpt.asOf', { date: x.date(model.asOf) })}  `,
    ...(d.reportDue ? [`${x.t('rpt.due', { date: x.date(d.reportDue) })}`] : []),
    // The program's own cover text, its line breaks kept.
    ...(x.cover ? ['', x.cover.split('\n').map(cell).join('  \n')] : []),
    '',
    `## ${x.t('rpt.contents')}`,
    '',
    ...x.sections.map((s) => `- [${s.title}](#${s.id})`),
    '',
  ];
  const heading = (id: string) => {
    const s = x.sections.find((v) => v.id === id)!;
    lines.push(`<a id="${id}"></a>`, '', `## ${s.title}`, '');
  };

  heading('items');
  for (const item of model.items) {
    const level = '#'.repeat(Math.min(3 + item.depth, 6));
    lines.push(`${level} ${cell(item.label ?? item.code)} ${cell(x.itemText(item))}`, '');
    if (item.measures.length === 0) lines.push(`_${x.t('rpt.noMeasures')}_`, '');
    else lines.push(...item.measures.map((c) => `- ${cell(c)} ${cell(x.measureTitle(byCode.get(c)!))}`), '');
  }
  for (const m of model.measures) lines.push(...measureBlock(m, x));

  heading('changes');
  lines.push(
    model.previous === null
      ? x.t('rpt.noPrevious')
      : x.t(model.previous.kind === 'report' ? 'rpt.previousReport' : 'rpt.previousDue', {
          directive: model.previous.directive,
          date: x.date(model.previous.asOf),
        }),
    '',
  );
  if (model.previous && model.changes.length === 0) lines.push(x.t('rpt.noChanges'), '');
  for (const c of model.changes) {
    lines.push(`- **${x.t(`rpt.changeKind.${c.kind}`)}**: ${cell(x.change(c))}`);
    if ('reasons' in c) for (const r of c.reasons) lines.push(`  - ${x.t('rpt.reason')}: ${cell(r)}`);
    if (c.kind === 'decision' && c.reason) lines.push(`  - ${x.t('rpt.reason')}: ${cell(c.reason)}`);
  }
  lines.push('');

  heading('plan');
  lines.push(
    ...table(
      [
        x.t('rpt.measure'),
        x.t('rpt.milestone'),
        x.t('rpt.baseline'),
        x.t('rpt.planned'),
        x.t('rpt.actual'),
        x.t('rpt.slip'),
      ],
      model.measures.flatMap((m) =>
        m.milestones.map((ms) => [
          m.code,
          `${ms.code} ${ms.title}${ms.late ? ` (${x.t('rpt.late')})` : ''}`,
          x.date(ms.baseline),
          x.date(ms.planned),
          ms.actual ? x.date(ms.actual) : '—',
          x.shift(ms.slipDays),
        ]),
      ),
    ),
  );

  heading('relationships');
  if (model.relationships.length === 0) lines.push(x.t('rpt.noRelationships'), '');
  lines.push(
    ...table(
      [
        x.t('rpt.relationship'),
        x.t('rpt.provider'),
        x.t('rpt.scope'),
        x.t('rpt.decision'),
        x.t('rpt.decidedOn'),
        x.t('rpt.byWhen'),
        x.t('rpt.carriedBy'),
        x.t('rpt.reason'),
      ],
      model.relationships.map((r) => [
        `${r.code} ${r.title}`,
        x.name(r.provider),
        x.t(`scope.${r.scope}`),
        x.t(`decision.${r.decision}`),
        r.decidedOn ? x.date(r.decidedOn) : '—',
        r.targetDate ? x.date(r.targetDate) : '—',
        r.measures.join(', '),
        r.reason,
      ]),
    ),
  );

  heading('governance');
  lines.push(
    ...table(
      [x.t('rpt.measure'), x.t('rpt.status'), x.t('rpt.committed')],
      model.governance.map((c) => {
        const m = byCode.get(c)!;
        return [`${c} ${x.measureTitle(m)}`, x.t(`status.${m.derived}`), x.date(m.committed)];
      }),
    ),
  );

  heading('damage');
  const anyDamage = model.damage.some((d) => d.records.length > 0 || d.monthly.length > 0);
  if (!anyDamage) lines.push(x.t('rpt.noDamage'), '');
  for (const dmg of model.damage) {
    lines.push(`### ${cell(dmg.incident)} ${cell(dmg.title)}`, '');
    lines.push(
      ...table(
        [x.t('rpt.category'), x.t('rpt.count'), x.t('rpt.status'), x.t('rpt.countedOn')],
        dmg.records.map((r) => [
          r.category,
          r.count.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB'),
          x.t(`recordStatus.${r.status}`),
          x.date(r.asOf),
        ]),
      ),
      ...table(
        [x.t('rpt.month'), x.t('rpt.kind'), x.t('rpt.reports'), x.t('rpt.count')],
        dmg.monthly.map((r) => [r.month, x.t(`damage.${r.kind}`), r.reports, r.count]),
      ),
    );
  }

  heading('findings');
  if (model.findings.length === 0) lines.push(x.t('rpt.noFindings'), '');
  else
    lines.push(
      ...table(
        [x.t('rpt.severity'), x.t('rpt.finding')],
        model.findings.map((f) => [x.t(`severity.${f.severity}`), x.finding(f)]),
      ),
    );
  lines.push(
    '---',
    '',
    `_${cell(x.t('rpt.generated', { program: model.program.code, date: x.date(model.asOf) }))}_`,
    '',
  );
  return lines.join('\n');
}
