/**
 * Errors as application/problem+json (RFC 9457): a stable type per error code, a title and detail
 * in the caller's language, and one entry per invalid field with its path.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { AppError } from '../domain/errors.ts';
import { type Language, t } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: Array<{ path: string; message: string; line?: number; column?: number }>;
}

export function problemOf(err: AppError, lang: Language, instance?: string): Problem {
  return {
    type: `urn:oversight:problem:${err.code}`,
    title: t(lang, `problems.${err.code}`),
    status: err.status,
    detail: t(lang, err.key, err.params),
    code: err.code,
    ...(instance ? { instance } : {}),
    ...(err.issues.length > 0
      ? {
          errors: err.issues.map((i) => ({
            path: i.path,
            message: t(lang, i.key, i.params),
            ...(i.line !== undefined ? { line: i.line, column: i.column } : {}),
          })),
        }
      : {}),
  };
}

export function sendProblem(c: Context, err: AppError, lang: Language): Response {
  const body = problemOf(err, lang, c.req.path);
  return c.body(JSON.stringify(body), body.status as 400, { 'content-type': 'application/problem+json' });
}

/** An unexpected error: logged with an id, answered with that id and nothing else. */
export function internalProblem(c: Context, err: unknown, lang: Language, logger: Logger): Response {
  const id = randomUUID();
  logger.error({ err, errorId: id, method: c.req.method, path: c.req.path }, 'unexpected error');
  const response = sendProblem(c, new AppError('internal', 'errors.internal', { id }), lang);
  response.headers.set('x-error-id', id);
  return response;
}
