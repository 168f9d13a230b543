/**
 * Reports to the regulator: the report model of a program for one directive, as of a day (or as
 * the audit log held the program at an instant), with the changes since the previous report.
 */
import { programAsOf } from '../domain/as-of.ts';
import { type CalendarDate, todayIn } from '../domain/dates.ts';
import { notFound } from '../domain/errors.ts';
import { runLint } from '../domain/lint/index.ts';
import { buildReportModel, type ReportBasis, type ReportModel } from '../reports/model.ts';
import { programFileAt } from './common.ts';
import type { Reader } from './context.ts';
import { listEvidence } from './evidence.service.ts';

export interface ReportOptions {
  /** The day the report speaks for: today in the program's time zone when absent. */
  asOf?: CalendarDate | undefined;
  /** Build from the program as the audit log held it at this instant (its day, unless `asOf` says otherwise). */
  at?: Date | undefined;
}

export async function reportModelOf(
  reader: Reader,
  programCode: string,
  directiveCode: string,
  options: ReportOptions = {},
): Promise<ReportModel> {
  const { file } = await programFileAt(reader, programCode, options.at);
  const today = todayIn(file.program.timeZone, options.at);
  const asOf = options.asOf ?? today;
  const directive = file.directives.find((d) => d.code === directiveCode);
  if (!directive || directive.issuedOn > asOf) throw notFound('directive', directiveCode);
  // The previous report: the one due for the directive this one follows up, as the plan stood then.
  const followed = directive.followsUp
    ? file.directives.find((d) => d.code === directive.followsUp)
    : undefined;
  const basis: ReportBasis | undefined =
    followed?.reportDue !== undefined && followed.reportDue < asOf
      ? { kind: 'due', asOf: followed.reportDue, directive: followed.code }
      : undefined;
  const evidence = await listEvidence(reader, programCode);
  return buildReportModel({
    file,
    directive: directiveCode,
    asOf,
    findings: runLint(file, asOf, today).findings,
    previous: basis ? { basis, view: programAsOf(file, basis.asOf) } : undefined,
    evidence: evidence.map((e) => ({ kind: e.kind, code: e.code, filename: e.filename, sha256: e.sha256 })),
  });
}
