/**
 * Reminders and notifications. A scan (a job, see worker.ts) looks at every program as of today,
 * works out which reminders are due for whom (domain/reminders.ts), and stores each new one as an
 * in-app notification with, in the same transaction, a delivery job per channel the person uses.
 * A notification's key is unique: a scan run twice, or by three processes at once, stores each
 * reminder once. People read their notifications and change their settings here.
 */
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { enqueueJobs } from '../db/jobs.ts';
import type { DB } from '../db/schema.ts';
import type { Assignment, Role } from '../domain/access.ts';
import { notFound, staleVersion } from '../domain/errors.ts';
import type { Finding } from '../domain/lint/index.ts';
import {
  findingKey,
  NOTIFICATION_KINDS,
  type NotificationKind,
  type Recipient,
  type ReportState,
  remindersOf,
} from '../domain/reminders.ts';
import { LANGUAGES, type Language } from '../i18n/index.ts';
import { requirePermission, requireUserPrincipal } from './authorize.ts';
import { type ServiceContext, systemActor, validate, write } from './context.ts';
import { lastDisclosureOn } from './disclosure.service.ts';
import { programView } from './view.service.ts';

export type Channel = 'email' | 'webhook';

export interface ScanOptions {
  /** Whether e-mail can be sent (SMTP_URL is set): without it, no e-mail job is made. */
  email: boolean;
  /** The instant of this scan: names the occasion of newly seen lint errors. */
  now?: Date;
}

/** Rows per multi-row insert (5 parameters each, well under PostgreSQL's 65,535). */
const CHUNK = 1000;

export interface ScanResult {
  programs: number;
  notifications: number;
  deliveries: number;
}

/** Scans every program and stores the reminders due now; what it stored. */
export async function scanReminders(db: Kysely<DB>, options: ScanOptions): Promise<ScanResult> {
  const programs = await db.selectFrom('programs').select('code').orderBy('code').execute();
  const total: ScanResult = { programs: programs.length, notifications: 0, deliveries: 0 };
  // One program that cannot be scanned does not keep the others' reminders back; the job fails
  // after the rest, naming it, and is tried again (what was stored stays stored, once).
  const failed: string[] = [];
  for (const { code } of programs) {
    try {
      const r = await scanProgram(db, code, options);
      total.notifications += r.notifications;
      total.deliveries += r.deliveries;
    } catch (err) {
      failed.push(`${code}: ${(err as Error).message}`);
    }
  }
  if (failed.length > 0) throw new Error(`reminders of ${failed.join('; ')}`);
  // Finished jobs are kept a month, for the delivery log's sake, then go.
  await db.deleteFrom('jobs').where('done_at', '<', sql<Date>`now() - interval '30 days'`).execute();
  return total;
}

async function scanProgram(
  db: Kysely<DB>,
  program: string,
  options: ScanOptions,
): Promise<Omit<ScanResult, 'programs'>> {
  const reader: ServiceContext = { db, actor: systemActor('system:reminders') };
  const view = await programView(reader, program);
  const recipients = await recipientsOf(db, program);
  if (recipients.length === 0) return { notifications: 0, deliveries: 0 };
  const reports = await reportStates(db, program);
  const lastDisclosure = await lastDisclosureOn(reader, program, view.file.program.timeZone);
  const lintErrors = view.lint.findings.filter((f) => f.severity === 'error');
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const newLintErrors = await newlySeen(trx, program, lintErrors);
    const reminders = remindersOf({
      file: view.file,
      today: view.today,
      schedule: view.analysis.schedule,
      lintErrors,
      newLintErrors,
      lintOccasion: now.toISOString(),
      reports,
      lastDisclosure,
      recipients: recipients.map((r) => r.recipient),
    });
    const channels = new Map(recipients.map((r) => [r.recipient.userId, r.channels]));
    let notifications = 0;
    let deliveries = 0;
    // In chunks of multi-row statements: a first scan of a large program makes thousands at once.
    for (let at = 0; at < reminders.length; at += CHUNK) {
      const made = await trx
        .insertInto('notifications')
        .values(
          reminders.slice(at, at + CHUNK).map((rem) => ({
            user_id: rem.userId,
            program_code: rem.program,
            kind: rem.kind,
            dedupe_key: rem.key,
            params: JSON.stringify(rem.params),
          })),
        )
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .returning(['id', 'user_id'])
        .execute();
      notifications += made.length;
      const jobs = made.flatMap((row) =>
        (channels.get(row.user_id) ?? [])
          .filter((channel) => channel !== 'email' || options.email)
          .map((channel) => ({
            queue: 'deliver',
            key: `deliver:${row.id}:${channel}`,
            payload: { notification: row.id, channel },
          })),
      );
      deliveries += await enqueueJobs(trx, jobs);
    }
    return { notifications, deliveries };
  });
}

/**
 * The lint errors not seen by the previous scan of the program. The first scan of a program only
 * takes note of what is there (it is not news); from then on, an error that appears is announced,
 * and one that goes and comes back is announced again.
 */
async function newlySeen(trx: Kysely<DB>, program: string, errors: readonly Finding[]): Promise<Finding[]> {
  const keys = [...new Set(errors.map(findingKey))].sort();
  const first = await trx
    .insertInto('notification_watch')
    .values({ program_code: program, watch: 'lint-errors', keys: JSON.stringify(keys) })
    .onConflict((oc) => oc.columns(['program_code', 'watch']).doNothing())
    .returning('program_code')
    .executeTakeFirst();
  if (first) return [];
  const row = await trx
    .selectFrom('notification_watch')
    .select('keys')
    .where('program_code', '=', program)
    .where('watch', '=', 'lint-errors')
    .forUpdate()
    .executeTakeFirstOrThrow();
  const before = new Set(row.keys as string[]);
  await trx
    .updateTable('notification_watch')
    .set({ keys: JSON.stringify(keys), scanned_at: sql<Date>`now()` })
    .where('program_code', '=', program)
    .where('watch', '=', 'lint-errors')
    .execute();
  const seen = new Set<string>();
  return errors.filter((f) => {
    const k = findingKey(f);
    if (before.has(k) || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

async function reportStates(db: Kysely<DB>, program: string): Promise<ReportState[]> {
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'directive_code', 'status', 'created_by', 'reviewed_by', 'reviewed_at'])
    .where('program_code', '=', program)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    directive: r.directive_code,
    status: r.status,
    createdBy: r.created_by,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
  }));
}

/** The people with a role in a program (enabled accounts), their settings and channels. */
async function recipientsOf(
  db: Kysely<DB>,
  program: string,
): Promise<Array<{ recipient: Recipient; channels: Channel[] }>> {
  const rows = await db
    .selectFrom('role_assignments as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .leftJoin('notification_settings as s', 's.user_id', 'u.id')
    .select([
      'u.id',
      'u.username',
      'a.role',
      'a.program_code',
      'a.organization_code',
      'a.owner_name',
      's.due_days',
      's.kinds_off',
      's.digest_weekday',
      's.email',
      's.email_enabled',
      's.webhook_url',
    ])
    .where('a.program_code', '=', program)
    .where('u.disabled_at', 'is', null)
    .orderBy('u.username')
    .execute();
  const byUser = new Map<string, { recipient: Recipient; channels: Channel[] }>();
  for (const r of rows) {
    let entry = byUser.get(r.id);
    if (!entry) {
      const channels: Channel[] = [];
      if (r.email && r.email_enabled !== false) channels.push('email');
      if (r.webhook_url) channels.push('webhook');
      entry = {
        recipient: {
          userId: r.id,
          username: r.username,
          assignments: [],
          dueDays: r.due_days ?? DEFAULTS.dueDays,
          kindsOff: r.kinds_off ?? [],
          digestWeekday: r.digest_weekday ?? DEFAULTS.digestWeekday,
        },
        channels,
      };
      byUser.set(r.id, entry);
    }
    (entry.recipient.assignments as Assignment[]).push({
      role: r.role as Role,
      program: r.program_code,
      organization: r.organization_code,
      owner: r.owner_name,
    });
  }
  return [...byUser.values()];
}

// ——— Settings ———

const DEFAULTS = { dueDays: 7, digestWeekday: 1 };

export interface NotificationSettings {
  /** null: the server's language. */
  language: Language | null;
  email: string | null;
  emailEnabled: boolean;
  webhookUrl: string | null;
  /** The key the webhook's signatures are made with; the user's own to see. */
  webhookSecret: string | null;
  dueDays: number;
  kindsOff: NotificationKind[];
  digestWeekday: number;
  version: number;
}

const emptyToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);

export const settingsSchema = z.strictObject({
  language: z.preprocess(emptyToNull, z.enum(LANGUAGES).nullable()).optional(),
  email: z.preprocess(emptyToNull, z.email({ error: 'validation.email' }).max(254).nullable()).optional(),
  emailEnabled: z.boolean().optional(),
  webhookUrl: z
    .preprocess(
      emptyToNull,
      z
        .url({ protocol: /^https?$/i, error: 'validation.webhook_url' })
        .max(2000)
        // `HTTP://Host/path` is kept as `http://host/path`, the form the database's check expects.
        .transform((u) => new URL(u).toString())
        .nullable(),
    )
    .optional(),
  /** Make a new signing key for the webhook (the old one stops working at once). */
  newWebhookSecret: z.boolean().optional(),
  dueDays: z.number().int().min(0).max(90).optional(),
  kindsOff: z.array(z.enum(NOTIFICATION_KINDS)).max(NOTIFICATION_KINDS.length).optional(),
  digestWeekday: z.number().int().min(1).max(7).optional(),
  /** The version read; a change made since is refused (409). */
  version: z.number().int().min(0).optional(),
});

async function settingsRow(db: Kysely<DB>, userId: string): Promise<NotificationSettings> {
  const r = await db
    .selectFrom('notification_settings')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return {
    language: r?.language ?? null,
    email: r?.email ?? null,
    emailEnabled: r?.email_enabled ?? true,
    webhookUrl: r?.webhook_url ?? null,
    webhookSecret: r?.webhook_secret ?? null,
    dueDays: r?.due_days ?? DEFAULTS.dueDays,
    kindsOff: (r?.kinds_off ?? []) as NotificationKind[],
    digestWeekday: r?.digest_weekday ?? DEFAULTS.digestWeekday,
    version: r?.version ?? 0,
  };
}

export async function getNotificationSettings(ctx: ServiceContext): Promise<NotificationSettings> {
  const me = requireUserPrincipal(ctx);
  return settingsRow(ctx.db, me.id);
}

/** Changes one's own settings: only the fields sent. A new webhook address gets a new signing key. */
export async function updateNotificationSettings(
  ctx: ServiceContext,
  input: unknown,
): Promise<NotificationSettings> {
  const me = requireUserPrincipal(ctx);
  return writeSettings(ctx, { id: me.id, username: me.username }, validate(settingsSchema, input));
}

/** An admin (or the operator) sets someone's settings: their e-mail address, their language. */
export async function setUserNotificationSettings(
  ctx: ServiceContext,
  username: string,
  input: unknown,
): Promise<NotificationSettings> {
  requirePermission(ctx, 'admin');
  const patch = validate(settingsSchema, input);
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', '=', username)
    .executeTakeFirst();
  if (!user) throw notFound('user', username);
  return writeSettings(ctx, user, patch);
}

async function writeSettings(
  ctx: ServiceContext,
  me: { id: string; username: string },
  patch: z.output<typeof settingsSchema>,
): Promise<NotificationSettings> {
  return write(ctx, async (trx, audit) => {
    // The person's row is locked first, so two changes made at once are taken one after the
    // other and the second is checked against the version the first wrote (there may be no
    // settings row yet to lock).
    await trx.selectFrom('users').select('id').where('id', '=', me.id).forUpdate().execute();
    const before = await settingsRow(trx, me.id);
    if (patch.version !== undefined && patch.version !== before.version)
      throw staleVersion('notification_settings', me.username, patch.version);
    const next = { ...before };
    for (const k of [
      'language',
      'email',
      'emailEnabled',
      'webhookUrl',
      'dueDays',
      'kindsOff',
      'digestWeekday',
    ] as const)
      if (patch[k] !== undefined) (next as Record<string, unknown>)[k] = patch[k];
    const urlChanged = next.webhookUrl !== before.webhookUrl;
    if (next.webhookUrl === null) next.webhookSecret = null;
    else if (urlChanged || patch.newWebhookSecret || next.webhookSecret === null)
      next.webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
    const values = {
      language: next.language,
      email: next.email,
      email_enabled: next.emailEnabled,
      webhook_url: next.webhookUrl,
      webhook_secret: next.webhookSecret,
      due_days: next.dueDays,
      kinds_off: sql<string[]>`${sql.val(next.kindsOff)}::text[]`,
      digest_weekday: next.digestWeekday,
      version: before.version + 1,
      updated_at: sql<Date>`now()`,
    };
    await trx
      .insertInto('notification_settings')
      .values({ user_id: me.id, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
    const changed = Object.keys(values).filter(
      (k) =>
        k !== 'version' &&
        k !== 'updated_at' &&
        JSON.stringify((before as unknown as Record<string, unknown>)[camel(k)]) !==
          JSON.stringify((next as unknown as Record<string, unknown>)[camel(k)]),
    );
    audit({
      action: 'notification_settings.changed',
      entityType: 'user',
      entityId: me.id,
      entityCode: me.username,
      // The signing key itself is never logged; that it changed is.
      // Neither are the address or the webhook's full URL (it may carry a token): its host is.
      payload: {
        changed,
        ...(urlChanged ? { webhookHost: next.webhookUrl ? new URL(next.webhookUrl).host : null } : {}),
      },
    });
    return { ...next, version: before.version + 1 };
  });
}

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

// ——— In-app notifications ———

export interface NotificationRow {
  id: string;
  kind: NotificationKind;
  program: string | null;
  params: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
}

export const NOTIFICATIONS_PAGE = 50;

/** One's notifications, newest first, a page at a time; with the unread count. */
export async function listNotifications(
  ctx: ServiceContext,
  options: { unread?: boolean; page?: number } = {},
): Promise<{ notifications: NotificationRow[]; unread: number; total: number }> {
  const me = requireUserPrincipal(ctx);
  const page = Math.max(1, options.page ?? 1);
  let q = ctx.db.selectFrom('notifications').where('user_id', '=', me.id);
  if (options.unread) q = q.where('read_at', 'is', null);
  const rows = await q
    .select(['id', 'kind', 'program_code', 'params', 'created_at', 'read_at'])
    .orderBy('created_at', 'desc')
    // Within one scan, in the order the scan made them: the most pressing first.
    .orderBy('seq')
    .limit(NOTIFICATIONS_PAGE)
    .offset((page - 1) * NOTIFICATIONS_PAGE)
    .execute();
  const counts = await ctx.db
    .selectFrom('notifications')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.count<number>('id').filterWhere('read_at', 'is', null).as('unread'),
    ])
    .where('user_id', '=', me.id)
    .executeTakeFirstOrThrow();
  return {
    notifications: rows.map((r) => ({
      id: r.id,
      kind: r.kind as NotificationKind,
      program: r.program_code,
      params: r.params as Record<string, unknown>,
      createdAt: new Date(r.created_at).toISOString(),
      readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
    })),
    unread: Number(counts.unread),
    total: Number(options.unread ? counts.unread : counts.total),
  };
}

export async function unreadCount(ctx: ServiceContext): Promise<number> {
  const me = requireUserPrincipal(ctx);
  const r = await ctx.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', me.id)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export const readSchema = z.union([
  z.strictObject({ all: z.literal(true) }),
  z.strictObject({
    ids: z
      .array(z.uuid({ error: 'validation.uuid' }))
      .min(1)
      .max(500),
  }),
]);

/** Marks some (or all) of one's notifications read; how many changed. Others' are never touched. */
export async function markNotificationsRead(ctx: ServiceContext, input: unknown): Promise<number> {
  const me = requireUserPrincipal(ctx);
  const which = validate(readSchema, input);
  let q = ctx.db
    .updateTable('notifications')
    .set({ read_at: sql<Date>`now()` })
    .where('user_id', '=', me.id)
    .where('read_at', 'is', null);
  if ('ids' in which) q = q.where('id', 'in', which.ids);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface DeliveryRow {
  notification: string;
  kind: NotificationKind;
  channel: Channel;
  target: string;
  attempt: number;
  outcome: 'sent' | 'failed' | 'skipped';
  status: number | null;
  error: string | null;
  at: string;
}

/** The delivery log of one's notifications, newest first. */
export async function listDeliveries(ctx: ServiceContext, limit = 50): Promise<DeliveryRow[]> {
  const me = requireUserPrincipal(ctx);
  const rows = await ctx.db
    .selectFrom('notification_deliveries as d')
    .innerJoin('notifications as n', 'n.id', 'd.notification_id')
    .select([
      'd.notification_id',
      'n.kind',
      'd.channel',
      'd.target',
      'd.attempt',
      'd.outcome',
      'd.status',
      'd.error',
      'd.at',
    ])
    .where('n.user_id', '=', me.id)
    .orderBy('d.at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    notification: r.notification_id,
    kind: r.kind as NotificationKind,
    channel: r.channel,
    target: r.target,
    attempt: r.attempt,
    outcome: r.outcome,
    status: r.status,
    error: r.error,
    at: new Date(r.at).toISOString(),
  }));
}
