/**
 * What the web pages of a program show, computed once per request from one snapshot: the program
 * file, today in its time zone, the schedule, traceability and lint as of today. Read-only.
 */

import { deepFreeze } from '../db/program-cache.ts';
import type { ProgramSnapshot } from '../db/program-reader.ts';
import { regulatedGroup } from '../domain/control.ts';
import { type CalendarDate, todayIn } from '../domain/dates.ts';
import { type ExposureTimeline, exposureTimeline } from '../domain/exposure.ts';
import { analyzeProgram, type LintResult, type ProgramAnalysis, runLint } from '../domain/lint/index.ts';
import type { ProgramFile } from '../domain/program-file/schema.ts';
import { type RegisterRow, registerRows } from '../domain/register.ts';
import { baselineOf } from '../domain/schedule.ts';
import { snapshotOf } from './common.ts';
import type { Reader } from './context.ts';
import { lastDisclosureOn } from './disclosure.service.ts';

export interface ProgramView {
  file: ProgramFile;
  today: CalendarDate;
  analysis: ProgramAnalysis;
  lint: LintResult;
  register: RegisterRow[];
  /** `kind:code` → id and version, for forms that edit a record. */
  meta: ProgramSnapshot['meta'];
  /** Month by month, the critical systems each outside organization can reach. */
  exposure: ExposureTimeline;
}

/** The view of a program for its pages; with `program.shared`, a contractor's share of it. */
export async function programView(
  reader: Reader,
  programCode: string,
  permission: 'program.read' | 'program.shared' = 'program.read',
): Promise<ProgramView> {
  const snapshot = await snapshotOf(reader, programCode, permission);
  const today = todayIn(snapshot.file.program.timeZone);
  // A shared snapshot (unchanged program) on the same day gives the same view: computed once.
  const computed = views.get(snapshot.file);
  if (computed?.today === today) return computed.view;
  const analysis = analyzeProgram(snapshot.file, today);
  const view: ProgramView = {
    file: snapshot.file,
    today,
    analysis,
    lint: runLint(snapshot.file, today, today, analysis, {
      lastDisclosure: await lastDisclosureOn(
        reader,
        snapshot.file.program.code,
        snapshot.file.program.timeZone,
      ),
    }),
    register: registerRows(snapshot.file),
    meta: snapshot.meta,
    exposure: programExposureTimeline(snapshot.file, today),
  };
  // Frozen like the snapshot: a page that sorted a shared list in place would fail, not mislead.
  if (Object.isFrozen(snapshot.file)) views.set(snapshot.file, { today, view: deepFreeze(view) });
  return view;
}

/**
 * Views computed from a cached (frozen) snapshot, by the snapshot's file: they go when it goes.
 * A published disclosure (which the lint reads) grows the audit log, so it brings a new snapshot.
 */
const views = new WeakMap<ProgramFile, { today: CalendarDate; view: ProgramView }>();

/** The exposure timeline over the program's own span of dates. */
function programExposureTimeline(file: ProgramFile, today: CalendarDate): ExposureTimeline {
  const dates = file.measures
    .flatMap((m) => m.milestones.flatMap((ms) => [ms.committedOn, ms.planned, ms.actual, baselineOf(ms)]))
    .filter((d): d is string => typeof d === 'string')
    .sort();
  const group = regulatedGroup(file);
  return exposureTimeline(file, dates[0] ?? today, dates.at(-1) ?? today, { today, group });
}
