/**
 * The permission checks of the services: before a read, whether the actor may see the program (and
 * how much of it); before a write, whether the actor may change this record — a measure owner only
 * its team's measures, a contractor only its organization's relationships and access edges.
 */

import type { EntityKind } from '../db/program-reader.ts';
import type { Trx } from '../db/program-writer.ts';
import {
  allows,
  mayChangeMeasure,
  mayChangeProviderRecord,
  type Permission,
  type Principal,
} from '../domain/access.ts';
import { AppError } from '../domain/errors.ts';
import type { ServiceContext } from './context.ts';

export function forbidden(action: string, program?: string): AppError {
  return new AppError('forbidden', 'errors.forbidden', { action, program: program ?? '' });
}

/** Throws unless the actor holds the permission (in the program, where it is about one). */
export function requirePermission(
  ctx: Pick<ServiceContext, 'actor'>,
  permission: Permission,
  program?: string,
): void {
  if (!allows(ctx.actor.principal, permission, program)) {
    if (ctx.actor.principal.kind === 'anonymous')
      throw new AppError('unauthorized', 'errors.unauthorized', {});
    throw forbidden(permission, program);
  }
}

/** The permission a write of this kind of record needs at all (which records, authorizeWrite decides). */
export function writePermission(kind: EntityKind | 'program'): Permission {
  if (kind === 'measure' || kind === 'milestone' || kind === 'verification') return 'measure.write';
  if (kind === 'relationship' || kind === 'access') return 'provider.write';
  return 'program.write';
}

/** Checked before the program is even looked up, so a code one may not touch reads the same whether it exists or not. */
export function requireWriteRole(
  ctx: Pick<ServiceContext, 'actor'>,
  kind: EntityKind | 'program',
  program: string,
): void {
  requirePermission(ctx, writePermission(kind), program);
}

/** Fields of a relationship or an access edge that only the program office may set. */
const OFFICE_ONLY = {
  relationship: ['provider', 'customer', 'systems', 'measures', 'decisions'],
  access: ['organization', 'system', 'untilMilestone'],
} as const;

/** What a write is about, as far as the permission depends on it. */
export interface WriteTarget {
  kind: EntityKind | 'program';
  /** The stored row, for an update or an action on an existing record. */
  rowId?: string | undefined;
  /** The new values (a created record, a patch). */
  value?: Record<string, unknown> | undefined;
  /** The parent named in the request (the measure a milestone is added to). */
  parent?: Record<string, unknown> | undefined;
}

/** The team that owns the measure a record belongs to. */
async function measureOwner(trx: Trx, programId: string, target: WriteTarget): Promise<Array<string | null>> {
  const owners: Array<string | null> = [];
  if (target.kind === 'measure') {
    if (target.rowId) {
      const row = await trx
        .selectFrom('measures')
        .select('owner_name')
        .where('id', '=', target.rowId)
        .executeTakeFirst();
      owners.push(row?.owner_name ?? null);
    }
    if (target.value && 'owner' in target.value) owners.push((target.value.owner as string | null) ?? null);
    return owners;
  }
  if (target.rowId) {
    const row =
      target.kind === 'milestone'
        ? await trx
            .selectFrom('milestones as x')
            .innerJoin('measures as m', 'm.id', 'x.measure_id')
            .select('m.owner_name')
            .where('x.id', '=', target.rowId)
            .executeTakeFirst()
        : await trx
            .selectFrom('verifications as x')
            .innerJoin('measures as m', 'm.id', 'x.measure_id')
            .select('m.owner_name')
            .where('x.id', '=', target.rowId)
            .executeTakeFirst();
    owners.push(row?.owner_name ?? null);
  } else if (typeof target.parent?.measure === 'string') {
    const row = await trx
      .selectFrom('measures')
      .select('owner_name')
      .where('program_id', '=', programId)
      .where('code', '=', target.parent.measure)
      .executeTakeFirst();
    owners.push(row?.owner_name ?? null);
  }
  return owners;
}

/** The organizations a relationship (provider, customer) or an access edge (its organization) is about. */
async function providerOrganizations(trx: Trx, target: WriteTarget): Promise<string[][]> {
  const sides: string[][] = [];
  if (target.kind === 'relationship') {
    if (target.rowId) {
      const row = await trx
        .selectFrom('outsourcing_relationships as r')
        .innerJoin('organizations as c', 'c.id', 'r.customer_org_id')
        .innerJoin('organizations as p', 'p.id', 'r.provider_org_id')
        .select(['c.code as customer', 'p.code as provider'])
        .where('r.id', '=', target.rowId)
        .executeTakeFirst();
      if (row) sides.push([row.provider, row.customer]);
    }
    const v = target.value ?? {};
    const named = [v.provider, v.customer].filter((x): x is string => typeof x === 'string');
    if (named.length > 0) sides.push(named);
  } else {
    if (target.rowId) {
      const row = await trx
        .selectFrom('access_edges as a')
        .innerJoin('organizations as o', 'o.id', 'a.organization_id')
        .select('o.code')
        .where('a.id', '=', target.rowId)
        .executeTakeFirst();
      if (row) sides.push([row.code]);
    }
    if (typeof target.value?.organization === 'string') sides.push([target.value.organization]);
  }
  return sides;
}

/**
 * Throws unless the actor may make this write in the program. A program manager (or an admin, or
 * the operator) may change anything; a measure owner a measure of its team — before and after the
 * change; a contractor a relationship or access edge of its organization — before and after.
 */
export async function authorizeWrite(
  trx: Trx,
  ctx: Pick<ServiceContext, 'actor'>,
  program: { id: string; code: string },
  target: WriteTarget,
): Promise<void> {
  const principal: Principal = ctx.actor.principal;
  if (allows(principal, 'program.write', program.code)) return;
  if (target.kind === 'measure' || target.kind === 'milestone' || target.kind === 'verification') {
    requirePermission(ctx, 'measure.write', program.code);
    const owners = await measureOwner(trx, program.id, target);
    if (owners.length === 0 || !owners.every((o) => mayChangeMeasure(principal, program.code, o)))
      throw forbidden(`${target.kind}.write`, program.code);
    return;
  }
  if (target.kind === 'relationship' || target.kind === 'access') {
    requirePermission(ctx, 'provider.write', program.code);
    // A contractor keeps its records up to date; what they link (the parties, systems, measures, the
    // milestone that ends an access) and new records are the program office's.
    if (!target.rowId) throw forbidden(`${target.kind}.create`, program.code);
    const fixed = OFFICE_ONLY[target.kind].filter((f) => target.value && f in target.value);
    if (fixed.length > 0) throw forbidden(`${target.kind}.${fixed[0]}`, program.code);
    const sides = await providerOrganizations(trx, target);
    if (sides.length === 0 || !sides.every((orgs) => mayChangeProviderRecord(principal, program.code, orgs)))
      throw forbidden(`${target.kind}.write`, program.code);
    return;
  }
  throw forbidden(`${target.kind}.write`, program.code);
}

export function requireUserPrincipal(ctx: Pick<ServiceContext, 'actor'>) {
  const p = ctx.actor.principal;
  if (p.kind !== 'user') throw new AppError('unauthorized', 'errors.unauthorized');
  return p;
}

/**
 * One's own account — sessions, password, second factor, tokens — is managed through a session of
 * the browser only: a token, which holds only some of its user's roles, must not reach beyond them.
 */
export function requireSession(ctx: Pick<ServiceContext, 'actor'>) {
  const p = requireUserPrincipal(ctx);
  if (p.via !== 'session') throw new AppError('forbidden', 'errors.session_only');
  return p;
}
