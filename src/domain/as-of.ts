/**
 * The program as it was known at the end of a given day: what had been issued, adopted, committed,
 * re-planned, decided and done by then. Schedule, traceability and lint all judge this view, so
 * `--as-of 2024-04-01` answers from what was known that day, not from today's plan.
 */
import type { CalendarDate } from './dates.ts';
import type { MeasureInput, ProgramFile } from './program-file/schema.ts';
import { plannedAsOf } from './schedule.ts';

/** The day a measure was adopted: stated, or the earliest commitment of its milestones. */
export function adoptedOn(m: Pick<MeasureInput, 'adoptedOn' | 'milestones'>): CalendarDate | undefined {
  if (m.adoptedOn !== undefined) return m.adoptedOn;
  let first: CalendarDate | undefined;
  for (const ms of m.milestones) if (first === undefined || ms.committedOn < first) first = ms.committedOn;
  return first;
}

export function programAsOf(file: ProgramFile, asOf: CalendarDate): ProgramFile {
  const directives = file.directives.filter((d) => d.issuedOn <= asOf);
  const items = new Set<string>();
  const walk = (list: ProgramFile['directives'][number]['items']) =>
    list.forEach((i) => {
      items.add(i.code);
      walk(i.items);
    });
  directives.forEach((d) => walk(d.items));

  const measures: MeasureInput[] = file.measures
    .filter((m) => {
      const adopted = adoptedOn(m);
      return adopted === undefined || adopted <= asOf;
    })
    .map((m) => ({
      ...m,
      answers: m.answers.filter((code) => items.has(code)),
      milestones: m.milestones
        .filter((ms) => ms.committedOn <= asOf)
        .map((ms) => {
          const { actual, ...rest } = ms;
          return {
            ...rest,
            planned: plannedAsOf(ms, asOf) ?? null,
            replans: ms.replans.filter((r) => r.on <= asOf),
            ...(actual !== undefined && actual <= asOf ? { actual } : {}),
          };
        }),
      verifications: m.verifications.map((v) => {
        if (v.performedOn === undefined || v.performedOn <= asOf) return v;
        const { performedOn: _p, result: _r, followUpMeasure: _f, ...planned } = v;
        return planned;
      }),
    }));
  // What was known then refers only to what was known then.
  const milestoneCodes = new Set(measures.flatMap((m) => m.milestones.map((ms) => ms.code)));
  const measureCodes = new Set(measures.map((m) => m.code));
  for (const m of measures) {
    for (const ms of m.milestones) ms.dependsOn = ms.dependsOn.filter((code) => milestoneCodes.has(code));
    m.verifications = m.verifications.map((v) => {
      if (v.followUpMeasure === undefined || measureCodes.has(v.followUpMeasure)) return v;
      const { followUpMeasure: _f, ...rest } = v;
      return rest;
    });
  }
  const endedByKnown = <T extends { untilMilestone?: string | undefined }>(edge: T): T => {
    if (edge.untilMilestone === undefined || milestoneCodes.has(edge.untilMilestone)) return edge;
    const { untilMilestone: _u, ...rest } = edge;
    return rest as T;
  };

  return {
    ...file,
    directives,
    measures,
    access: file.access.filter((a) => a.from === undefined || a.from <= asOf).map(endedByKnown),
    links: file.links.map(endedByKnown),
    relationships: file.relationships
      .filter((r) => r.startedOn === undefined || r.startedOn <= asOf)
      .map((r) => ({
        ...r,
        measures: r.measures.filter((code) => measureCodes.has(code)),
        decisions: r.decisions.filter((d) => d.on <= asOf),
      })),
  };
}

/**
 * The days on which a program's dated history says something became known (issued, adopted,
 * committed, re-planned, done, performed, started, decided), in order.
 */
export function historyDays(file: ProgramFile): CalendarDate[] {
  const days = new Set<CalendarDate>();
  const add = (d: CalendarDate | undefined) => {
    if (d !== undefined) days.add(d);
  };
  for (const d of file.directives) add(d.issuedOn);
  for (const m of file.measures) {
    add(adoptedOn(m));
    for (const ms of m.milestones) {
      add(ms.committedOn);
      add(ms.actual);
      for (const r of ms.replans) add(r.on);
    }
    for (const v of m.verifications) add(v.performedOn);
  }
  for (const a of file.access) add(a.from);
  for (const r of file.relationships) {
    add(r.startedOn);
    for (const d of r.decisions) add(d.on);
  }
  return [...days].sort();
}
