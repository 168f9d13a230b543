/**
 * The job worker every server process runs beside its web server: it schedules the reminder scan
 * (one job per time slot, whichever process enqueues it first), then claims due jobs one at a time
 * and runs them — scans, and deliveries by e-mail and webhook. A job that fails is tried again
 * after a growing pause; one whose process dies is taken by another when its lease runs out.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import {
  claimJob,
  completeJob,
  enqueueJob,
  extendLease,
  failAbandonedJobs,
  failJob,
  type Job,
} from './db/jobs.ts';
import type { DB } from './db/schema.ts';
import type { Language } from './i18n/index.ts';
import { type Logger, silentLogger } from './logger.ts';
import { type DeliveryRecord, deliverNotification, type Mailer } from './services/delivery.service.ts';
import { scanReminders } from './services/notification.service.ts';

export interface WorkerOptions {
  db: Kysely<DB>;
  mailer: Mailer | undefined;
  baseUrl: string;
  language: Language;
  /** How long to wait when no job is due. */
  pollMs: number;
  /** How long a claim holds before another process may take the job. */
  leaseMs: number;
  /** How often the reminders are scanned for. */
  scanEveryMs: number;
  /** The first pause after a failure; each further failure doubles it (up to an hour). */
  retryBaseMs: number;
  /** Let webhooks reach loopback and private addresses (tests, a receiver inside the network). */
  allowPrivateWebhooks?: boolean;
  logger?: Logger;
  /** Who this worker is, in the job table and the delivery log. */
  id?: string;
}

export interface Worker {
  id: string;
  /** Polls for jobs until stopped. */
  start(): void;
  /** Schedules this slot's scan and runs every due job; how many ran. */
  runUntilIdle(): Promise<number>;
  /** Stops polling and waits for the job in hand. */
  stop(): Promise<void>;
}

const MAX_PAUSE_MS = 60 * 60 * 1000;
/** How long a webhook's receiver may take to answer. */
const WEBHOOK_TIMEOUT_MS = 10_000;
/** How many times a finished job's completion is tried before it is left to its lease. */
const FINISH_ATTEMPTS = 3;

export function createWorker(options: WorkerOptions): Worker {
  const id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const logger = options.logger ?? silentLogger;
  const { db } = options;
  let stopping = false;

  /** Runs a job's work; what a delivery hands back is written with the job's completion. */
  async function work(job: Job, signal: AbortSignal): Promise<DeliveryRecord | undefined> {
    if (job.queue === 'scan') {
      const result = await scanReminders(db, { email: options.mailer !== undefined });
      logger.info({ job: job.key, ...result }, 'reminders scanned');
      return undefined;
    }
    if (job.queue === 'deliver')
      return deliverNotification(
        db,
        job,
        {
          mailer: options.mailer,
          baseUrl: options.baseUrl,
          language: options.language,
          worker: id,
          webhookTimeoutMs: WEBHOOK_TIMEOUT_MS,
          allowPrivateWebhooks: options.allowPrivateWebhooks ?? false,
        },
        signal,
      );
    throw new Error(`no handler for queue ${job.queue}`);
  }

  async function run(job: Job): Promise<void> {
    // The claim is renewed while the job runs, so a slow receiver does not let another process
    // take a job that is still being sent; a process that dies stops renewing, and loses it. A
    // claim found lost (this process stalled past its lease and another took the job) stops the
    // send, so that the message goes out from one process only.
    const claim = new AbortController();
    const heartbeat = setInterval(
      () =>
        void extendLease(db, job, id, options.leaseMs).then(
          (held) => {
            if (!held) claim.abort(new Error('the claim on this job passed to another process'));
          },
          // The database out of reach for a moment: the lease has time left, and the next beat retries.
          () => undefined,
        ),
      Math.max(100, options.leaseMs / 3),
    );
    let record: DeliveryRecord | undefined;
    try {
      record = await work(job, claim.signal);
    } catch (err) {
      clearInterval(heartbeat);
      const pause = Math.min(options.retryBaseMs * 2 ** (job.attempts - 1), MAX_PAUSE_MS);
      const outcome = await failJob(db, job, id, (err as Error).message ?? String(err), pause).catch(
        () => 'unrecorded',
      );
      logger.warn(
        { job: job.key, attempt: job.attempts, outcome, err: (err as Error).message },
        'job failed',
      );
      return;
    }
    // Done. From here on a failure must not send again: the log row and the completion are written
    // together, tried a few times while the claim is still renewed, and never turned into a retry.
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const held = await db.transaction().execute(async (trx) => {
            await record?.(trx);
            return completeJob(trx, job, id);
          });
          if (!held)
            logger.warn(
              { job: job.key },
              'job done after its claim lapsed: another process may have run it too',
            );
          return;
        } catch (err) {
          if (attempt >= FINISH_ATTEMPTS) {
            logger.error(
              { job: job.key, err: (err as Error).message },
              'job done but not recorded: it may run again when its claim runs out',
            );
            return;
          }
          await new Promise((r) => setTimeout(r, 200 * attempt));
        }
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function runUntilIdle(): Promise<number> {
    const slot = Math.floor(Date.now() / options.scanEveryMs) * options.scanEveryMs;
    await enqueueJob(db, { queue: 'scan', key: `scan:${new Date(slot).toISOString()}`, maxAttempts: 3 });
    const abandoned = await failAbandonedJobs(db);
    if (abandoned > 0)
      logger.warn({ jobs: abandoned }, 'jobs failed: their process stopped during the last attempt');
    let ran = 0;
    while (!stopping) {
      const job = await claimJob(db, id, options.leaseMs);
      if (!job) break;
      await run(job);
      ran++;
    }
    return ran;
  }

  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const loop = () => {
    current = runUntilIdle()
      .catch((err) => logger.error({ err }, 'job worker failed'))
      .finally(() => {
        if (!stopping) timer = setTimeout(loop, options.pollMs);
      });
  };
  return {
    id,
    runUntilIdle,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await current;
    },
    start: loop,
  };
}

/** A worker that polls until stopped. */
export function startWorker(options: WorkerOptions): Worker {
  const worker = createWorker(options);
  worker.start();
  return worker;
}
