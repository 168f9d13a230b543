import type { Trx } from '../db/program-writer.ts';
import { insertMilestone, setMilestoneDependencies } from '../db/program-writer.ts';
import { findCycles } from '../domain/graph.ts';
import { milestoneIssues } from '../domain/program-file/check.ts';
import { milestoneSchema } from '../domain/program-file/schema.ts';
import {
  createRecord,
  nextPosition,
  PROVENANCE_COLUMNS,
  rejectIssues,
  requireRecord,
  updateRecord,
} from './common.ts';
import type { ServiceContext } from './context.ts';

/** Adds a milestone to a measure, at the end of its list. */
export const createMilestone = (
  ctx: ServiceContext,
  programCode: string,
  measureCode: string,
  input: unknown,
) =>
  createRecord(
    ctx,
    'milestone',
    programCode,
    milestoneSchema,
    input,
    async (trx, programId, ms, resolve) => {
      rejectIssues(milestoneIssues(ms), '');
      const measure = await requireRecord(trx, 'measure', programId, measureCode);
      const position = await nextPosition(trx, 'milestones', { column: 'measure_id', value: measure.id });
      const id = await insertMilestone(trx, programId, measure.id, ms, position);
      if (ms.dependsOn.length > 0) {
        await setMilestoneDependencies(trx, id, ms.dependsOn, resolve, 'dependsOn');
        await assertNoDependencyCycle(trx, programId, 'dependsOn');
      }
      return id;
    },
    { measure: measureCode },
  );

export const updateMilestone = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  updateRecord(
    ctx,
    {
      kind: 'milestone',
      schema: milestoneSchema,
      columns: { title: { column: 'title' }, actual: { column: 'actual_date' }, ...PROVENANCE_COLUMNS },
      links: {
        dependsOn: async (trx, id, codes: string[], resolve, programId) => {
          await setMilestoneDependencies(trx, id, codes, resolve, 'dependsOn');
          await assertNoDependencyCycle(trx, programId, 'dependsOn');
        },
      },
    },
    programCode,
    code,
    input,
  );

/** Fails the transaction when the program's milestone dependencies contain a cycle. */
export async function assertNoDependencyCycle(trx: Trx, programId: string, path: string): Promise<void> {
  const rows = await trx
    .selectFrom('milestone_dependencies as d')
    .innerJoin('milestones as a', 'a.id', 'd.milestone_id')
    .innerJoin('milestones as b', 'b.id', 'd.depends_on_id')
    .select(['a.code as from', 'b.code as to'])
    .where('a.program_id', '=', programId)
    .execute();
  const edges = new Map<string, string[]>();
  for (const r of rows) edges.set(r.from, [...(edges.get(r.from) ?? []), r.to]);
  const cycles = findCycles(edges);
  if (cycles.length > 0) {
    const cycle = cycles[0]!;
    rejectIssues(
      [{ path: [], key: 'validation.dependency_cycle', params: { cycle: [...cycle, cycle[0]].join(' → ') } }],
      path,
    );
  }
}
