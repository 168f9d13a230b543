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

  const measures = file.measures
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
  const milestoneCodes = new Set(measures.flatMap((m) => m.milestones.map((ms) => ms.code)));
  for (const m of measures)
    for (const ms of m.milestones) ms.dependsOn = ms.dependsOn.filter((code) => milestoneCodes.has(code));

  return {
    ...file,
    directives,
    measures,
    access: file.access
      .filter((a) => a.from === undefined || a.from <= asOf)
      .map((a) =>
        a.untilMilestone !== undefined && !milestoneCodes.has(a.untilMilestone)
          ? { ...a, untilMilestone: undefined }
          : a,
      ),
    relationships: file.relationships
      .filter((r) => r.startedOn === undefined || r.startedOn <= asOf)
      .map((r) => ({ ...r, decisions: r.decisions.filter((d) => d.on <= asOf) })),
  };
}
