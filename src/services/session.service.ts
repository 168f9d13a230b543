/**
 * Signing in and staying signed in: password then second factor, sessions and API tokens. Only
 * SHA-256 hashes of session and token secrets are stored; a secret is shown once. Failed attempts
 * are counted per account and per address, and a wrong answer never says which part was wrong.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Trx } from '../db/program-writer.ts';
import type { Assignment, Principal } from '../domain/access.ts';
import { AppError, notFound } from '../domain/errors.ts';
import { assignmentsOf, needsMfa, usernameSchema, verifyPassword } from './account.service.ts';
import { requirePermission, requireSession } from './authorize.ts';
import { type ServiceContext, systemActor, validate, write } from './context.ts';

type Db = ServiceContext['db'];

/** A session lasts 12 hours from its last use, and never more than 7 days. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** Failed sign-ins counted over 15 minutes: 5 per account, 30 per address. */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const secret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** Equal strings, compared in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** How far a session has come: awaiting the second factor, obliged to enrol one, or complete. */
export type SessionState = 'pending' | 'enrol' | 'full';

export interface Authenticated {
  principal: Principal;
  state: SessionState;
  sessionId?: string;
  userId: string;
  username: string;
}

const SYSTEM = systemActor('system:auth');

/** An attempt counted before it is checked: the failure rows it will leave unless it succeeds. */
interface Attempt {
  ids: number[];
}

/**
 * Counts an attempt before checking it: under a lock per key, refuses when the recent failures
 * reach the limit, else records this attempt as a failure in advance. Concurrent attempts are
 * counted one after the other, so a burst cannot slip past the limit.
 */
export async function startAttempt(db: Db, keys: string[]): Promise<Attempt> {
  const since = new Date(Date.now() - THROTTLE_WINDOW_MS);
  return db.transaction().execute(async (trx) => {
    for (const key of [...keys].sort())
      await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(trx);
    for (const key of keys) {
      const row = await trx
        .selectFrom('login_failures')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('key', '=', key)
        .where('failed_at', '>', since)
        .executeTakeFirstOrThrow();
      const limit = key.startsWith('addr:') ? MAX_FAILURES_PER_ADDRESS : MAX_FAILURES_PER_ACCOUNT;
      if (Number(row.n) >= limit)
        throw new AppError('too_many_requests', 'errors.login_throttled', {
          minutes: THROTTLE_WINDOW_MS / 60_000,
        });
    }
    const rows = await trx
      .insertInto('login_failures')
      .values(keys.map((key) => ({ key })))
      .returning('id')
      .execute();
    return { ids: rows.map((r) => Number(r.id)) };
  });
}

/** The attempt succeeded: its rows go, and so do the earlier failures of `reset` (the account's key). */
export async function endAttempt(db: Db, attempt: Attempt, reset?: string): Promise<void> {
  await db.deleteFrom('login_failures').where('id', 'in', attempt.ids).execute();
  if (reset) await db.deleteFrom('login_failures').where('key', '=', reset).execute();
}

/** A failed attempt: its rows stay as failures; the log says so. */
async function failed(db: Db, username: string, reason: string): Promise<never> {
  await write({ db, actor: SYSTEM }, async (_trx, audit) => {
    audit({
      action: 'login.failed',
      entityType: 'user',
      entityCode: username.slice(0, 64),
      payload: { reason },
    });
  });
  throw new AppError('unauthorized', 'errors.login_failed');
}

/**
 * The keys an attempt is counted under: the account (a name that is no valid username counts
 * under its hash, so odd bytes never reach a query), and the address.
 */
export function throttleKeys(
  kind: 'user' | 'mfa',
  username: string,
  valid: boolean,
  address: string,
): string[] {
  const account = valid ? username : `#${sha256(username)}`;
  return [`${kind}:${account}`, `addr:${sha256(address).slice(0, 32)}`];
}

export interface SignedIn {
  token: string;
  state: SessionState;
}

/**
 * Checks a username and password and opens a session: complete, or waiting for the second factor,
 * or (for a role that needs one and has none yet) only able to enrol one. The same answer for an
 * unknown user and a wrong password, after the same work.
 */
export async function signIn(
  db: Db,
  input: { username?: unknown; password?: unknown },
  client: { address: string; userAgent?: string | undefined },
): Promise<SignedIn> {
  const parsed = usernameSchema.safeParse(input.username);
  const username = parsed.success
    ? parsed.data
    : String(input.username ?? '')
        .slice(0, 64)
        .toLowerCase();
  const password = typeof input.password === 'string' ? input.password.slice(0, 200) : '';
  const keys = throttleKeys('user', username, parsed.success, client.address);
  const attempt = await startAttempt(db, keys);
  const user = parsed.success
    ? await db
        .selectFrom('users')
        .select(['id', 'username', 'password_hash', 'disabled_at', 'totp_enabled_at'])
        .where('username', '=', username)
        .executeTakeFirst()
    : undefined;
  const ok = await verifyPassword(user?.password_hash, password);
  if (!user || !ok || user.disabled_at !== null)
    return failed(db, parsed.success ? username : '?', 'password');
  await endAttempt(db, attempt, keys[0]);
  const assignments = await assignmentsOf(db, user.id);
  const state: SessionState = user.totp_enabled_at ? 'pending' : needsMfa(assignments) ? 'enrol' : 'full';
  const token = await openSession(db, user, state === 'full', client);
  return { token, state };
}

async function openSession(
  db: Db,
  user: { id: string; username: string },
  mfaPassed: boolean,
  client: { address: string; userAgent?: string | undefined },
): Promise<string> {
  const token = secret('ovs_');
  const now = Date.now();
  await write(
    { db, actor: { id: `user:${user.username}`, principal: SYSTEM.principal } },
    async (trx, audit) => {
      const { id } = await trx
        .insertInto('sessions')
        .values({
          token_hash: sha256(token),
          user_id: user.id,
          mfa_passed: mfaPassed,
          expires_at: new Date(now + SESSION_IDLE_MS),
          address: client.address.slice(0, 100),
          user_agent: client.userAgent?.slice(0, 300) ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      audit({
        action: mfaPassed ? 'session.opened' : 'session.started',
        entityType: 'session',
        entityId: id,
        entityCode: user.username,
      });
    },
  );
  return token;
}

/** The session a cookie names, if it is open: who it is, and how far it has come. */
export async function sessionOf(db: Db, token: string | undefined): Promise<Authenticated | undefined> {
  if (!token || token.length > 200 || !token.startsWith('ovs_')) return undefined;
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.mfa_passed',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.revoked_at',
      'u.id as user_id',
      'u.username',
      'u.disabled_at',
      'u.totp_enabled_at',
    ])
    .where('s.token_hash', '=', sha256(token))
    .executeTakeFirst();
  const now = Date.now();
  if (!row || row.revoked_at !== null || row.disabled_at !== null) return undefined;
  if (new Date(row.expires_at).getTime() <= now || now - new Date(row.created_at).getTime() > SESSION_MAX_MS)
    return undefined;
  // Slide the expiry, at most once a minute.
  if (now - new Date(row.last_seen_at).getTime() > 60_000)
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now), expires_at: new Date(now + SESSION_IDLE_MS) })
      .where('id', '=', row.id)
      .execute();
  const assignments = await assignmentsOf(db, row.user_id);
  const state: SessionState =
    row.totp_enabled_at && !row.mfa_passed
      ? 'pending'
      : !row.totp_enabled_at && needsMfa(assignments)
        ? 'enrol'
        : 'full';
  return {
    principal: principalOf(row.user_id, row.username, state === 'full' ? assignments : [], 'session'),
    state,
    sessionId: row.id,
    userId: row.user_id,
    username: row.username,
  };
}

const principalOf = (
  id: string,
  username: string,
  assignments: Assignment[],
  via: 'session' | 'token',
): Principal => ({
  kind: 'user',
  id,
  username,
  assignments: assignments.map(({ id: assignmentId, role, program, organization, owner }) => ({
    ...(assignmentId ? { id: assignmentId } : {}),
    role,
    program,
    organization,
    owner,
  })),
  via,
});

/**
 * Completes a session waiting for its second factor: a TOTP code not used before, or an unused
 * recovery code. The session is replaced by a new one (a new secret), so a token seen before the
 * second factor is worth nothing after it.
 */
export async function passSecondFactor(
  db: Db,
  pendingToken: string | undefined,
  code: unknown,
  client: { address: string; userAgent?: string | undefined },
): Promise<string> {
  const session = await sessionOf(db, pendingToken);
  if (session?.state !== 'pending') throw new AppError('unauthorized', 'errors.unauthorized');
  // The second factor has its own count, which a right password does not reset.
  const keys = throttleKeys('mfa', session.username, true, client.address);
  let attempt: Attempt;
  try {
    attempt = await startAttempt(db, keys);
  } catch (err) {
    // Too many wrong codes: the half-open session ends; the password must be given again.
    await db
      .updateTable('sessions')
      .set({ revoked_at: new Date() })
      .where('id', '=', session.sessionId!)
      .execute();
    throw err;
  }
  const answer = typeof code === 'string' ? code.replace(/\s+/g, '').slice(0, 40) : '';
  const user = await db
    .selectFrom('users')
    .select(['id', 'username', 'totp_secret', 'totp_last_step'])
    .where('id', '=', session.userId)
    .executeTakeFirstOrThrow();
  const accepted = (await acceptTotp(db, user, answer)) || (await acceptRecoveryCode(db, user.id, answer));
  if (!accepted) return failed(db, user.username, 'second_factor');
  await endAttempt(db, attempt, keys[0]);
  await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('id', '=', session.sessionId!)
    .execute();
  return openSession(db, user, true, client);
}

/** A TOTP code of the user's secret, in the current 30-second step or the one before, never one used before. */
async function acceptTotp(
  db: Db,
  user: { id: string; totp_secret: string | null; totp_last_step: number | null },
  code: string,
): Promise<boolean> {
  if (!user.totp_secret || !/^\d{6}$/.test(code)) return false;
  const result = await verifyTotp({
    secret: user.totp_secret,
    token: code,
    epochTolerance: [30, 0],
    ...(user.totp_last_step !== null ? { afterTimeStep: Number(user.totp_last_step) } : {}),
  }).catch(() => ({ valid: false as const }));
  if (!result.valid || !('timeStep' in result)) return false;
  // Remember the step, so the same code cannot be used again (a second request racing this one loses).
  const updated = await db
    .updateTable('users')
    .set({ totp_last_step: result.timeStep })
    .where('id', '=', user.id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', result.timeStep)]))
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

async function acceptRecoveryCode(db: Db, userId: string, code: string): Promise<boolean> {
  if (!/^[a-z0-9-]{10,40}$/i.test(code)) return false;
  const used = await db
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', sha256(code.toLowerCase()))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

/** Ends a session (signing out). */
export async function signOut(db: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('token_hash', '=', sha256(token))
    .where('revoked_at', 'is', null)
    .execute();
}

export interface SessionView {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  address: string | null;
  userAgent: string | null;
}

/** One's own open sessions. */
export async function listSessions(ctx: ServiceContext): Promise<SessionView[]> {
  const me = requireSession(ctx);
  const rows = await ctx.db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'address', 'user_agent'])
    .where('user_id', '=', me.id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: new Date(r.created_at),
    lastSeenAt: new Date(r.last_seen_at),
    address: r.address,
    userAgent: r.user_agent,
  }));
}

/** Ends one of one's own sessions. */
export const revokeSession = (ctx: ServiceContext, id: string) => revokeOwn(ctx, 'sessions', 'session', id);

/** Ends one of one's own sessions or API tokens: refused (not found) when it is someone else's or already ended. */
async function revokeOwn(
  ctx: ServiceContext,
  table: 'sessions' | 'api_tokens',
  entity: 'session' | 'token',
  id: string,
): Promise<void> {
  const me = requireSession(ctx);
  if (!z.uuid().safeParse(id).success) throw notFound(entity, id);
  await write(ctx, async (trx, audit) => {
    const done = await trx
      .updateTable(table)
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('user_id', '=', me.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw notFound(entity, id);
    audit({ action: `${entity}.revoked`, entityType: entity, entityId: id, entityCode: me.username });
  });
}

/** Ends every open session of a user — but one, when given — and, when asked, its API tokens too. */
export async function endSessions(
  trx: Trx,
  userId: string,
  options: { except?: string | undefined; tokens?: boolean } = {},
): Promise<void> {
  const now = new Date();
  let sessions = trx
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (options.except) sessions = sessions.where('id', '<>', options.except);
  await sessions.execute();
  if (options.tokens)
    await trx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
}

/**
 * Starts enrolling a TOTP authenticator in this session: a secret of this session alone (another
 * session of the same user, perhaps someone who learned the password, sees another one), its
 * otpauth URI and a QR code as SVG.
 */
export async function startTotpEnrolment(ctx: ServiceContext, sessionId: string | undefined) {
  const me = requireSession(ctx);
  const user = await ctx.db
    .selectFrom('users')
    .select('totp_enabled_at')
    .where('id', '=', me.id)
    .executeTakeFirstOrThrow();
  if (user.totp_enabled_at) throw new AppError('conflict', 'errors.mfa_enabled');
  if (!sessionId) throw new AppError('forbidden', 'errors.session_only');
  const session = await ctx.db
    .selectFrom('sessions')
    .select('totp_pending')
    .where('id', '=', sessionId)
    .where('user_id', '=', me.id)
    .executeTakeFirstOrThrow();
  let totpSecret = session.totp_pending;
  if (!totpSecret) {
    totpSecret = generateSecret();
    await ctx.db
      .updateTable('sessions')
      .set({ totp_pending: totpSecret })
      .where('id', '=', sessionId)
      .execute();
  }
  const uri = generateURI({ issuer: 'Oversight', label: me.username, secret: totpSecret });
  const qr = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return { secret: totpSecret, uri, qr };
}

/**
 * Confirms this session's authenticator with a code from it. The user's other sessions end; this
 * one is replaced by a new one that has passed the second factor (its token is returned, with ten
 * recovery codes, shown once).
 */
export async function confirmTotp(
  ctx: ServiceContext,
  sessionId: string | undefined,
  code: unknown,
  client: { address: string; userAgent?: string | undefined },
): Promise<{ codes: string[]; token: string }> {
  const me = requireSession(ctx);
  const c = validate(
    z.strictObject({
      code: z
        .string()
        .trim()
        .regex(/^\d{6}$/, { error: 'validation.totp' }),
    }),
    { code },
  ).code;
  if (!sessionId) throw new AppError('forbidden', 'errors.session_only');
  const keys = [`mfa:${me.username}`, `addr:${client.address}`];
  const attempt = await startAttempt(ctx.db, keys);
  const user = await ctx.db
    .selectFrom('users')
    .select(['id', 'username', 'totp_enabled_at'])
    .where('id', '=', me.id)
    .executeTakeFirstOrThrow();
  if (user.totp_enabled_at) throw new AppError('conflict', 'errors.mfa_enabled');
  const session = await ctx.db
    .selectFrom('sessions')
    .select('totp_pending')
    .where('id', '=', sessionId)
    .where('user_id', '=', me.id)
    .executeTakeFirstOrThrow();
  const secret = session.totp_pending;
  const result = secret
    ? await verifyTotp({ secret, token: c, epochTolerance: [30, 0] }).catch(() => ({ valid: false as const }))
    : { valid: false as const };
  if (!result.valid || !('timeStep' in result))
    throw new AppError('validation', 'errors.validation', { count: 1 }, [
      { path: 'code', key: 'validation.totp_wrong' },
    ]);
  await endAttempt(ctx.db, attempt, keys[0]!);
  const codes = Array.from({ length: 10 }, () =>
    randomBytes(6)
      .toString('hex')
      .replace(/(.{4})(.{4})(.{4})/, '$1-$2-$3'),
  );
  await write(ctx, async (trx, audit) => {
    const now = new Date();
    await trx
      .updateTable('users')
      .set({ totp_secret: secret, totp_enabled_at: now, totp_last_step: result.timeStep, updated_at: now })
      .where('id', '=', me.id)
      .execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', me.id).execute();
    await trx
      .insertInto('recovery_codes')
      .values(codes.map((k) => ({ user_id: me.id, code_hash: sha256(k) })))
      .execute();
    // Every session of the user ends, this one too: a new one, past the second factor, replaces it.
    await endSessions(trx, me.id);
    audit({ action: 'user.mfa_enabled', entityType: 'user', entityId: me.id, entityCode: me.username });
  });
  const token = await openSession(ctx.db, user, true, client);
  return { codes, token };
}

const tokenSchema = z.strictObject({
  name: z.string().trim().min(1, { error: 'validation.required' }).max(100),
  expiresInDays: z.coerce.number().int().min(1).max(365),
  assignments: z.array(z.uuid()).min(1, { error: 'validation.token_roles' }).max(50),
});

/**
 * Creates an API token for oneself, holding some of one's roles, until a date. The token is
 * returned once; only its hash is kept.
 */
export async function createApiToken(
  ctx: ServiceContext,
  input: unknown,
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const me = requireSession(ctx);
  const t = validate(tokenSchema, input);
  // Only roles the caller holds now, through this very credential.
  const held = new Set(me.assignments.map((a) => a.id).filter(Boolean));
  const unknown = t.assignments.filter((id) => !held.has(id));
  if (unknown.length > 0)
    throw new AppError('validation', 'errors.validation', { count: 1 }, [
      { path: 'assignments', key: 'validation.token_roles' },
    ]);
  const token = secret('ovt_');
  const expiresAt = new Date(Date.now() + t.expiresInDays * 24 * 60 * 60 * 1000);
  const { id } = await write(ctx, async (trx, audit) => {
    const row = await trx
      .insertInto('api_tokens')
      .values({
        user_id: me.id,
        name: t.name,
        token_hash: sha256(token),
        assignment_ids: t.assignments,
        expires_at: expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({
      action: 'token.created',
      entityType: 'token',
      entityId: row.id,
      entityCode: me.username,
      payload: { name: t.name, assignments: t.assignments, expiresAt },
    });
    return row;
  });
  return { id, token, expiresAt };
}

export async function listApiTokens(ctx: ServiceContext) {
  const me = requireSession(ctx);
  return ctx.db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', me.id)
    .orderBy('created_at', 'desc')
    .execute();
}

export const revokeApiToken = (ctx: ServiceContext, id: string) => revokeOwn(ctx, 'api_tokens', 'token', id);

/** The holder of a bearer token: its user with the roles the token carries; undefined when unknown, expired or revoked. */
export async function tokenHolder(db: Db, token: string): Promise<Authenticated | undefined> {
  if (!token.startsWith('ovt_') || token.length > 200) return undefined;
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id',
      't.token_hash',
      't.assignment_ids',
      't.expires_at',
      't.revoked_at',
      't.last_used_at',
      'u.id as user_id',
      'u.username',
      'u.disabled_at',
    ])
    .where('t.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || !sameSecret(row.token_hash, sha256(token))) return undefined;
  if (row.revoked_at !== null || row.disabled_at !== null || new Date(row.expires_at).getTime() <= Date.now())
    return undefined;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000)
    await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  // The roles the token was given that the user still holds.
  const held = (await assignmentsOf(db, row.user_id)).filter((a) => row.assignment_ids.includes(a.id));
  return {
    principal: principalOf(row.user_id, row.username, held, 'token'),
    state: 'full',
    userId: row.user_id,
    username: row.username,
  };
}

/**
 * Enrols an authenticator for a user by the operator (demo users, a first admin set up from the
 * CLI): the secret is returned once, to be put into an authenticator app.
 */
export async function provisionTotp(ctx: ServiceContext, username: string): Promise<string> {
  requirePermission(ctx, 'admin');
  const totpSecret = generateSecret();
  await write(ctx, async (trx, audit) => {
    const now = new Date();
    const user = await trx
      .updateTable('users')
      .set({ totp_secret: totpSecret, totp_enabled_at: now, totp_last_step: null, updated_at: now })
      .where('username', '=', username)
      .returning('id')
      .executeTakeFirst();
    if (!user) throw notFound('user', username);
    // A new authenticator: the old recovery codes and every open session end with the old one.
    await trx.deleteFrom('recovery_codes').where('user_id', '=', user.id).execute();
    await endSessions(trx, user.id);
    audit({
      action: 'user.mfa_enabled',
      entityType: 'user',
      entityId: user.id,
      entityCode: username,
      payload: { by: 'operator' },
    });
  });
  return totpSecret;
}
