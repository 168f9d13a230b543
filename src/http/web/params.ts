/**
 * What a page reads from its address: a code in the path, a value from a closed list or a date in
 * the query. Anything else is a bad request that says which parameter and why; nothing is read.
 */
import type { Context } from 'hono';
import { type CalendarDate, isCalendarDate } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { codeSchema } from '../../domain/program-file/schema.ts';
import type { AppEnv } from '../env.ts';

/** How much of a bad value the error message repeats. */
const SHOWN = 80;

export function badParameter(path: string, key: string, params: Record<string, unknown> = {}): AppError {
  return new AppError('bad_request', 'errors.validation', { count: 1 }, [{ path, key, params }]);
}

/** A path segment that must be a code; anything else is a malformed id. */
export function codeParam(c: Context<AppEnv>, name: string): string {
  const value = c.req.param(name) ?? '';
  if (!codeSchema.safeParse(value).success)
    throw badParameter(`path.${name}`, 'validation.not_an_id', {
      input: JSON.stringify(value.slice(0, SHOWN)),
    });
  return value;
}

/** A value of query parameter `name` from a closed list; absent or empty reads as none. */
export function oneOfValues<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw badParameter(`query.${name}`, 'validation.invalid_value', {
      allowed: allowed.join(', '),
      input: JSON.stringify(value.slice(0, SHOWN)),
    });
  return value as T;
}

/** A query parameter from a closed list; absent or empty reads as none. */
export const queryOneOf = <T extends string>(c: Context<AppEnv>, name: string, allowed: readonly T[]) =>
  oneOfValues(name, c.req.query(name), allowed);

/** A query parameter that must be a calendar date; absent or empty reads as none. */
export function queryDate(c: Context<AppEnv>, name: string): CalendarDate | undefined {
  const value = c.req.query(name);
  if (value === undefined || value === '') return undefined;
  if (!isCalendarDate(value))
    throw badParameter(`query.${name}`, 'validation.not_a_date', {
      input: JSON.stringify(value.slice(0, SHOWN)),
    });
  return value;
}
