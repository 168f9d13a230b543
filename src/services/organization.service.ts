/** Organizations (legal entities) of a program and the ownership edges between them. */
import { insertOrganization, insertOwnership } from '../db/program-writer.ts';
import { databaseResolver } from '../db/resolver.ts';
import { ownershipIssues } from '../domain/program-file/check.ts';
import { organizationSchema, ownershipSchema } from '../domain/program-file/schema.ts';
import { requireWriteRole } from './authorize.ts';
import {
  createRecord,
  nextPosition,
  PROVENANCE_COLUMNS,
  rejectIssues,
  requireProgram,
  updateRecord,
} from './common.ts';
import { type ServiceContext, validate, write } from './context.ts';

export const createOrganization = (ctx: ServiceContext, programCode: string, input: unknown) =>
  createRecord(ctx, 'organization', programCode, organizationSchema, input, (trx, programId, org) =>
    insertOrganization(trx, programId, org),
  );

export const updateOrganization = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  updateRecord(
    ctx,
    {
      kind: 'organization',
      schema: organizationSchema,
      columns: {
        name: { column: 'name' },
        nameJa: { column: 'name_ja' },
        kind: { column: 'kind' },
        country: { column: 'country' },
        lei: { column: 'lei' },
        corporateNumber: { column: 'corporate_number' },
        attestedLevel: { column: 'attested_level' },
        handlesConfidentialData: { column: 'handles_confidential_data' },
        stoppageCritical: { column: 'stoppage_critical' },
        notes: { column: 'notes' },
        ...PROVENANCE_COLUMNS,
      },
    },
    programCode,
    code,
    input,
  );

/** Records who holds what share of whom; the control chain is computed from these edges. */
export async function addOwnership(ctx: ServiceContext, programCode: string, input: unknown) {
  requireWriteRole(ctx, 'organization', programCode);
  const ownership = validate(ownershipSchema, input);
  rejectIssues(ownershipIssues(ownership), '');
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, programCode);
    const resolve = databaseResolver(trx, program.id);
    const [owner, owned] = await resolve.many!('organization', [ownership.owner, ownership.owned], '');
    const existing = await trx
      .selectFrom('ownerships')
      .select('id')
      .where('owner_org_id', '=', owner!)
      .where('owned_org_id', '=', owned!)
      .executeTakeFirst();
    if (existing)
      rejectIssues(
        [
          {
            path: ['owned'],
            key: 'validation.duplicate_ownership',
            params: { owner: ownership.owner, owned: ownership.owned, first: '—' },
          },
        ],
        '',
      );
    const position = await nextPosition(trx, 'ownerships', { column: 'program_id', value: program.id });
    const id = await insertOwnership(
      trx,
      program.id,
      ownership,
      position,
      databaseResolver(trx, program.id),
      '',
    );
    audit({
      action: 'ownership.added',
      entityType: 'ownership',
      entityId: id,
      programId: program.id,
      payload: ownership,
    });
    return { id, version: 1 };
  });
}
