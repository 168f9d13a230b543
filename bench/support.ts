/**
 * What the benchmarks share: the backends (embedded PGlite, and PostgreSQL when TEST_DATABASE_URL
 * is set, each a fresh database), a generated program loaded into one, an admin token for the
 * API, timing helpers, and the row every figure reports.
 */
import { performance } from 'node:perf_hooks';
import { generateProgram } from '../src/domain/generate.ts';
import { assignmentsOf, createUser } from '../src/services/account.service.ts';
import type { ServiceContext } from '../src/services/context.ts';
import { importProgramText } from '../src/services/program-file.service.ts';
import { createApiToken } from '../src/services/session.service.ts';
import { type Backend, backends, type TestDatabase } from '../test/support/backends.ts';

export type { Backend, TestDatabase };

/** One line of the table. `ceiling` is a bound measured in the same run (a bare server, raw SHA-256). */
export interface Row {
  figure: string;
  backend: 'pglite' | 'postgres' | 'in memory';
  value: number;
  unit: 'ms' | 's' | 'req/s' | 'MB' | 'events/s';
  /** The target, as text (`< 10 s`), and whether the value meets it; absent for a figure shown for context. */
  target?: { text: string; met: boolean };
  ceiling?: { value: number; label: string };
  /** The ratio to the ceiling, and the least ratio the target asks for. */
  ratio?: { value: number; atLeast?: number };
}

export const BENCH_BACKENDS: Backend[] = backends();

/** The scale of the large program; BENCH_SCALE lowers it for a quick run. */
export const SCALE = Number(process.env.BENCH_SCALE ?? 10);

let cached: { json: string; code: string } | undefined;

/** The generated program at SCALE (seed 1) as JSON text, made once per run. */
export function scaledProgram(): { json: string; code: string } {
  if (!cached) {
    const file = generateProgram({ scale: SCALE, seed: 1 });
    cached = { json: JSON.stringify(file), code: file.program.code };
  }
  return cached;
}

export async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

/** The median of `n` runs of `fn`, in ms. */
export async function median(n: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await time(fn))[1]);
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)]!;
}

/** A fresh database on `backend` holding the generated program, and an admin's API token. */
export async function loadedDatabase(
  backend: Backend,
): Promise<{ t: TestDatabase; code: string; token: string }> {
  const t = await backend.create();
  const { json, code } = scaledProgram();
  await importProgramText(t.ctx, json);
  return { t, code, token: await adminToken(t.ctx) };
}

/** An admin user with an API token, for requests to the app. */
export async function adminToken(ctx: ServiceContext): Promise<string> {
  const username = `bench${Date.now()}`;
  const { id } = await createUser(ctx, { username, assignments: [{ role: 'admin', program: null }] });
  const roles = await assignmentsOf(ctx.db, id);
  const principal = { kind: 'user' as const, id, username, assignments: roles, via: 'session' as const };
  const { token } = await createApiToken(
    { db: ctx.db, actor: { id: `user:${username}`, principal } },
    { name: 'bench', expiresInDays: 1, assignments: roles.map((r) => r.id) },
  );
  return token;
}

export function met(value: number, below: number, text: string): Row['target'] {
  return { text, met: value < below };
}
