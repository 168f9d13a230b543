/**
 * What every use case gets: the database, who is acting, and the one way to write: `write()` runs
 * the change in a transaction and appends its audit events in that same transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../db/schema.ts';
import { AppError, validationFailed } from '../domain/errors.ts';
import { zodIssues } from '../domain/program-file/parse.ts';

export interface Actor {
  /** Stable identifier: a user id later; `cli:<user>` or `api:anonymous` until accounts exist. */
  id: string;
}

export interface ServiceContext {
  db: Kysely<DB>;
  actor: Actor;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  entityCode?: string | null;
  programId?: string | null;
  payload?: Record<string, unknown>;
}

export type Audit = (entry: AuditEntry) => void;

export async function write<T>(
  ctx: ServiceContext,
  change: (trx: Transaction<DB>, audit: Audit) => Promise<T>,
): Promise<T> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const entries: AuditEntry[] = [];
      const result = await change(trx, (e) => entries.push(e));
      if (entries.length > 0) {
        await trx
          .insertInto('audit_events')
          .values(
            entries.map((e) => ({
              actor: ctx.actor.id,
              action: e.action,
              entity_type: e.entityType,
              entity_id: e.entityId ?? null,
              entity_code: e.entityCode ?? null,
              program_id: e.programId ?? null,
              payload: JSON.stringify(e.payload ?? {}),
            })),
          )
          .execute();
      }
      return result;
    });
  } catch (err) {
    throw fromDatabaseError(err);
  }
}

/** Maps the database's constraint errors to AppError; passes AppError through. */
export function fromDatabaseError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown })?.code;
  const detail = String((err as { detail?: unknown })?.detail ?? (err as Error)?.message ?? '');
  switch (code) {
    case '23505':
      return new AppError('conflict', 'errors.duplicate', { detail }, [], { cause: err });
    case '23503':
      return new AppError('conflict', 'errors.reference', { detail }, [], { cause: err });
    case '23514':
    case '23502':
    case '22007':
    case '22008':
      return new AppError('validation', 'errors.constraint', { detail }, [], { cause: err });
    case '40001':
    case '40P01':
      return new AppError('conflict', 'errors.concurrent', {}, [], { cause: err });
    default:
      return err;
  }
}

/** Validates input with a zod schema; throws one validation error with every field issue. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw validationFailed(
    zodIssues(parsed.error.issues).map(({ rawPath: _raw, ...i }) => ({
      ...i,
      path: prefix && i.path ? `${prefix}.${i.path}` : prefix || i.path,
    })),
  );
}
