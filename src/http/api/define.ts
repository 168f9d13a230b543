/**
 * Declares an API operation once: the Hono handler and its OpenAPI description come from the same
 * zod schemas. Bodies are read by `readBody` (clear 4xx on malformed JSON) and validated by the
 * service, so every write goes through the one write path.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { zodIssues } from '../../domain/program-file/parse.ts';
import { codeSchema } from '../../domain/program-file/schema.ts';
import type { AppEnv } from '../env.ts';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface Operation {
  method: Method;
  /** Hono-style path under /api/v1, e.g. `/programs/:program/measures/:code`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  body?: z.ZodType;
  bodyMediaTypes?: string[];
  query?: z.ZodObject;
  response: z.ZodType;
  status?: 200 | 201;
  handler: (c: Context<AppEnv>) => Promise<Response>;
}

const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(
        z.object({
          path: z.string(),
          message: z.string(),
          line: z.number().optional(),
          column: z.number().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem' });

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

export function define(app: OpenAPIHono<AppEnv>, op: Operation): void {
  const params = [...op.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const openapiPath = `/api/v1${op.path.replace(/:(\w+)/g, '{$1}')}`;
  app.openAPIRegistry.registerPath({
    method: op.method,
    path: openapiPath,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    request: {
      ...(params.length > 0
        ? { params: z.object(Object.fromEntries(params.map((p) => [p, codeSchema]))) }
        : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(op.body
        ? {
            body: {
              required: true,
              content: Object.fromEntries(
                (op.bodyMediaTypes ?? ['application/json']).map((t) => [t, { schema: op.body! }]),
              ),
            },
          }
        : {}),
    },
    responses: {
      [op.status ?? 200]: { description: 'OK', content: { 'application/json': { schema: op.response } } },
      400: problemResponse('Malformed request'),
      404: problemResponse('Not found'),
      ...(op.method !== 'get'
        ? {
            409: problemResponse('Conflict: stale version or duplicate code'),
            422: problemResponse('Invalid input'),
          }
        : {}),
    },
  });
  app.on(op.method.toUpperCase(), `/api/v1${op.path}`, async (c) => {
    for (const p of params) checkCode(p, c.req.param(p) ?? '');
    return op.handler(c);
  });
}

/** A path segment that cannot be a code is a malformed id: 400 with the parameter named. */
function checkCode(name: string, value: string): void {
  if (!codeSchema.safeParse(value).success) {
    throw new AppError('bad_request', 'errors.validation', { count: 1 }, [
      { path: `path.${name}`, key: 'validation.not_an_id', params: { input: JSON.stringify(value) } },
    ]);
  }
}

/** Reads a JSON body; malformed JSON or a wrong content type is a 400 that says so. */
export async function readBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type))
    throw new AppError('bad_request', 'errors.bad_content_type');
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('bad_request', 'errors.bad_json', { detail: (err as Error).message });
  }
}

/** Validates query parameters; problems are reported under `query.<name>`, in the caller's language. */
export function readQuery<S extends z.ZodObject>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query(), { reportInput: true });
  if (parsed.success) return parsed.data;
  const issues = zodIssues(parsed.error.issues).map(({ rawPath: _raw, ...i }) => ({
    ...i,
    path: `query.${i.path}`,
  }));
  throw new AppError('bad_request', 'errors.validation', { count: issues.length }, issues);
}
