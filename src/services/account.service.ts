/**
 * Accounts: users, their roles and passwords. Passwords are argon2id hashes; a generated password
 * is shown once and never stored in clear. Every change is audited, as any other write.
 */
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import type { Trx } from '../db/program-writer.ts';
import { type Assignment, MFA_REQUIRED, ROLES, type Role } from '../domain/access.ts';
import { AppError, notFound } from '../domain/errors.ts';
import { codeSchema } from '../domain/program-file/schema.ts';
import { requirePermission, requireSession, requireUserPrincipal } from './authorize.ts';
import { type ServiceContext, validate, write } from './context.ts';
import { endAttempt, endSessions, startAttempt, throttleKeys } from './session.service.ts';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, { error: 'validation.username' });

export const passwordSchema = z.string().min(12, { error: 'validation.password_short' }).max(200);

export const assignmentSchema = z
  .strictObject({
    role: z.enum(ROLES),
    program: codeSchema.nullable().default(null),
    organization: codeSchema.nullable().optional(),
    owner: z.string().trim().min(1).max(200).nullable().optional(),
  })
  .superRefine((a, ctx) => {
    if ((a.role === 'admin') !== (a.program === null))
      ctx.addIssue({ code: 'custom', path: ['program'], message: 'validation.role_program' });
    if (a.role === 'contractor' && !a.organization)
      ctx.addIssue({ code: 'custom', path: ['organization'], message: 'validation.required' });
    if (a.role === 'measure_owner' && !a.owner)
      ctx.addIssue({ code: 'custom', path: ['owner'], message: 'validation.required' });
  });

const newUserSchema = z.strictObject({
  username: usernameSchema,
  displayName: z.string().trim().min(1, { error: 'validation.required' }).max(200).optional(),
  password: passwordSchema.optional(),
  assignments: z.array(assignmentSchema).max(50).default([]),
});

/** A password of 20 characters from a CSPRNG, shown once to whoever creates the account. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/** argon2id with the library's defaults (OWASP's minimum: 19 MiB, 2 passes). */
export const hashPassword = (password: string) => hash(password);

/** A hash to verify against when the account does not exist, so both cases take the same time. */
let decoy: Promise<string> | undefined;
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  decoy ??= hash(generatePassword());
  const target = stored ?? (await decoy);
  const ok = await verify(target, password).catch(() => false);
  return ok && stored !== undefined;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
  mfa: boolean;
  assignments: Array<Assignment & { id: string }>;
}

export async function assignmentsOf(trx: Pick<ServiceContext, 'db'>['db'] | Trx, userId: string) {
  const rows = await trx
    .selectFrom('role_assignments')
    .select(['id', 'role', 'program_code', 'organization_code', 'owner_name'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    role: r.role as Role,
    program: r.program_code,
    organization: r.organization_code,
    owner: r.owner_name,
  }));
}

/** Whether a user's roles demand a second factor. */
export const needsMfa = (assignments: readonly Assignment[]) =>
  assignments.some((a) => MFA_REQUIRED.includes(a.role));

/**
 * Creates a user with its roles. Without a password, one is generated and returned (once).
 * Only an admin (or the operator at the machine) may.
 */
export async function createUser(
  ctx: ServiceContext,
  input: unknown,
): Promise<{ id: string; password?: string }> {
  requirePermission(ctx, 'admin');
  const u = validate(newUserSchema, input);
  const generated = u.password === undefined ? generatePassword() : undefined;
  const password_hash = await hashPassword(u.password ?? generated!);
  return write(ctx, async (trx, audit) => {
    const taken = await trx
      .selectFrom('users')
      .select('id')
      .where('username', '=', u.username)
      .executeTakeFirst();
    if (taken) throw new AppError('conflict', 'errors.duplicate', { entity: 'user', code: u.username });
    const { id } = await trx
      .insertInto('users')
      .values({ username: u.username, display_name: u.displayName ?? u.username, password_hash })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const a of u.assignments) await insertAssignment(trx, id, a);
    audit({
      action: 'user.created',
      entityType: 'user',
      entityId: id,
      entityCode: u.username,
      payload: { assignments: u.assignments },
    });
    return { id, ...(generated ? { password: generated } : {}) };
  });
}

async function insertAssignment(trx: Trx, userId: string, a: z.output<typeof assignmentSchema>) {
  return trx
    .insertInto('role_assignments')
    .values({
      user_id: userId,
      role: a.role,
      program_code: a.program,
      organization_code: a.organization ?? null,
      owner_name: a.owner ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

async function requireUser(trx: Trx, username: string) {
  const row = await trx
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst();
  if (!row) throw notFound('user', username);
  return row;
}

/** Gives a user one more role. */
export async function grantRole(ctx: ServiceContext, username: string, input: unknown) {
  requirePermission(ctx, 'admin');
  const a = validate(assignmentSchema, input);
  return write(ctx, async (trx, audit) => {
    const user = await requireUser(trx, username);
    const { id } = await insertAssignment(trx, user.id, a);
    audit({
      action: 'role.granted',
      entityType: 'user',
      entityId: user.id,
      entityCode: user.username,
      payload: a,
    });
    return { id };
  });
}

/** Takes a role away. */
export async function revokeRole(ctx: ServiceContext, username: string, assignmentId: string) {
  requirePermission(ctx, 'admin');
  return write(ctx, async (trx, audit) => {
    const user = await requireUser(trx, username);
    const gone = await trx
      .deleteFrom('role_assignments')
      .where('id', '=', assignmentId)
      .where('user_id', '=', user.id)
      .returningAll()
      .executeTakeFirst();
    if (!gone) throw notFound('role', assignmentId);
    audit({
      action: 'role.revoked',
      entityType: 'user',
      entityId: user.id,
      entityCode: user.username,
      payload: gone,
    });
  });
}

/** Disables a user: signs out every session and revokes every token at once. */
export async function disableUser(ctx: ServiceContext, username: string) {
  requirePermission(ctx, 'admin');
  return write(ctx, async (trx, audit) => {
    const user = await requireUser(trx, username);
    const now = new Date();
    await trx
      .updateTable('users')
      .set({ disabled_at: now, updated_at: now })
      .where('id', '=', user.id)
      .execute();
    await endSessions(trx, user.id, { tokens: true });
    audit({ action: 'user.disabled', entityType: 'user', entityId: user.id, entityCode: user.username });
  });
}

export async function listUsers(ctx: ServiceContext): Promise<UserView[]> {
  requirePermission(ctx, 'admin');
  const users = await ctx.db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'disabled_at', 'totp_enabled_at'])
    .orderBy('username')
    .execute();
  return Promise.all(users.map((u) => viewOf(ctx.db, u)));
}

async function viewOf(
  db: ServiceContext['db'],
  u: { id: string; username: string; display_name: string; disabled_at: unknown; totp_enabled_at: unknown },
): Promise<UserView> {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    disabled: u.disabled_at !== null,
    mfa: u.totp_enabled_at !== null,
    assignments: await assignmentsOf(db, u.id),
  };
}

/** The signed-in user's own account. */
export async function myAccount(ctx: ServiceContext): Promise<UserView> {
  const principal = requireUserPrincipal(ctx);
  const u = await ctx.db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'disabled_at', 'totp_enabled_at'])
    .where('id', '=', principal.id)
    .executeTakeFirstOrThrow();
  return viewOf(ctx.db, u);
}

/** Changes one's own password, after the current one; every other session of the user ends. */
export async function changePassword(
  ctx: ServiceContext,
  sessionId: string | undefined,
  input: { current?: unknown; next?: unknown; confirm?: unknown },
  address = 'unknown',
) {
  const principal = requireSession(ctx);
  const next = validate(z.strictObject({ next: passwordSchema }), { next: input.next }).next;
  if (input.next !== input.confirm)
    throw new AppError('validation', 'errors.validation', { count: 1 }, [
      { path: 'confirm', key: 'validation.password_mismatch' },
    ]);
  const row = await ctx.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', principal.id)
    .executeTakeFirstOrThrow();
  // Guessing the current password is throttled as signing in is.
  const keys = throttleKeys('user', principal.username, true, address);
  const attempt = await startAttempt(ctx.db, keys);
  if (!(await verifyPassword(row.password_hash, String(input.current ?? '').slice(0, 200))))
    throw new AppError('validation', 'errors.validation', { count: 1 }, [
      { path: 'current', key: 'validation.password_wrong' },
    ]);
  await endAttempt(ctx.db, attempt);
  const password_hash = await hashPassword(next);
  return write(ctx, async (trx, audit) => {
    const now = new Date();
    await trx
      .updateTable('users')
      .set({ password_hash, password_changed_at: now, updated_at: now })
      .where('id', '=', principal.id)
      .execute();
    await endSessions(trx, principal.id, { except: sessionId });
    audit({
      action: 'user.password_changed',
      entityType: 'user',
      entityId: principal.id,
      entityCode: principal.username,
    });
  });
}
