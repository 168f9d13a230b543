/** Resolves codes to ids from the database, within one program. */
import { AppError } from '../domain/errors.ts';
import type { EntityKind } from './program-reader.ts';
import type { Resolver, Trx } from './program-writer.ts';

export const TABLE_OF = {
  organization: 'organizations',
  incident: 'incidents',
  directive: 'directives',
  item: 'directive_items',
  measure: 'measures',
  milestone: 'milestones',
  verification: 'verifications',
  system: 'systems',
  access: 'access_edges',
  link: 'system_links',
  relationship: 'outsourcing_relationships',
} as const satisfies Record<EntityKind, string>;

export function databaseResolver(trx: Trx, programId: string): Resolver {
  const one = async (kind: EntityKind, code: string, path: string) => {
    const row = await trx
      .selectFrom(TABLE_OF[kind])
      .select('id')
      .where('program_id', '=', programId)
      .where('code', '=', code)
      .executeTakeFirst();
    if (!row) throw unknownCodes(kind, [[code, path]]);
    return row.id;
  };
  const many = async (kind: EntityKind, codes: readonly string[], path: string) => {
    if (codes.length === 0) return [];
    const rows = await trx
      .selectFrom(TABLE_OF[kind])
      .select(['id', 'code'])
      .where('program_id', '=', programId)
      .where('code', 'in', [...new Set(codes)])
      .execute();
    const ids = new Map(rows.map((r) => [r.code, r.id]));
    const unknown = codes.flatMap(
      (code, i): Array<[string, string]> => (ids.has(code) ? [] : [[code, `${path}[${i}]`]]),
    );
    if (unknown.length > 0) throw unknownCodes(kind, unknown);
    return codes.map((code) => ids.get(code)!);
  };
  return Object.assign(one, { many });
}

/** A resolver over maps filled as an import inserts records. */
export function mapResolver(maps: Map<EntityKind, Map<string, string>>): Resolver {
  return async (kind, code, path) => {
    const id = maps.get(kind)?.get(code);
    if (id === undefined) throw unknownCode(kind, code, path);
    return id;
  };
}

export function unknownCode(kind: EntityKind, code: string, path: string): AppError {
  return unknownCodes(kind, [[code, path]]);
}

function unknownCodes(kind: EntityKind, codes: Array<[code: string, path: string]>): AppError {
  return new AppError(
    'validation',
    'errors.validation',
    { count: codes.length },
    codes.map(([code, path]) => ({ path, key: 'validation.unknown_code', params: { kind, code } })),
  );
}

/** Looks up one record of a program by code; undefined when there is none. */
export async function findByCode(
  trx: Trx,
  kind: EntityKind,
  programId: string,
  code: string,
): Promise<{ id: string; version: number } | undefined> {
  return trx
    .selectFrom(TABLE_OF[kind])
    .select(['id', 'version'])
    .where('program_id', '=', programId)
    .where('code', '=', code)
    .executeTakeFirst();
}
