/**
 * The readiness lint: runs every rule a program has switched on against the program as of a day,
 * and grades what it finds. Pure: give it the whole program file and the day.
 */

import { programAsOf } from '../as-of.ts';
import { compareCodes } from '../codes.ts';
import { addDays, addMonths, type CalendarDate, daysBetween } from '../dates.ts';
import type { ProgramFile } from '../program-file/schema.ts';
import { analyzeSchedule, type ScheduleAnalysis } from '../schedule-analysis.ts';
import { type Traceability, traceability } from '../traceability.ts';
import { type LintConfig, resolveLintConfig, severityOf } from './config.ts';
import { buildContext } from './context.ts';
import { RULE_IDS, type RuleId, type Severity } from './ids.ts';
import { type RawFinding, RULE_CHECKS } from './rules.ts';

export interface Finding extends RawFinding {
  rule: RuleId;
  severity: Severity;
}

export interface LintResult {
  program: string;
  asOf: CalendarDate;
  config: LintConfig;
  counts: Record<Severity, number>;
  findings: Finding[];
}

export interface ProgramAnalysis {
  view: ProgramFile;
  schedule: ScheduleAnalysis;
  trace: Traceability;
}

/** The as-of view with its schedule and traceability, computed once for lint, schedule and traceability alike. */
export function analyzeProgram(file: ProgramFile, asOf: CalendarDate): ProgramAnalysis {
  const view = programAsOf(file, asOf);
  return { view, schedule: analyzeSchedule(view, asOf), trace: traceability(view) };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * @param today the current day in the program's time zone: when `asOf` is today (or later) the
 *   declared statuses are judged too, since they are not kept as history.
 */
export interface LintFacts {
  /** The day of the last published public progress update, if any. */
  lastDisclosure?: CalendarDate | undefined;
}

export function runLint(
  file: ProgramFile,
  asOf: CalendarDate,
  today: CalendarDate,
  analysis?: ProgramAnalysis,
  facts: LintFacts = {},
): LintResult {
  const config = resolveLintConfig(file.lint);
  const { view, schedule, trace } = analysis ?? analyzeProgram(file, asOf);
  const ctx = buildContext(view, asOf, asOf >= today, config, schedule, trace);
  const findings: Finding[] = [];
  for (const rule of RULE_IDS) {
    const severity = severityOf(config, rule);
    if (severity === undefined) continue;
    for (const f of RULE_CHECKS[rule](ctx)) findings.push({ rule, severity, ...f });
  }
  const deadlineSeverity = severityOf(config, 'deadline-with-errors');
  const errors = findings.filter((f) => f.severity === 'error').length;
  if (deadlineSeverity !== undefined && errors > 0) {
    const horizon = addDays(asOf, config.deadlineDays);
    for (const d of view.directives) {
      if (d.reportDue === undefined || d.reportDue < asOf || d.reportDue > horizon) continue;
      findings.push({
        rule: 'deadline-with-errors',
        severity: deadlineSeverity,
        kind: 'directive',
        code: d.code,
        path: `directives/${d.code}`,
        params: { due: d.reportDue, days: daysBetween(asOf, d.reportDue), errors },
      });
    }
  }
  // Public updates are due every `disclosureCadenceMonths`, from the first public guidance on.
  const cadence = file.program.disclosureCadenceMonths;
  const disclosureSeverity = severityOf(config, 'disclosure-overdue');
  const firstDuty = view.directives
    .filter((d) => d.public)
    .map((d) => d.issuedOn)
    .sort()[0];
  const since = facts.lastDisclosure ?? firstDuty;
  if (
    disclosureSeverity !== undefined &&
    cadence !== undefined &&
    file.program.publicName &&
    since !== undefined
  ) {
    const due = addMonths(since, cadence);
    if (due < asOf)
      findings.push({
        rule: 'disclosure-overdue',
        severity: disclosureSeverity,
        kind: 'program',
        code: file.program.code,
        path: `program/${file.program.code}`,
        params: { last: facts.lastDisclosure ?? null, due, months: cadence, days: daysBetween(due, asOf) },
      });
  }
  findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.rule.localeCompare(b.rule) ||
      compareCodes(a.code, b.code),
  );
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return { program: file.program.code, asOf, config, counts, findings };
}
