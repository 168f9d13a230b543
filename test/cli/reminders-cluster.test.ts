/**
 * Three server processes on one PostgreSQL, each with its own job worker scanning every second:
 * every reminder is received exactly once — by e-mail (a real SMTP server in this process) and by
 * webhook (a real HTTP receiver) — and the delivery held by a process killed in the middle of
 * sending it is taken over by another process when its lease runs out, and arrives once.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { Assignment } from '../../src/domain/access.ts';
import { todayIn } from '../../src/domain/dates.ts';
import { assignmentsOf, createUser } from '../../src/services/account.service.ts';
import { systemActor } from '../../src/services/context.ts';
import { scanReminders, updateNotificationSettings } from '../../src/services/notification.service.ts';
import { importProgram } from '../../src/services/program-file.service.ts';
import { reminderProgram } from '../support/builders.ts';
import { startHookReceiver, startMailReceiver } from '../support/receivers.ts';

const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'bin/oversight');
const serverUrl = process.env.TEST_DATABASE_URL;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const PEOPLE: Array<{ username: string; role: Assignment; settings: Record<string, unknown> }> = [
  {
    username: 'hanako',
    role: { role: 'program_manager', program: 'REM' },
    settings: { email: 'hanako@example.jp', language: 'ja' },
  },
  {
    username: 'taro',
    role: { role: 'program_manager', program: 'REM' },
    settings: { email: 'taro@example.com', language: 'en' },
  },
  {
    username: 'alice',
    role: { role: 'measure_owner', program: 'REM', owner: 'Team A' },
    settings: { email: 'alice@example.com', language: 'en', webhook: true },
  },
];

const countOf = (values: readonly (string | undefined)[]) => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  return counts;
};

describe.skipIf(!serverUrl)('reminders from three server processes on one PostgreSQL', () => {
  it('are each received exactly once, and a killed process’s delivery is taken over', async () => {
    const name = `oversight_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    const work = mkdtempSync(join(tmpdir(), 'oversight-reminders-'));
    const mail = await startMailReceiver();
    const hooks = await startHookReceiver();
    const database = await openDatabase({ url: url.toString() });
    const servers: ChildProcess[] = [];
    try {
      // The program, its people and their settings, before any server runs.
      await migrateToLatest(database.db);
      const ctx = { db: database.db, actor: systemActor('test:reminders') };
      await importProgram(ctx, reminderProgram(todayIn('Asia/Tokyo')));
      let secret = '';
      for (const p of PEOPLE) {
        const { id } = await createUser(ctx, { username: p.username, assignments: [p.role] });
        const assignments = await assignmentsOf(database.db, id);
        const me = {
          db: database.db,
          actor: {
            id: `user:${p.username}`,
            principal: {
              kind: 'user' as const,
              id,
              username: p.username,
              assignments,
              via: 'session' as const,
            },
          },
        };
        const { webhook, ...settings } = p.settings;
        const saved = await updateNotificationSettings(me, {
          ...settings,
          ...(webhook ? { webhookUrl: hooks.url } : {}),
        });
        if (webhook) secret = saved.webhookSecret!;
      }

      // The first message any server sends is never answered: its sender is killed while it waits.
      mail.hold(1);
      let out = '';
      for (let i = 0; i < 3; i++) {
        const port = await freePort();
        const child = spawn(bin, ['serve', '--port', String(port), '--host', '127.0.0.1', '--no-seed'], {
          cwd: work,
          env: {
            ...process.env,
            DATABASE_URL: url.toString(),
            OVERSIGHT_LOG_KEY: join(work, 'log-key.pem'),
            OVERSIGHT_EVIDENCE_DIR: join(work, 'evidence'),
            SMTP_URL: mail.url,
            OVERSIGHT_BASE_URL: 'https://oversight.example.com',
            OVERSIGHT_JOB_POLL_MS: '200',
            OVERSIGHT_JOB_LEASE_MS: '5000',
            OVERSIGHT_SCAN_EVERY_MS: '1000',
            OVERSIGHT_RETRY_BASE_MS: '200',
            OVERSIGHT_WEBHOOK_ALLOW_PRIVATE: 'true',
            LOG_LEVEL: 'error',
            LANG: 'C',
            OVERSIGHT_LANG: 'en',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        child.stdout!.on('data', (d) => (out += d));
        child.stderr!.on('data', (d) => (out += d));
        servers.push(child);
      }
      await until('three servers', () => (out.match(/is serving on/g) ?? []).length >= 3);

      // Kill the process holding the unanswered delivery.
      await until('a message held', () => mail.held() === 1);
      let holder = '';
      await until('the held delivery’s claim', async () => {
        const claimed = await database.db.selectFrom('notification_deliveries').select('job_id').execute();
        const done = new Set(claimed.map((c) => c.job_id));
        const live = await database.db
          .selectFrom('jobs')
          .select(['id', 'locked_by'])
          .where('queue', '=', 'deliver')
          .where('done_at', 'is', null)
          .where('locked_until', '>', new Date())
          .execute();
        const held = live.filter((j) => !done.has(j.id) && j.locked_by);
        if (held.length !== 1) return false;
        holder = held[0]!.locked_by!;
        return true;
      });
      const pid = Number(holder.split(':').at(-2));
      const victim = servers.find((s) => s.pid === pid);
      expect(victim, `the holder ${holder} is one of the three servers`).toBeDefined();
      victim!.kill('SIGKILL');
      const heldJob = await database.db
        .selectFrom('jobs')
        .select(['id', 'key'])
        .where('locked_by', '=', holder)
        .executeTakeFirstOrThrow();

      // Every delivery done: the others go on scanning each second all the while.
      await until(
        'every delivery done',
        async () => {
          const open = await database.db
            .selectFrom('jobs')
            .select('id')
            .where('queue', '=', 'deliver')
            .where('done_at', 'is', null)
            .execute();
          const scans = await database.db
            .selectFrom('jobs')
            .select('id')
            .where('queue', '=', 'scan')
            .where('done_at', 'is not', null)
            .execute();
          return open.length === 0 && scans.length >= 3;
        },
        60_000,
      );

      const notifications = await database.db
        .selectFrom('notifications as n')
        .innerJoin('users as u', 'u.id', 'n.user_id')
        .select(['n.id', 'u.username'])
        .execute();
      expect(notifications.length).toBeGreaterThan(5);
      // E-mail: each notification once, none missing, none twice.
      const mailed = countOf(mail.mails.map((m) => m.notification));
      expect([...mailed.keys()].sort()).toEqual(notifications.map((n) => n.id).sort());
      expect([...mailed.values()].every((n) => n === 1)).toBe(true);
      // In each person's language.
      const toHanako = mail.mails.filter((m) => m.to === 'hanako@example.jp');
      expect(toHanako.length).toBeGreaterThan(0);
      expect(toHanako.every((m) => m.language === 'ja' && /[ぁ-んァ-ヶ一-龠]/.test(m.subject))).toBe(true);
      expect(mail.mails.filter((m) => m.to !== 'hanako@example.jp').every((m) => m.language === 'en')).toBe(
        true,
      );
      // Webhook: Alice's notifications once each, signed with her key.
      const aliceIds = notifications.filter((n) => n.username === 'alice').map((n) => n.id);
      const hooked = countOf(hooks.requests.map((r) => String(r.headers['oversight-delivery'])));
      expect([...hooked.keys()].sort()).toEqual(aliceIds.sort());
      expect([...hooked.values()].every((n) => n === 1)).toBe(true);
      for (const r of hooks.requests) {
        const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['oversight-signature'])) ?? [];
        expect(createHmac('sha256', secret).update(`${t}.${r.body}`).digest('hex')).toBe(v1);
      }
      // The killed process's delivery: a second claim by another process, which sent it.
      const taken = await database.db
        .selectFrom('jobs')
        .select(['attempts', 'done_at'])
        .where('id', '=', heldJob.id)
        .executeTakeFirstOrThrow();
      expect(taken.attempts).toBe(2);
      const log = await database.db
        .selectFrom('notification_deliveries')
        .select(['worker', 'outcome'])
        .where('job_id', '=', heldJob.id)
        .execute();
      expect(log).toHaveLength(1);
      expect(log[0]!.outcome).toBe('sent');
      expect(log[0]!.worker).not.toBe(holder);
      // The work was shared, and a scan now finds nothing new to make.
      const workers = await database.db
        .selectFrom('notification_deliveries')
        .select('worker')
        .distinct()
        .execute();
      expect(workers.length).toBeGreaterThanOrEqual(2);
      expect((await scanReminders(database.db, { email: true })).notifications).toBe(0);
      console.log(
        `reminders: ${notifications.length} notifications, ${mail.mails.length} e-mails, ${hooks.requests.length} webhooks from ${workers.length} workers; ${heldJob.key} taken over`,
      );
    } finally {
      for (const s of servers) if (s.exitCode === null && s.signalCode === null) s.kill('SIGTERM');
      await Promise.all(
        servers.map((s) =>
          s.exitCode !== null || s.signalCode !== null
            ? undefined
            : new Promise((resolve) => s.once('exit', resolve)),
        ),
      );
      await database.close();
      await mail.close();
      await hooks.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);
});
