/**
 * The regulator's eye on a stored program: readiness lint, schedule and traceability, each as of a
 * day (today in the program's time zone unless given). Read-only.
 */
import { type CalendarDate, todayIn } from '../domain/dates.ts';
import { analyzeProgram, type LintResult, type ProgramAnalysis, runLint } from '../domain/lint/index.ts';
import type { ProgramFile } from '../domain/program-file/schema.ts';
import type { ScheduleAnalysis } from '../domain/schedule-analysis.ts';
import type { Traceability } from '../domain/traceability.ts';
import { programFileAt } from './common.ts';
import type { Reader } from './context.ts';
import { lastDisclosureOn } from './disclosure.service.ts';
import { programView } from './view.service.ts';

export interface AsOfOptions {
  /** Judge the program's dated history as now known, at the end of this day. */
  asOf?: CalendarDate | undefined;
  /** Judge the program as the audit log held it at this instant, on that instant's day. */
  at?: Date | undefined;
}

interface Loaded {
  file: ProgramFile;
  asOf: CalendarDate;
  today: CalendarDate;
  analysis: ProgramAnalysis;
  /** Today's lint, when the program is judged as of today and the shared view already holds it. */
  lint?: LintResult;
}

async function load(reader: Reader, programCode: string, options: AsOfOptions): Promise<Loaded> {
  if (options.at === undefined && options.asOf === undefined) {
    // As of today, the view the pages share (computed once while the program is unchanged) has it all.
    const view = await programView(reader, programCode);
    return { file: view.file, asOf: view.today, today: view.today, analysis: view.analysis, lint: view.lint };
  }
  const { file } = await programFileAt(reader, programCode, options.at);
  // Looking back to an instant, "today" is that instant's day: what was late then, not now.
  const today = todayIn(file.program.timeZone, options.at);
  const asOf = options.asOf ?? today;
  return { file, asOf, today, analysis: analyzeProgram(file, asOf) };
}

export async function lintProgram(
  reader: Reader,
  programCode: string,
  options: AsOfOptions = {},
): Promise<LintResult> {
  const { file, asOf, today, analysis, lint } = await load(reader, programCode, options);
  if (lint) return lint;
  // Updates published after the day judged do not count for it.
  const last = await lastDisclosureOn(reader, file.program.code, file.program.timeZone, asOf);
  return runLint(file, asOf, today, analysis, { lastDisclosure: last });
}

export async function scheduleOfProgram(
  reader: Reader,
  programCode: string,
  options: AsOfOptions = {},
): Promise<ScheduleAnalysis & { program: string }> {
  const { file, analysis } = await load(reader, programCode, options);
  return { program: file.program.code, ...analysis.schedule };
}

export async function traceabilityOfProgram(
  reader: Reader,
  programCode: string,
  options: AsOfOptions = {},
): Promise<Traceability & { program: string; asOf: CalendarDate }> {
  const { file, asOf, analysis } = await load(reader, programCode, options);
  return { program: file.program.code, asOf, ...analysis.trace };
}
