/**
 * The report model: what a report to the regulator says, built from the program as known at the
 * end of the report's day, before any format is chosen. It answers one directive item by item, in
 * the directive's own order; it states the outsourcing decisions, the governance measures, the
 * secondary-damage figures and — honestly — the lint findings still open; and it marks what changed
 * since the previous report. Pure: every renderer (HTML, Markdown, PDF, DOCX, OSCAL) reads only this.
 */
import { programAsOf } from '../domain/as-of.ts';
import { regulatedGroup } from '../domain/control.ts';
import { type CalendarDate, daysBetween } from '../domain/dates.ts';
import { exposureTimeline, type PlanView } from '../domain/exposure.ts';
import type { Finding } from '../domain/lint/index.ts';
import type { DirectiveItemInput, MeasureInput, ProgramFile } from '../domain/program-file/schema.ts';
import { baselineOf, decisionAsOf } from '../domain/schedule.ts';
import { analyzeSchedule, type DerivedStatus } from '../domain/schedule-analysis.ts';
import type { Decision, MeasureStatus, VerificationResult } from '../domain/vocab.ts';
import { changesBetween, type ReportChange } from './changes.ts';

export interface Named {
  code: string;
  name: string;
  nameJa?: string | undefined;
}

export interface ReportReplan {
  on: CalendarDate;
  from: CalendarDate | null;
  to: CalendarDate | null;
  /** to − from in days; negative when brought forward. */
  days: number | null;
  reason: string;
  by?: string | undefined;
}

export interface ReportMilestone {
  code: string;
  title: string;
  baseline: CalendarDate | null;
  planned: CalendarDate | null;
  actual: CalendarDate | null;
  /** planned − baseline in days (negative: brought forward). */
  slipDays: number | null;
  late: boolean;
  /** Re-plans made since the previous report, each with its reason. */
  replansSince: ReportReplan[];
}

export interface ReportVerification {
  code: string;
  method: string;
  plannedOn: CalendarDate | null;
  performedOn: CalendarDate | null;
  result: VerificationResult | null;
  evidence: string | null;
  followUpMeasure: string | null;
}

export interface ReportMeasure {
  code: string;
  title: string;
  titleJa?: string | undefined;
  category: MeasureInput['category'];
  kind: MeasureInput['kind'];
  owner: string | null;
  declared: MeasureStatus;
  derived: DerivedStatus;
  /** The last planned date of its milestones. */
  committed: CalendarDate | null;
  milestones: ReportMilestone[];
  verifications: ReportVerification[];
  /** Files attached as evidence of completion (measure, milestone or verification). */
  evidence: Array<{ code: string; filename: string; sha256: string }>;
  illustrative: boolean;
}

export interface ReportItem {
  code: string;
  label: string | null;
  text: string;
  textJa: string | null;
  /** 0 for an item, 1 for its bullets, and so on. */
  depth: number;
  /** Codes of the measures that answer this item (details in `measures`). */
  measures: string[];
}

export interface ReportRelationship {
  code: string;
  title: string;
  provider: Named;
  scope: string;
  decision: Decision;
  decidedOn: CalendarDate | null;
  targetDate: CalendarDate | null;
  reason: string | null;
  measures: string[];
  systems: string[];
}

export interface ReportDamage {
  incident: string;
  title: string;
  records: Array<{ category: string; count: number; status: string; asOf: CalendarDate | null }>;
  /** Secondary-damage reports per month (YYYY-MM) and kind. */
  monthly: Array<{ month: string; kind: string; reports: number; count: number | null }>;
}

export interface ReportBasis {
  /** `report`: a submitted report; `due`: the day the followed-up directive's report was due. */
  kind: 'report' | 'due';
  asOf: CalendarDate;
  directive: string;
  /** The submitted report's id, when the basis is one. */
  reportId?: string | undefined;
}

export interface ReportModel {
  program: { code: string; name: string; nameJa: string | null; timeZone: string };
  organization: Named;
  directive: {
    code: string;
    issuer: Named;
    issuedOn: CalendarDate;
    reference: string | null;
    title: string;
    /** The title in Japanese, when the directive has one (absent otherwise, so older models stay as they were). */
    titleJa?: string;
    reportDue: CalendarDate | null;
    followsUp: string | null;
  };
  /** The day the report speaks for (the end of it). */
  asOf: CalendarDate;
  items: ReportItem[];
  /** Every measure that answers an item of the directive, in the order they first appear. */
  measures: ReportMeasure[];
  relationships: ReportRelationship[];
  /** Governance measures (capital relationship, group-wide structure), answering the directive or not. */
  governance: string[];
  /** The title of every measure of the program then, for sentences about measures the report does not detail. */
  titles: Record<string, { title: string; titleJa?: string | undefined }>;
  damage: ReportDamage[];
  /**
   * Month by month, how many of the group's critical systems outside organizations can reach (all
   * of them added up): as done up to the report's day, as now planned, and as first planned.
   */
  exposure: { months: CalendarDate[]; actual: number[]; planned: number[]; baseline: number[] };
  findings: Finding[];
  previous: ReportBasis | null;
  changes: ReportChange[];
  /**
   * The program's own cover text for this directive (docs/report-templates.md), as it stood when
   * the model was built; absent when the program has none, so older frozen models read the same.
   */
  cover?: ReportCover | undefined;
}

export interface ReportCover {
  en: string | null;
  ja: string | null;
}

export interface ReportInput {
  /** The whole program (its history included); the report reads the view as of `asOf`. */
  file: ProgramFile;
  directive: string;
  asOf: CalendarDate;
  /** Lint findings as of `asOf` (severity error and warning are reported; info is left out). */
  findings: readonly Finding[];
  /** What the previous report stood on, and the program as it knew it (its view). */
  previous?: { basis: ReportBasis; view: ProgramFile } | undefined;
  evidence?: ReadonlyArray<{ kind: string; code: string; filename: string; sha256: string }>;
  /** The program's cover text for the directive, if it has one. */
  cover?: ReportCover | undefined;
}

/** The items of a directive in its own order, depth first. */
function orderedItems(
  items: readonly DirectiveItemInput[],
): Array<{ item: DirectiveItemInput; depth: number }> {
  const out: Array<{ item: DirectiveItemInput; depth: number }> = [];
  const walk = (list: readonly DirectiveItemInput[], depth: number) => {
    for (const item of list) {
      out.push({ item, depth });
      walk(item.items, depth + 1);
    }
  };
  walk(items, 0);
  return out;
}

export function buildReportModel(input: ReportInput): ReportModel {
  const { file, asOf } = input;
  const view = programAsOf(file, asOf);
  const directive = view.directives.find((d) => d.code === input.directive);
  if (!directive) throw new Error(`directive ${input.directive} is not in the program as of ${asOf}`);
  const org = (code: string): Named => {
    const o = view.organizations.find((x) => x.code === code);
    return { code, name: o?.name ?? code, ...(o?.nameJa ? { nameJa: o.nameJa } : {}) };
  };
  const schedule = analyzeSchedule(view, asOf);
  const msSchedule = new Map(schedule.milestones.map((m) => [m.code, m]));
  const measureSchedule = new Map(schedule.measures.map((m) => [m.code, m]));
  const since = input.previous?.basis.asOf;

  const items = orderedItems(directive.items).map(({ item, depth }) => ({
    code: item.code,
    label: item.label ?? null,
    text: item.text,
    textJa: item.textJa ?? null,
    depth,
    measures: view.measures.filter((m) => m.answers.includes(item.code)).map((m) => m.code),
  }));
  const answering = [...new Set(items.flatMap((i) => i.measures))];
  const governance = view.measures.filter((m) => m.category === 'governance').map((m) => m.code);
  const shown = [...answering, ...governance.filter((c) => !answering.includes(c))];

  const measures: ReportMeasure[] = shown.map((code) => {
    const m = view.measures.find((x) => x.code === code)!;
    const ms = measureSchedule.get(code);
    const codes = new Set([
      `measure:${m.code}`,
      ...m.milestones.map((x) => `milestone:${x.code}`),
      ...m.verifications.map((x) => `verification:${x.code}`),
    ]);
    return {
      code: m.code,
      title: m.title,
      ...(m.titleJa ? { titleJa: m.titleJa } : {}),
      category: m.category,
      kind: m.kind,
      owner: m.owner ?? null,
      declared: m.status,
      derived: ms?.derived ?? 'not_started',
      committed: ms?.committed ?? null,
      milestones: m.milestones.map((x) => {
        const s = msSchedule.get(x.code);
        return {
          code: x.code,
          title: x.title,
          baseline: baselineOf(x),
          planned: x.planned,
          actual: x.actual ?? null,
          slipDays: s?.slipDays ?? null,
          late: s?.late ?? false,
          replansSince: x.replans
            .filter((r) => since === undefined || r.on > since)
            .map((r) => ({
              on: r.on,
              from: r.from,
              to: r.to,
              days: r.from !== null && r.to !== null ? daysBetween(r.from, r.to) : null,
              reason: r.reason,
              ...(r.by ? { by: r.by } : {}),
            })),
        };
      }),
      verifications: m.verifications.map((v) => ({
        code: v.code,
        method: v.method,
        plannedOn: v.plannedOn ?? null,
        performedOn: v.performedOn ?? null,
        result: v.result ?? null,
        evidence: v.evidence ?? null,
        followUpMeasure: v.followUpMeasure ?? null,
      })),
      evidence: (input.evidence ?? [])
        .filter((e) => codes.has(`${e.kind}:${e.code}`))
        .map((e) => ({ code: e.code, filename: e.filename, sha256: e.sha256 })),
      illustrative: m.illustrative === true,
    };
  });

  const relationships: ReportRelationship[] = view.relationships.map((r) => {
    const d = decisionAsOf(r.decisions, asOf);
    return {
      code: r.code,
      title: r.title,
      provider: org(r.provider),
      scope: r.scope,
      decision: d?.decision ?? 'undecided',
      decidedOn: d?.on ?? null,
      targetDate: d?.targetDate ?? null,
      reason: d?.reason ?? null,
      measures: r.measures,
      systems: r.systems,
    };
  });

  const damage: ReportDamage[] = view.incidents.map((x) => {
    const monthly = new Map<string, { month: string; kind: string; reports: number; count: number | null }>();
    for (const s of x.secondaryDamage) {
      if (s.reportedOn > asOf) continue;
      const month = s.reportedOn.slice(0, 7);
      const key = `${month}/${s.kind}`;
      const row = monthly.get(key) ?? { month, kind: s.kind, reports: 0, count: null };
      row.reports += 1;
      if (s.count !== undefined) row.count = (row.count ?? 0) + s.count;
      monthly.set(key, row);
    }
    return {
      incident: x.code,
      title: x.title,
      records: x.records
        .filter((r) => r.asOf === undefined || r.asOf <= asOf)
        .map((r) => ({ category: r.category, count: r.count, status: r.status, asOf: r.asOf ?? null })),
      monthly: [...monthly.values()].sort(
        (a, b) => a.month.localeCompare(b.month) || a.kind.localeCompare(b.kind),
      ),
    };
  });

  const dates = view.measures
    .flatMap((m) => m.milestones.flatMap((ms) => [ms.committedOn, ms.planned, ms.actual, baselineOf(ms)]))
    .filter((d): d is string => typeof d === 'string')
    .sort();
  const timeline =
    dates.length === 0
      ? { months: [], series: [] }
      : exposureTimeline(view, dates[0]!, dates.at(-1)!, { today: asOf, group: regulatedGroup(view) });
  const total = (v: PlanView) =>
    timeline.months.map((_, i) => timeline.series.reduce((n, s) => n + s[v][i]!, 0));
  const exposure = {
    months: timeline.months,
    // What was done is known only up to the report's day.
    actual: total('actual').slice(0, timeline.months.filter((m) => m <= asOf).length),
    planned: total('planned'),
    baseline: total('baseline'),
  };

  return {
    program: {
      code: view.program.code,
      name: view.program.name,
      nameJa: view.program.nameJa ?? null,
      timeZone: view.program.timeZone,
    },
    organization: org(view.program.regulatedOrganization),
    directive: {
      code: directive.code,
      issuer: org(directive.issuer),
      issuedOn: directive.issuedOn,
      reference: directive.reference ?? null,
      title: directive.title,
      ...(directive.titleJa ? { titleJa: directive.titleJa } : {}),
      reportDue: directive.reportDue ?? null,
      followsUp: directive.followsUp ?? null,
    },
    asOf,
    items,
    measures,
    relationships,
    governance,
    titles: Object.fromEntries(
      view.measures.map((m) => [m.code, { title: m.title, ...(m.titleJa ? { titleJa: m.titleJa } : {}) }]),
    ),
    damage,
    exposure,
    findings: input.findings.filter((f) => f.severity !== 'info'),
    previous: input.previous?.basis ?? null,
    changes: input.previous ? changesBetween(input.previous.view, view, input.previous.basis.asOf) : [],
    ...(input.cover && (input.cover.en || input.cover.ja) ? { cover: input.cover } : {}),
  };
}
