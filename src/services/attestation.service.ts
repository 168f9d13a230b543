/**
 * Attestations: a contractor (or the program office) states, on a day, the state of one of its
 * outsourcing relationships or access edges ("access ended on 31 March", "no shared accounts remain").
 * They are kept, never edited; the audit log records who made each.
 */
import { z } from 'zod';
import { contractorOrganizations, readsWholeProgram } from '../domain/access.ts';
import { todayIn } from '../domain/dates.ts';
import { dateSchema } from '../domain/program-file/schema.ts';
import { authorizeWrite, requireWriteRole } from './authorize.ts';
import { requireProgram, requireRecord, snapshotOf } from './common.ts';
import { type Reader, type ServiceContext, validate, write } from './context.ts';

export type AttestedKind = 'relationship' | 'access';

export const attestSchema = z.strictObject({
  statement: z.string().trim().min(1, { error: 'validation.required' }).max(2_000),
  on: dateSchema.optional().describe("Date of the statement; defaults to today in the program's time zone"),
});

export interface Attestation {
  on: string;
  statement: string;
  organization: string;
  by: string | null;
  at: Date;
}

/** The organization an attestation speaks for: the contractor's own, or the record's party for the program office. */
async function partyOf(
  ctx: ServiceContext,
  program: string,
  kind: AttestedKind,
  code: string,
): Promise<string> {
  const snapshot = await snapshotOf(ctx, program, 'program.shared');
  const parties =
    kind === 'relationship'
      ? snapshot.file.relationships.filter((r) => r.code === code).flatMap((r) => [r.provider, r.customer])
      : snapshot.file.access.filter((a) => a.code === code).map((a) => a.organization);
  const mine = contractorOrganizations(ctx.actor.principal, program);
  return parties.find((p) => mine.includes(p)) ?? parties[0] ?? '';
}

export async function attest(
  ctx: ServiceContext,
  programCode: string,
  kind: AttestedKind,
  code: string,
  input: unknown,
) {
  requireWriteRole(ctx, kind, programCode);
  const a = validate(attestSchema, input);
  const organization = await partyOf(ctx, programCode, kind, code);
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, programCode);
    const row = await requireRecord(trx, kind, program.id, code);
    await authorizeWrite(trx, ctx, { id: program.id, code: programCode }, { kind, rowId: row.id });
    const on = a.on ?? todayIn(program.time_zone);
    const principal = ctx.actor.principal;
    const { id } = await trx
      .insertInto('attestations')
      .values({
        program_id: program.id,
        entity_type: kind,
        entity_code: code,
        organization_code: organization,
        user_id: principal.kind === 'user' ? principal.id : null,
        attested_on: on,
        statement: a.statement,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({
      action: `${kind}.attested`,
      entityType: kind,
      entityId: row.id,
      entityCode: code,
      programId: program.id,
      payload: { on, statement: a.statement, organization },
    });
    return { id, on, organization };
  });
}

/** The attestations of a record the reader can see, oldest first. */
export async function attestationsOf(
  reader: Reader,
  programCode: string,
  kind: AttestedKind,
  code: string,
): Promise<Attestation[]> {
  const snapshot = await snapshotOf(reader, programCode, 'program.shared');
  const visible =
    kind === 'relationship'
      ? snapshot.file.relationships.some((r) => r.code === code)
      : snapshot.file.access.some((a) => a.code === code);
  if (!visible) return [];
  let q = reader.db
    .selectFrom('attestations as a')
    .innerJoin('programs as p', 'p.id', 'a.program_id')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.attested_on', 'a.statement', 'a.organization_code', 'u.username', 'a.created_at'])
    .where('p.code', '=', programCode)
    .where('a.entity_type', '=', kind)
    .where('a.entity_code', '=', code);
  if (!readsWholeProgram(reader.actor.principal, programCode))
    q = q.where('a.organization_code', 'in', [
      ...contractorOrganizations(reader.actor.principal, programCode),
      '',
    ]);
  const rows = await q.orderBy('a.created_at').execute();
  return rows.map((r) => ({
    on: r.attested_on,
    statement: r.statement,
    organization: r.organization_code,
    by: r.username,
    at: new Date(r.created_at),
  }));
}
