/**
 * A program with every set-valued list (a measure's answers and concerns, a milestone's
 * dependencies, a relationship's systems and measures) in code order, as the database gives it
 * back: two programs that hold the same compare equal whatever order their files wrote them in.
 */
import { compareCodes } from '../codes.ts';
import type { ProgramFile } from './schema.ts';

const inOrder = (codes: readonly string[]) => [...codes].sort(compareCodes);

export function inStoredOrder(file: ProgramFile): ProgramFile {
  return {
    ...file,
    measures: file.measures.map((m) => ({
      ...m,
      answers: inOrder(m.answers),
      concerns: inOrder(m.concerns),
      milestones: m.milestones.map((ms) => ({ ...ms, dependsOn: inOrder(ms.dependsOn) })),
    })),
    relationships: file.relationships.map((r) => ({
      ...r,
      systems: inOrder(r.systems),
      measures: inOrder(r.measures),
    })),
  };
}
