/**
 * Reports to the regulator: the report model of a program for one directive, as of a day (or as
 * the audit log held the program at an instant), with the changes since the previous report.
 */
import { programFromLog } from '../db/audit-log.ts';
import { programAsOf } from '../domain/as-of.ts';
import { addDays, type CalendarDate, todayIn } from '../domain/dates.ts';
import { notFound, validationFailed } from '../domain/errors.ts';
import { runLint } from '../domain/lint/index.ts';
import type { ProgramFile } from '../domain/program-file/schema.ts';
import { buildReportModel, type ReportBasis, type ReportModel } from '../reports/model.ts';
import { programFileAt } from './common.ts';
import type { Reader } from './context.ts';
import { lastDisclosureOn } from './disclosure.service.ts';
import { listEvidence } from './evidence.service.ts';
import { reportCoverOf } from './report-template.service.ts';

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
  // A report speaks for a day that has come or is near, not for a far future the plan cannot see.
  const horizon = addDays(today, 3 * 366);
  if (asOf > horizon)
    throw validationFailed([{ path: 'asOf', key: 'validation.report_day_far', params: { max: horizon } }]);
  const directive = file.directives.find((d) => d.code === directiveCode);
  if (!directive || directive.issuedOn > asOf) throw notFound('directive', directiveCode);
  const previous = await previousReport(reader, file, directiveCode, asOf, options.at);
  // Looking back to an instant, only the evidence attached by then.
  const evidence = (await listEvidence(reader, programCode)).filter((e) => !options.at || e.at <= options.at);
  const cover = await reportCoverOf(reader, programCode, directiveCode, options.at);
  return buildReportModel({
    file,
    directive: directiveCode,
    asOf,
    findings: runLint(file, asOf, today, undefined, {
      lastDisclosure: await lastDisclosureOn(reader, programCode, file.program.timeZone, asOf),
    }).findings,
    previous,
    evidence: evidence.map((e) => ({ kind: e.kind, code: e.code, filename: e.filename, sha256: e.sha256 })),
    cover,
  });
}

/**
 * What the previous report stood on: the last report submitted on this directive or one it follows
 * up (the program as the audit log held it when that report's content was frozen for review, seen
 * as of its day: what was known and sent then); failing that, the day the followed-up directive's report was due,
 * as the plan now records it.
 */
async function previousReport(
  reader: Reader,
  file: ProgramFile,
  directiveCode: string,
  asOf: CalendarDate,
  at: Date | undefined,
): Promise<{ basis: ReportBasis; view: ProgramFile } | undefined> {
  const chain: string[] = [];
  for (let d = file.directives.find((x) => x.code === directiveCode); d && !chain.includes(d.code); ) {
    chain.push(d.code);
    const next = d.followsUp;
    d = next ? file.directives.find((x) => x.code === next) : undefined;
  }
  let q = reader.db
    .selectFrom('reports')
    .select(['id', 'directive_code', 'as_of', 'submitted_at', 'reviewed_at'])
    .where('program_code', '=', file.program.code)
    .where('status', '=', 'submitted')
    .where('directive_code', 'in', chain)
    .where('as_of', '<', asOf);
  if (at) q = q.where('submitted_at', '<=', at);
  const last = await q.orderBy('as_of', 'desc').orderBy('submitted_at', 'desc').limit(1).executeTakeFirst();
  if (last?.reviewed_at) {
    // What was sent is what was frozen when the report went to review (approval and submission
    // change nothing in it): the program as the log held it then.
    const sent = await programFromLog(reader.db, file.program.code, new Date(last.reviewed_at));
    if (sent)
      return {
        basis: { kind: 'report', asOf: last.as_of, directive: last.directive_code, reportId: last.id },
        view: programAsOf(sent.file, last.as_of),
      };
  }
  const followed = file.directives.find((d) => d.code === chain[1]);
  if (followed?.reportDue === undefined || followed.reportDue >= asOf) return undefined;
  return {
    basis: { kind: 'due', asOf: followed.reportDue, directive: followed.code },
    view: programAsOf(file, followed.reportDue),
  };
}
