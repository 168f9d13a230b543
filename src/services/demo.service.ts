/** Seeds the demo program (examples/ly-2024.yaml) on the first start of an empty database. */
import { readFile } from 'node:fs/promises';
import { logIsEmpty } from '../db/audit-log.ts';
import type { Assignment, Role } from '../domain/access.ts';
import { historyDays, programAsOf } from '../domain/as-of.ts';
import { firstDifference } from '../domain/audit-state.ts';
import { todayIn, zonedInstant } from '../domain/dates.ts';
import { AppError, validationFailed } from '../domain/errors.ts';
import { parseProgramText } from '../domain/program-file/parse.ts';
import type { ProgramFile } from '../domain/program-file/schema.ts';
import { inStoredOrder } from '../domain/program-file/stored-order.ts';
import { createUser, needsMfa } from './account.service.ts';
import { type ServiceContext, systemActor, write } from './context.ts';
import { setUserNotificationSettings } from './notification.service.ts';
import { importProgram } from './program-file.service.ts';
import { approveReport, createReport, sendReportForReview, submitReport } from './report-workflow.service.ts';
import { provisionTotp } from './session.service.ts';

export const DEMO_FILE = new URL('../../examples/ly-2024.yaml', import.meta.url);
const SEEDED = 'demo_seeded';

/** A demo user, with the password (and authenticator secret) shown once at start-up. */
export interface DemoUser {
  username: string;
  role: Role;
  password: string;
  totpSecret?: string;
}

/** One user per role on the demo program, so each view of the tool can be tried. */
const DEMO_USERS: Array<{ username: string; displayName: string; assignment: Assignment }> = [
  { username: 'admin', displayName: 'Demo administrator', assignment: { role: 'admin', program: null } },
  {
    username: 'manager',
    displayName: 'Security governance office',
    assignment: { role: 'program_manager', program: 'LY-2024' },
  },
  {
    username: 'owner',
    displayName: 'Network engineering',
    assignment: { role: 'measure_owner', program: 'LY-2024', owner: 'Network engineering (illustrative)' },
  },
  {
    username: 'naver-cloud',
    displayName: 'NAVER Cloud (contractor)',
    assignment: { role: 'contractor', program: 'LY-2024', organization: 'NAVER-CLOUD' },
  },
  {
    username: 'regulator',
    displayName: 'MIC (regulator)',
    assignment: { role: 'regulator', program: 'LY-2024' },
  },
  { username: 'auditor', displayName: 'Internal audit', assignment: { role: 'auditor', program: 'LY-2024' } },
];

/** Creates the demo users with fresh random passwords; an authenticator for the roles that need one. */
export async function createDemoUsers(ctx: ServiceContext): Promise<DemoUser[]> {
  const out: DemoUser[] = [];
  for (const u of DEMO_USERS) {
    const { password } = await createUser(ctx, {
      username: u.username,
      displayName: u.displayName,
      assignments: [u.assignment],
    });
    const totpSecret = needsMfa([u.assignment]) ? await provisionTotp(ctx, u.username) : undefined;
    // An address at example.com (reserved: mail to it goes nowhere) and a language, so reminders show.
    await setUserNotificationSettings(ctx, u.username, {
      email: `${u.username}@example.com`,
      language: u.username === 'manager' || u.username === 'owner' ? 'ja' : 'en',
    });
    out.push({
      username: u.username,
      role: u.assignment.role,
      password: password!,
      ...(totpSecret ? { totpSecret } : {}),
    });
  }
  return out;
}

/**
 * Imports the demo. Into an empty audit log it replays the case's dated history: the program as
 * known at the end of each day of its history, each written at 18:00 of that day in the program's
 * time zone (every event says so, and when the replay really ran), so the log can be read back to
 * any instant of the case — the demo as of 1 April 2024 is what was known then. Into a log that
 * already holds events, whose instants must not go back, it imports the program as it is now.
 */
export async function importDemo(ctx: ServiceContext, text: string): Promise<void> {
  const parsed = parseProgramText(text);
  if (!parsed.ok) throw validationFailed(parsed.issues);
  const file = inStoredOrder(parsed.file);
  if (!(await logIsEmpty(ctx.db))) {
    await importProgram(ctx, file);
    return;
  }
  const zone = file.program.timeZone;
  const today = todayIn(zone);
  const recordedAt = new Date().toISOString();
  let previous: ProgramFile | undefined;
  for (const day of historyDays(file)) {
    if (day >= today) break;
    const known = programAsOf(file, day);
    if (previous && !firstDifference(previous, known)) continue;
    const dayCtx = { ...ctx, clock: () => zonedInstant(day, 18, zone) };
    await importProgram(dayCtx, known, {
      replace: previous !== undefined,
      history: { asOf: day, recordedAt },
    });
    previous = known;
    // The reports the case sent on this day, each through its whole workflow.
    for (const d of known.directives.filter((x) => x.reportDue === day))
      await submitDemoReport(dayCtx, file.program.code, d.code, day);
  }
  if (!previous || firstDifference(previous, file))
    await importProgram(ctx, file, { replace: Boolean(previous) });
}

/**
 * A report of the demo's history, submitted on the day it was due: written by one demo user and
 * approved by another, as every report must be.
 */
async function submitDemoReport(ctx: ServiceContext, program: string, directive: string, day: string) {
  const author = { ...ctx, actor: systemActor('demo:security-office') };
  const approver = { ...ctx, actor: systemActor('demo:executive-officer') };
  const { id } = await createReport(author, program, { directive, asOf: day });
  const reviewed = await sendReportForReview(author, program, id, { version: 1 });
  const approved = await approveReport(approver, program, id, { version: reviewed.version });
  await submitReport(author, program, id, { version: approved.version });
}

/**
 * Imports the demo once per database, with its users; returns them (passwords in clear, once) when
 * it did. Deleting the demo later does not bring it back.
 */
export async function seedDemoOnFirstStart(ctx: ServiceContext): Promise<DemoUser[] | undefined> {
  const seeded = await ctx.db
    .selectFrom('app_meta')
    .select('value')
    .where('key', '=', SEEDED)
    .executeTakeFirst();
  if (seeded) return undefined;
  const programs = await ctx.db.selectFrom('programs').select('id').limit(1).execute();
  if (programs.length === 0) {
    try {
      await importDemo(ctx, await readFile(DEMO_FILE, 'utf8'));
    } catch (err) {
      // Another server starting on the same database seeded it first.
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
    }
  }
  await write(ctx, async (trx) => {
    await trx
      .insertInto('app_meta')
      .values({ key: SEEDED, value: new Date().toISOString() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  });
  if (programs.length > 0) return undefined;
  const anyone = await ctx.db.selectFrom('users').select('id').limit(1).execute();
  return anyone.length === 0 ? createDemoUsers(ctx) : [];
}
