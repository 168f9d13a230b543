/**
 * The one error type of Oversight. A stable `code` says what kind of failure it is; `key` names
 * the user message in locales/{en,ja}.json (with `params`); `issues` lists every invalid field.
 * The internal detail (`cause`) is logged, never shown.
 */
export type ErrorCode =
  | 'validation'
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unauthorized'
  | 'locked'
  | 'too_many_requests'
  | 'internal';

export interface FieldIssue {
  /** Field path, e.g. `measures[3].milestones[0].planned`. */
  path: string;
  /** i18n key of the message, e.g. `validation.not_a_date`. */
  key: string;
  params?: Record<string, unknown>;
  /** 1-based line and column in a source file, when the input came from one. */
  line?: number;
  column?: number;
}

const STATUS: Record<ErrorCode, number> = {
  validation: 422,
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthorized: 401,
  locked: 423,
  too_many_requests: 429,
  internal: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly key: string;
  readonly params: Record<string, unknown>;
  readonly issues: FieldIssue[];

  constructor(
    code: ErrorCode,
    key: string,
    params: Record<string, unknown> = {},
    issues: FieldIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${key} ${JSON.stringify(params)}`, options);
    this.name = 'AppError';
    this.code = code;
    this.key = key;
    this.params = params;
    this.issues = issues;
  }

  get status(): number {
    return STATUS[this.code];
  }

  /** CLI exit code: 2 for usage errors, 1 for everything else. */
  get exitCode(): number {
    return this.code === 'bad_request' ? 2 : 1;
  }
}

export const notFound = (entity: string, code: string) =>
  new AppError('not_found', 'errors.not_found', { entity, code });

export const validationFailed = (issues: FieldIssue[]) =>
  new AppError('validation', 'errors.validation', { count: issues.length }, issues);

export const staleVersion = (entity: string, code: string, expected: number) =>
  new AppError('conflict', 'errors.stale_version', { entity, code, expected });

/** Formats a path array as `measures[3].milestones[0].planned`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
