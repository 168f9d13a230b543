/**
 * Reminders, end to end within one process, on both backends: a scan makes each due reminder once
 * for each person whose role concerns it, in-app and as delivery jobs; the worker sends them by
 * e-mail (a real SMTP server in this process) in each person's language and by webhook (a real
 * HTTP receiver) with a valid signature, retrying a receiver that fails; a kind turned off is not
 * sent; a scan run again sends nothing; a lint error that newly appears is announced.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobCounts } from '../../src/db/jobs.ts';
import type { Assignment } from '../../src/domain/access.ts';
import { todayIn } from '../../src/domain/dates.ts';
import { isoWeekOf } from '../../src/domain/reminders.ts';
import { createUser } from '../../src/services/account.service.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { privateWebhookAddress, smtpMailer } from '../../src/services/delivery.service.ts';
import {
  listDeliveries,
  listNotifications,
  markNotificationsRead,
  scanReminders,
  updateNotificationSettings,
} from '../../src/services/notification.service.ts';
import { importProgram } from '../../src/services/program-file.service.ts';
import { createWorker, type WorkerOptions } from '../../src/worker.ts';
import { type Backend, backends, type TestDatabase, userContext } from '../support/backends.ts';
import { reminderProgram } from '../support/builders.ts';
import {
  type HookReceiver,
  type MailReceiver,
  startHookReceiver,
  startMailReceiver,
} from '../support/receivers.ts';

const PEOPLE: Record<string, Assignment> = {
  hanako: { role: 'program_manager', program: 'REM' },
  taro: { role: 'program_manager', program: 'REM' },
  alice: { role: 'measure_owner', program: 'REM', owner: 'Team A' },
  contractor: { role: 'contractor', program: 'REM', organization: 'ORG' },
};

/** Verifies an `Oversight-Signature: t=…,v1=…` header as a receiver would. */
function signatureHolds(secret: string, header: string, body: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return (
    timingSafeEqual(expected, Buffer.from(m[2]!, 'hex')) && Math.abs(Date.now() / 1000 - Number(m[1])) < 300
  );
}

describe.each(backends())('reminders on $name', (backend: Backend) => {
  let t: TestDatabase;
  let mail: MailReceiver;
  let hooks: HookReceiver;
  const today = todayIn('Asia/Tokyo');
  const ctxOf: Record<string, ServiceContext> = {};
  let secret = '';

  const workerOptions = (): WorkerOptions => ({
    db: t.db,
    mailer: smtpMailer(mail.url, 'Oversight <oversight@example.com>'),
    baseUrl: 'https://oversight.example.com',
    language: 'en',
    pollMs: 50,
    leaseMs: 30_000,
    scanEveryMs: 60_000,
    retryBaseMs: 20,
    // The receiver listens on 127.0.0.1.
    allowPrivateWebhooks: true,
    id: 'test-worker',
  });
  const worker = () => createWorker(workerOptions());

  /** Runs the worker until no job is due and none waits for a retry. */
  async function drain() {
    const w = worker();
    for (let i = 0; i < 100; i++) {
      await w.runUntilIdle();
      const waiting = await t.db
        .selectFrom('jobs')
        .select('id')
        .where('done_at', 'is', null)
        .where('failed_at', 'is', null)
        .execute();
      if (waiting.length === 0) return;
      await new Promise((r) => setTimeout(r, 30));
    }
    throw new Error('the queue did not empty');
  }

  beforeAll(async () => {
    t = await backend.create();
    mail = await startMailReceiver();
    hooks = await startHookReceiver();
    await importProgram(t.ctx, reminderProgram(today));
    for (const [username, assignment] of Object.entries(PEOPLE)) {
      await createUser(t.ctx, { username, assignments: [assignment] });
      ctxOf[username] = await userContext(t, username);
    }
    await updateNotificationSettings(ctxOf.hanako!, { email: 'hanako@example.jp', language: 'ja' });
    await updateNotificationSettings(ctxOf.taro!, {
      email: 'taro@example.jp',
      language: 'en',
      kindsOff: ['digest'],
    });
    // Alice hears of milestones due within 2 days only, never of overdue ones, and by webhook too.
    const alice = await updateNotificationSettings(ctxOf.alice!, {
      email: 'alice@example.com',
      dueDays: 2,
      kindsOff: ['milestone_overdue'],
      webhookUrl: hooks.url,
    });
    secret = alice.webhookSecret!;
    await updateNotificationSettings(ctxOf.contractor!, { email: 'vendor@example.com' });
  });
  afterAll(async () => {
    await mail?.close();
    await hooks?.close();
    await t?.close();
  });

  it('makes each due reminder once for the people it concerns, and sends it in their language', async () => {
    hooks.failNext(2);
    await drain();
    const kindsOf = async (u: string) =>
      (await listNotifications(ctxOf[u]!)).notifications
        .map(
          (n) =>
            `${n.kind}:${String(n.params.code ?? n.params.directive ?? n.params.verification ?? n.params.week)}`,
        )
        .sort();
    const digest = isoWeekOf(today).weekday >= 1 ? [`digest:${isoWeekOf(today).week}`] : [];
    expect(await kindsOf('hanako')).toEqual(
      [
        'milestone_due:MS-1',
        'milestone_due:MS-4',
        'milestone_overdue:MS-2',
        'report_due:D1',
        'verification_ineffective:V-1',
        ...digest,
      ].sort(),
    );
    expect(await kindsOf('taro')).toEqual(
      [
        'milestone_due:MS-1',
        'milestone_due:MS-4',
        'milestone_overdue:MS-2',
        'report_due:D1',
        'verification_ineffective:V-1',
      ].sort(),
    );
    // Team A's only: MS-1 is 3 days out (Alice asked for 2), MS-2 overdue is turned off, MS-4 is Team B's.
    expect(await kindsOf('alice')).toEqual(['verification_ineffective:V-1', ...digest].sort());
    // A contractor's role does not reach measures.
    expect(await kindsOf('contractor')).toEqual([]);

    const sent = await t.db
      .selectFrom('notifications as n')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .select(['n.id', 'u.username'])
      .execute();
    const emailed = sent.filter((n) => n.username !== 'contractor');
    expect(mail.mails.map((m) => m.notification).sort()).toEqual(emailed.map((n) => n.id).sort());
    const toHanako = mail.mails.filter((m) => m.to === 'hanako@example.jp');
    expect(toHanako.every((m) => m.language === 'ja')).toBe(true);
    const due = toHanako.find((m) => m.kind === 'milestone_due' && m.text.includes('MS-1'))!;
    expect(due.subject).toBe('[Oversight] REM：マイルストーン MS-1 の期限は3日後です');
    expect(due.text).toContain('https://oversight.example.com/programs/REM/measures/M-1');
    const toTaro = mail.mails.find((m) => m.to === 'taro@example.jp' && m.kind === 'report_due')!;
    expect(toTaro.language).toBe('en');
    expect(toTaro.subject).toBe('[Oversight] REM: the report on D1 is due in 5 days');

    // The webhook failed twice, then took the notification once, signed.
    const aliceIds = sent.filter((n) => n.username === 'alice').map((n) => n.id);
    const accepted = hooks.requests.filter((r) => r.status === 204);
    expect(hooks.requests.filter((r) => r.status === 503)).toHaveLength(2);
    expect(accepted.map((r) => r.headers['oversight-delivery']).sort()).toEqual(aliceIds.sort());
    for (const r of hooks.requests)
      expect(signatureHolds(secret, String(r.headers['oversight-signature']), r.body)).toBe(true);
    expect(
      signatureHolds(`${secret}x`, String(accepted[0]!.headers['oversight-signature']), accepted[0]!.body),
    ).toBe(false);
    const log = await listDeliveries(ctxOf.alice!);
    expect(log.filter((d) => d.channel === 'webhook' && d.outcome === 'failed')).toHaveLength(2);
    expect(log.filter((d) => d.channel === 'webhook' && d.outcome === 'sent')).toHaveLength(aliceIds.length);
    expect(log.find((d) => d.outcome === 'failed')?.status).toBe(503);
  });

  it('sends nothing more when the scan runs again', async () => {
    const before = { mails: mail.mails.length, hooks: hooks.requests.length };
    const again = await scanReminders(t.db, { email: true });
    expect(again.notifications).toBe(0);
    await drain();
    expect(mail.mails.length).toBe(before.mails);
    expect(hooks.requests.length).toBe(before.hooks);
    const counts = await jobCounts(t.db);
    expect(counts.deliver?.failed ?? 0).toBe(0);
  });

  it('announces a lint error that newly appears, once, to the program managers', async () => {
    const file = reminderProgram(today);
    // A new overdue milestone: the lint's milestone-overdue rule fires for it.
    file.measures[1]!.milestones.push({
      code: 'MS-9',
      title: 'Late step',
      committedOn: file.measures[1]!.milestones[0]!.committedOn,
      planned: file.directives[0]!.issuedOn,
      dependsOn: [],
      replans: [],
      replanRequests: [],
      attachments: [],
    });
    await importProgram(t.ctx, file, { replace: true });
    // The worker scans once per slot (a minute here, and this one is done): the next slot's scan, now.
    // Both program managers: the new error, and the milestone now overdue.
    expect((await scanReminders(t.db, { email: true })).notifications).toBe(4);
    await drain();
    expect((await scanReminders(t.db, { email: true })).notifications).toBe(0);
    const lint = await t.db
      .selectFrom('notifications')
      .select(['user_id', 'params'])
      .where('kind', '=', 'lint_error')
      .execute();
    expect(lint.map((n) => (n.params as { code: string }).code)).toEqual(['MS-9', 'MS-9']);
    const english = mail.mails.find((m) => m.kind === 'lint_error' && m.to === 'taro@example.jp')!;
    expect(english.subject).toBe('[Oversight] REM: new readiness error on MS-9');
  });

  it('does not send a kind turned off after the reminder was made, and logs it as not sent', async () => {
    const file = reminderProgram(today);
    file.measures[0]!.verifications.push({
      code: 'V-2',
      method: 'Red team',
      result: 'ineffective',
      recurrence: 'none',
      attachments: [],
    });
    await importProgram(t.ctx, file, { replace: true });
    const before = mail.mails.length;
    // The verification to three people, and to both program managers the lint error it raises.
    expect((await scanReminders(t.db, { email: true })).notifications).toBe(5);
    await updateNotificationSettings(ctxOf.taro!, { kindsOff: ['digest', 'verification_ineffective'] });
    await drain();
    // Hanako and Alice by e-mail; Taro's waits in the app but is not mailed.
    const mailed = mail.mails.slice(before).filter((m) => m.kind === 'verification_ineffective');
    expect(mailed.map((m) => m.to).sort()).toEqual(['alice@example.com', 'hanako@example.jp']);
    const taro = await listDeliveries(ctxOf.taro!);
    expect(taro.find((d) => d.kind === 'verification_ineffective')).toMatchObject({
      channel: 'email',
      outcome: 'skipped',
    });
  });

  /** A notification with its delivery job, outside any scan: alice's digest unless said otherwise. */
  async function deliveryJob(
    key: string,
    channel: 'email' | 'webhook',
    options: { username?: string; kind?: string; job?: Record<string, unknown> } = {},
  ) {
    const user = await t.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', options.username ?? 'alice')
      .executeTakeFirstOrThrow();
    const { id } = await t.db
      .insertInto('notifications')
      .values({
        user_id: user.id,
        program_code: 'REM',
        kind: options.kind ?? 'digest',
        dedupe_key: key,
        params: '{}',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('jobs')
      .values({
        queue: 'deliver',
        key,
        payload: JSON.stringify({ notification: id, channel }),
        ...options.job,
      })
      .execute();
    return id;
  }

  it('does not send to someone whose role in the program was taken away since the reminder was made', async () => {
    await createUser(t.ctx, {
      username: 'leaver',
      assignments: [{ role: 'program_manager', program: 'REM' }],
    });
    const leaver = await userContext(t, 'leaver');
    const leaverId = (leaver.actor.principal as { id: string }).id;
    await updateNotificationSettings(leaver, { email: 'leaver@example.com' });
    const id = await deliveryJob('leaver-one', 'email', { username: 'leaver', kind: 'milestone_overdue' });
    await t.db
      .deleteFrom('role_assignments')
      .where('program_code', '=', 'REM')
      .where('user_id', '=', leaverId)
      .execute();
    await drain();
    expect(mail.mails.filter((m) => m.to === 'leaver@example.com')).toHaveLength(0);
    expect(await listDeliveries(leaver)).toMatchObject([{ notification: id, outcome: 'skipped' }]);
  });

  it('keeps a delivery that outlasts its lease to the worker sending it: the claim is renewed', async () => {
    const id = await deliveryJob('slow-one', 'webhook');
    hooks.answerAfter(1500);
    const short = (name: string) => createWorker({ ...workerOptions(), leaseMs: 500, pollMs: 50, id: name });
    const first = short('first').runUntilIdle();
    // Another worker keeps asking for work while the first waits on the slow receiver.
    const second = short('second');
    const end = Date.now() + 2000;
    while (Date.now() < end) {
      await second.runUntilIdle();
      await new Promise((r) => setTimeout(r, 100));
    }
    await first;
    hooks.answerAfter(0);
    expect(hooks.requests.filter((r) => r.headers['oversight-delivery'] === id)).toHaveLength(1);
    const job = await t.db
      .selectFrom('jobs')
      .select(['attempts', 'done_at'])
      .where('key', '=', 'slow-one')
      .executeTakeFirstOrThrow();
    expect(job.attempts).toBe(1);
    expect(job.done_at).not.toBeNull();
  });

  it('stops a send whose claim passed to another process, and leaves the job to that process', async () => {
    const id = await deliveryJob('stolen-one', 'webhook');
    hooks.answerAfter(4000);
    const started = Date.now();
    const sending = createWorker({ ...workerOptions(), leaseMs: 600, id: 'stalled' }).runUntilIdle();
    // The worker is taken to have stalled past its lease: another process claims the job.
    await new Promise((r) => setTimeout(r, 300));
    await t.db.updateTable('jobs').set({ locked_by: 'thief' }).where('key', '=', 'stolen-one').execute();
    await sending;
    hooks.answerAfter(0);
    // The send was abandoned at the next renewal, not waited out.
    expect(Date.now() - started).toBeLessThan(3000);
    const log = await t.db
      .selectFrom('notification_deliveries')
      .select(['outcome', 'error'])
      .where('notification_id', '=', id)
      .execute();
    expect(log).toEqual([{ outcome: 'failed', error: expect.stringMatching(/another process/) }]);
    const job = await t.db
      .selectFrom('jobs')
      .select(['locked_by', 'done_at', 'failed_at'])
      .where('key', '=', 'stolen-one')
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ locked_by: 'thief', done_at: null, failed_at: null });
    await t.db.deleteFrom('jobs').where('key', '=', 'stolen-one').execute();
  });

  it('refuses to post a webhook to a loopback or private address unless the operator allows it', async () => {
    const id = await deliveryJob('private-one', 'webhook');
    await createWorker({
      ...workerOptions(),
      allowPrivateWebhooks: false,
      retryBaseMs: 60_000,
    }).runUntilIdle();
    expect(hooks.requests.filter((r) => r.headers['oversight-delivery'] === id)).toHaveLength(0);
    const log = await t.db
      .selectFrom('notification_deliveries')
      .select(['outcome', 'error'])
      .where('notification_id', '=', id)
      .execute();
    expect(log).toEqual([
      {
        outcome: 'failed',
        error: expect.stringContaining('leads to 127.0.0.1, a private or loopback address'),
      },
    ]);
    // A name that resolves to loopback is refused by the look-up the connection itself makes (so a
    // name cannot pass a check with one address and connect to another).
    const alice = await t.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'alice')
      .executeTakeFirstOrThrow();
    const settings = () => t.db.updateTable('notification_settings').where('user_id', '=', alice.id);
    await settings()
      .set({ webhook_url: hooks.url.replace('127.0.0.1', 'localhost') })
      .execute();
    const named = await deliveryJob('private-by-name', 'webhook');
    await createWorker({
      ...workerOptions(),
      allowPrivateWebhooks: false,
      retryBaseMs: 60_000,
    }).runUntilIdle();
    await settings().set({ webhook_url: hooks.url }).execute();
    expect(hooks.requests.filter((r) => r.headers['oversight-delivery'] === named)).toHaveLength(0);
    expect(
      await t.db
        .selectFrom('notification_deliveries')
        .select(['outcome', 'error'])
        .where('notification_id', '=', named)
        .execute(),
    ).toEqual([
      {
        outcome: 'failed',
        error: expect.stringMatching(/leads to (127\.0\.0\.1|::1), a private or loopback address/),
      },
    ]);
    await t.db.deleteFrom('jobs').where('key', '=', 'private-by-name').execute();
    for (const [url, blocked] of [
      ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
      ['http://[::1]:8080/x', '::1'],
      ['http://[::ffff:10.1.2.3]/x', '::ffff:a01:203'],
      ['http://localhost:9/x', expect.stringMatching(/^(127\.0\.0\.1|::1)$/)],
      ['https://93.184.215.14/hook', undefined],
      ['https://[::ffff:8.8.8.8]/hook', undefined],
    ] as const)
      expect(await privateWebhookAddress(url), url).toEqual(blocked);
    await t.db.deleteFrom('jobs').where('key', '=', 'private-one').execute();
  });

  it('fails for good a job whose process died on its last attempt, and sends it no more', async () => {
    const id = await deliveryJob('spent-one', 'webhook', {
      job: {
        attempts: 3,
        max_attempts: 3,
        locked_by: 'dead',
        locked_until: new Date(Date.now() - 1000),
        last_error: 'the receiver answered 503',
      },
    });
    await worker().runUntilIdle();
    const job = await t.db
      .selectFrom('jobs')
      .select(['attempts', 'failed_at', 'last_error', 'locked_by'])
      .where('key', '=', 'spent-one')
      .executeTakeFirstOrThrow();
    expect(job.attempts).toBe(3);
    expect(job.failed_at).not.toBeNull();
    expect(job.locked_by).toBeNull();
    expect(job.last_error).toMatch(/^the receiver answered 503 — its process stopped/);
    expect(hooks.requests.filter((r) => r.headers['oversight-delivery'] === id)).toHaveLength(0);
  });

  it('keeps each person to their own notifications when marking them read', async () => {
    const mine = await listNotifications(ctxOf.alice!);
    expect(mine.unread).toBeGreaterThan(0);
    const others = (await listNotifications(ctxOf.hanako!)).notifications.map((n) => n.id);
    expect(await markNotificationsRead(ctxOf.alice!, { ids: others })).toBe(0);
    expect(await markNotificationsRead(ctxOf.alice!, { all: true })).toBe(mine.unread);
    expect((await listNotifications(ctxOf.alice!)).unread).toBe(0);
    expect((await listNotifications(ctxOf.hanako!)).unread).toBe(others.length);
    await expect(markNotificationsRead(ctxOf.alice!, { ids: ['not-an-id'] })).rejects.toMatchObject({
      code: 'validation',
    });
  });

  it('refuses bad settings with the field named, and changes nothing', async () => {
    await expect(
      updateNotificationSettings(ctxOf.taro!, { webhookUrl: 'ftp://x', dueDays: 500 }),
    ).rejects.toMatchObject({
      code: 'validation',
      issues: expect.arrayContaining([
        expect.objectContaining({ path: 'webhookUrl' }),
        expect.objectContaining({ path: 'dueDays' }),
      ]),
    });
    await expect(updateNotificationSettings(ctxOf.taro!, { version: 0, dueDays: 3 })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('keeps a webhook address in its usual form, and logs its host only', async () => {
    const saved = await updateNotificationSettings(ctxOf.contractor!, {
      webhookUrl: 'HTTPS://Hooks.Example.COM/in?token=s3cret',
    });
    expect(saved.webhookUrl).toBe('https://hooks.example.com/in?token=s3cret');
    const event = await t.db
      .selectFrom('audit_events')
      .select('payload')
      .where('action', '=', 'notification_settings.changed')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.payload).toEqual({
      changed: ['webhook_url', 'webhook_secret'],
      webhookHost: 'hooks.example.com',
    });
    expect(JSON.stringify(event.payload)).not.toContain('s3cret');
  });

  it('takes changes made at once one after the other: of those sent with the same version, one is kept', async () => {
    const { version } = await updateNotificationSettings(ctxOf.contractor!, { dueDays: 5 });
    const results = await Promise.allSettled(
      [6, 7, 8, 9, 10, 11].map((dueDays) =>
        updateNotificationSettings(ctxOf.contractor!, { version, dueDays }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect(r).toMatchObject({ reason: { code: 'conflict' } });
  });
});
