/**
 * What every use case gets: the database, who is acting, and the one way to write: `write()` runs
 * the change in a transaction and appends its audit events in that same transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import type { z } from 'zod';
import { appendEvents } from '../db/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { Principal } from '../domain/access.ts';
import { AppError, validationFailed } from '../domain/errors.ts';
import { inputSafetyIssues } from '../domain/input-safety.ts';
import { zodIssues } from '../domain/program-file/parse.ts';

export interface Actor {
  /** Stable identifier in the audit log: `user:<username>`, `cli:<user>`, `system:seed`, `anonymous`. */
  id: string;
  /** Who it is and what roles it holds: every service asks before it reads or writes. */
  principal: Principal;
}

export interface ServiceContext {
  db: Kysely<DB>;
  actor: Actor;
  /**
   * The instant the audit log records for this context's changes; the server's clock when absent.
   * Only a replay of a program's known history into an empty log sets it (the demo seed), and the
   * log refuses an instant earlier than its last event's.
   */
  clock?: () => Date;
}

/** A reading use case needs the same as a writing one: the database and who asks. */
export type Reader = ServiceContext;

/** The operator at the machine (CLI, seeding, benchmarks, tests of the services): may do anything. */
export function systemActor(id: string): Actor {
  return { id, principal: { kind: 'system', id } };
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
      await appendEvents(trx, ctx.actor.id, entries, ctx.clock?.());
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
  switch (code) {
    case '23505':
      return new AppError('conflict', 'errors.duplicate', { code: duplicatedCode(err) }, [], { cause: err });
    case '23503':
      return new AppError('conflict', 'errors.reference', {}, [], { cause: err });
    case '23514':
    case '23502':
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22021':
    case '22P02':
    case '22P05':
      // The schemas should have caught it; the database's own words (with ids) are logged, not shown.
      return new AppError('validation', 'errors.constraint', {}, [], { cause: err });
    case 'P0001':
      // Raised by a trigger that guards a submitted report.
      return new AppError('conflict', 'errors.report_frozen', {}, [], { cause: err });
    case '40001':
    case '40P01':
      return new AppError('conflict', 'errors.concurrent', {}, [], { cause: err });
    default:
      return err;
  }
}

/** The user's code from a unique violation's detail, `Key (program_id, code)=(…, M-1) already exists.` */
function duplicatedCode(err: unknown): string {
  const detail = String((err as { detail?: unknown })?.detail ?? '');
  const m = /^Key \((.+)\)=\((.+)\) already exists/.exec(detail);
  if (!m) return '?';
  const columns = m[1]!.split(', ');
  const values = m[2]!.split(', ');
  const at = columns.indexOf('code');
  return at >= 0 && columns.length === values.length ? values[at]! : '?';
}

/** Validates input with a zod schema; throws one validation error with every field issue. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const unsafe = inputSafetyIssues(input);
  if (unsafe.length > 0) throw validationFailed(unsafe.map(({ rawPath: _raw, ...i }) => i));
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw validationFailed(
    zodIssues(parsed.error.issues).map(({ rawPath: _raw, ...i }) => ({
      ...i,
      path: prefix && i.path ? `${prefix}.${i.path}` : prefix || i.path,
    })),
  );
}
