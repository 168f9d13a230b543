/**
 * The job queue: a table every server process works from. A job is claimed by one process at a
 * time (`FOR UPDATE SKIP LOCKED`, so processes never wait on each other's claims) under a lease: a
 * process that dies holding a job loses it when the lease runs out, and another takes it. A job's
 * key is unique, so a job enqueued twice (by two processes scheduling the same scan, by a scan run
 * twice) exists once. Works the same on PGlite (one connection) and PostgreSQL.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

export interface Job {
  id: number;
  queue: string;
  key: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
}

type Handle = Kysely<DB> | Transaction<DB>;

/** Enqueues a job unless one with the key exists; whether it was new. */
export async function enqueueJob(
  db: Handle,
  job: { queue: string; key: string; payload?: unknown; runAt?: Date; maxAttempts?: number },
): Promise<boolean> {
  const row = await db
    .insertInto('jobs')
    .values({
      queue: job.queue,
      key: job.key,
      payload: JSON.stringify(job.payload ?? {}),
      ...(job.runAt ? { run_at: job.runAt } : {}),
      ...(job.maxAttempts ? { max_attempts: job.maxAttempts } : {}),
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Enqueues many jobs in one statement, skipping keys that exist; how many were new. */
export async function enqueueJobs(
  db: Handle,
  jobs: ReadonlyArray<{ queue: string; key: string; payload?: unknown }>,
): Promise<number> {
  if (jobs.length === 0) return 0;
  const made = await db
    .insertInto('jobs')
    .values(jobs.map((j) => ({ queue: j.queue, key: j.key, payload: JSON.stringify(j.payload ?? {}) })))
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .execute();
  return made.length;
}

/**
 * Claims the next job that is due and not held under a live lease, for `leaseMs`. The attempt is
 * counted at the claim, so a job whose process keeps dying still runs out of attempts.
 */
export async function claimJob(db: Kysely<DB>, worker: string, leaseMs: number): Promise<Job | undefined> {
  const { rows } = await sql<{
    id: number;
    queue: string;
    key: string;
    payload: unknown;
    attempts: number;
    max_attempts: number;
  }>`
    update jobs set
      locked_by = ${worker},
      locked_until = now() + make_interval(secs => ${leaseMs / 1000}),
      attempts = attempts + 1
    where id = (
      select id from jobs
      where done_at is null and failed_at is null and run_at <= now()
        and attempts < max_attempts
        and (locked_until is null or locked_until < now())
      order by run_at, id
      limit 1
      for update skip locked
    )
    returning id, queue, key, payload, attempts, max_attempts`.execute(db);
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: Number(r.id),
    queue: r.queue,
    key: r.key,
    payload: r.payload,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
  };
}

/**
 * Fails for good the jobs whose last attempt's process stopped while holding them (their lease ran
 * out with no attempts left): without this they would wait in the queue forever, neither done nor
 * failed, and `notify retry` would not see them. How many.
 */
export async function failAbandonedJobs(db: Handle): Promise<number> {
  const r = await db
    .updateTable('jobs')
    .set({
      failed_at: sql<Date>`now()`,
      locked_by: null,
      locked_until: null,
      last_error: sql<string>`coalesce(last_error || ' — ', '') || 'its process stopped during the last attempt'`,
    })
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .where(sql<boolean>`attempts >= max_attempts`)
    .where('locked_until', '<', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Renews a claim while its job runs; false if the claim is no longer this worker's. */
export async function extendLease(db: Handle, job: Job, worker: string, leaseMs: number): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ locked_until: sql<Date>`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where('id', '=', job.id)
    .where('locked_by', '=', worker)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Marks a claimed job done, if the claim is still this worker's (a lapsed lease may have moved it). */
export async function completeJob(db: Handle, job: Job, worker: string): Promise<boolean> {
  const r = await db
    .updateTable('jobs')
    .set({ done_at: sql<Date>`now()`, locked_by: null, locked_until: null, last_error: null })
    .where('id', '=', job.id)
    .where('locked_by', '=', worker)
    .where('done_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Gives a job back after a failed attempt: due again after `retryInMs`, or failed for good once its
 * attempts are spent (kept, with the last error, for an operator to see and retry).
 */
export async function failJob(
  db: Handle,
  job: Job,
  worker: string,
  error: string,
  retryInMs: number,
): Promise<'retry' | 'failed'> {
  const final = job.attempts >= job.maxAttempts;
  await db
    .updateTable('jobs')
    .set({
      locked_by: null,
      locked_until: null,
      last_error: error.slice(0, 2000),
      ...(final
        ? { failed_at: sql<Date>`now()` }
        : { run_at: sql<Date>`now() + make_interval(secs => ${retryInMs / 1000})` }),
    })
    .where('id', '=', job.id)
    .where('locked_by', '=', worker)
    .execute();
  return final ? 'failed' : 'retry';
}

/** Counts of the queue by state, for `notify status` and the tests. */
export async function jobCounts(db: Kysely<DB>): Promise<Record<string, Record<string, number>>> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => [
      'queue',
      sql<string>`case when done_at is not null then 'done' when failed_at is not null then 'failed'
        when locked_until > now() then 'running' else 'waiting' end`.as('state'),
      eb.fn.countAll<number>().as('n'),
    ])
    .groupBy(['queue', 'state'])
    .execute();
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    out[r.queue] ??= {};
    out[r.queue]![r.state] = Number(r.n);
  }
  return out;
}

/**
 * Puts failed deliveries back in the queue with fresh attempts; how many. A failed scan is not:
 * the next slot's scan does its work again.
 */
export async function retryFailedJobs(db: Handle): Promise<number> {
  const r = await db
    .updateTable('jobs')
    .set({ failed_at: null, attempts: 0, run_at: sql<Date>`now()`, last_error: null })
    .where('failed_at', 'is not', null)
    .where('queue', '=', 'deliver')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
