/**
 * bin/oversight notify: reminders from the machine that holds the database — one pass of the
 * scan and the deliveries (for a cron job, or a server run with OVERSIGHT_JOBS=false), the state
 * of the queue, and failed deliveries put back in it.
 */
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { jobCounts, retryFailedJobs } from '../db/jobs.ts';
import { t } from '../i18n/index.ts';
import { smtpMailer } from '../services/delivery.service.ts';
import { scanReminders } from '../services/notification.service.ts';
import { createWorker } from '../worker.ts';
import type { CommandEnv } from './analysis-commands.ts';

export function registerNotifyCommands(program: Command, env: CommandEnv & { config: () => Config }): void {
  const notify = program
    .command('notify')
    .description('reminders and notifications: run once, show the queue, retry failed deliveries');
  notify
    .command('run')
    .description('scan for due reminders now and deliver every notification that is due')
    .action(async () => {
      const config = env.config();
      const lang = env.language();
      await env.withDatabase(async (ctx) => {
        const scanned = await scanReminders(ctx.db, { email: config.smtp !== undefined });
        env.out(t(lang, 'cli.notifyScanned', { ...scanned }));
        const worker = createWorker({
          db: ctx.db,
          mailer: config.smtp ? smtpMailer(config.smtp.url, config.smtp.from) : undefined,
          baseUrl: config.baseUrl ?? `http://localhost:${config.port}`,
          language: config.language,
          ...config.jobs,
        });
        const ran = await worker.runUntilIdle();
        const deliver = (await jobCounts(ctx.db)).deliver ?? {};
        env.out(
          t(lang, 'cli.notifyRan', { ran, waiting: deliver.waiting ?? 0, failed: deliver.failed ?? 0 }),
        );
        if ((deliver.failed ?? 0) > 0) env.setExitCode(1);
      });
    });
  notify
    .command('status')
    .description('jobs by queue and state, and the deliveries that failed for good')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const lang = env.language();
      await env.withDatabase(async (ctx) => {
        const counts = await jobCounts(ctx.db);
        const failed = await ctx.db
          .selectFrom('jobs')
          .select(['key', 'attempts', 'last_error', 'failed_at'])
          .where('failed_at', 'is not', null)
          .orderBy('failed_at', 'desc')
          .limit(50)
          .execute();
        if (opts.json) return env.out(JSON.stringify({ counts, failed }, null, 2));
        for (const [queue, states] of Object.entries(counts))
          env.out(
            `${queue.padEnd(8)} ${Object.entries(states)
              .map(([state, n]) => `${t(lang, `cli.jobState.${state}`)} ${n}`)
              .join(' · ')}`,
          );
        if (Object.keys(counts).length === 0) env.out(t(lang, 'cli.notifyEmpty'));
        for (const f of failed)
          env.out(
            t(lang, 'cli.notifyFailed', { key: f.key, attempts: f.attempts, error: f.last_error ?? '' }),
          );
        if (failed.length > 0) env.setExitCode(1);
      });
    });
  notify
    .command('retry')
    .description('put the deliveries that failed for good back in the queue, with fresh attempts')
    .action(async () => {
      const lang = env.language();
      const n = await env.withDatabase((ctx) => retryFailedJobs(ctx.db));
      env.out(t(lang, 'cli.notifyRetried', { count: n }));
    });
}
