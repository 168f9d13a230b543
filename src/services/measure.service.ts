/** Measures: the countermeasures that answer directive items, with their milestones and checks. */
import type { Resolver, Trx } from '../db/program-writer.ts';
import {
  insertMeasure,
  insertMilestone,
  insertVerification,
  setMeasureConcerns,
  setMeasureItems,
  setMilestoneDependencies,
} from '../db/program-writer.ts';
import { measureIssues } from '../domain/program-file/check.ts';
import { type MeasureInput, measureSchema } from '../domain/program-file/schema.ts';
import { closingIssue } from '../domain/verification-gate.ts';
import { createRecord, PROVENANCE_COLUMNS, updateRecord } from './common.ts';
import type { ServiceContext } from './context.ts';
import { assertNoDependencyCycle } from './milestone.service.ts';
import { assertClosable } from './verification.service.ts';

/** Creates a measure; milestones and verifications given with it are created in the same transaction. */
export const createMeasure = (ctx: ServiceContext, programCode: string, input: unknown) =>
  createRecord(
    ctx,
    'measure',
    programCode,
    measureSchema,
    input,
    (trx, programId, m, resolve) => insertMeasureTree(trx, programId, m, resolve),
    {},
    (m) => {
      // A new measure has no evidence yet, so it cannot be created closed.
      const gate = m.verifications.map((v) => ({ ...v, attached: 0 }));
      const closing = closingIssue(m.status, gate, m.code);
      return [...measureIssues(m), ...(closing ? [closing] : [])];
    },
  );

async function insertMeasureTree(
  trx: Trx,
  programId: string,
  m: MeasureInput,
  resolve: Resolver,
): Promise<string> {
  const measureId = await insertMeasure(trx, programId, m, resolve, '');
  const ids: string[] = [];
  for (const [j, ms] of m.milestones.entries())
    ids.push(await insertMilestone(trx, programId, measureId, ms, j));
  for (const [j, ms] of m.milestones.entries()) {
    if (ms.dependsOn.length === 0) continue;
    await setMilestoneDependencies(trx, ids[j]!, ms.dependsOn, resolve, `milestones[${j}].dependsOn`);
  }
  if (m.milestones.some((ms) => ms.dependsOn.length > 0))
    await assertNoDependencyCycle(trx, programId, 'milestones');
  for (const [j, v] of m.verifications.entries())
    await insertVerification(trx, programId, measureId, v, j, resolve, `verifications[${j}]`);
  return measureId;
}

export const updateMeasure = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  updateRecord(
    ctx,
    {
      kind: 'measure',
      schema: measureSchema,
      columns: {
        title: { column: 'title' },
        titleJa: { column: 'title_ja' },
        publicTitle: { column: 'public_title' },
        publicTitleJa: { column: 'public_title_ja' },
        description: { column: 'description' },
        category: { column: 'category' },
        kind: { column: 'kind' },
        owner: { column: 'owner_name' },
        organization: { column: 'organization_id', ref: 'organization' },
        status: { column: 'status' },
        adoptedOn: { column: 'adopted_on' },
        ...PROVENANCE_COLUMNS,
      },
      after: (trx, id) => assertClosable(trx, id),
      links: {
        answers: (trx, id, codes: string[], resolve) => setMeasureItems(trx, id, codes, resolve, 'answers'),
        concerns: (trx, id, codes: string[], resolve) =>
          setMeasureConcerns(trx, id, codes, resolve, 'concerns'),
      },
    },
    programCode,
    code,
    input,
  );
