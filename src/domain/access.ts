/**
 * Who may do what: roles, each scoped to a program (and for a contractor to its organization, for
 * a measure owner to its team), and the permissions they grant. Pure: the services ask it before
 * they read or write, so the API, the pages, the CLI and imports obey the same rules.
 */
import type { ProgramFile } from './program-file/schema.ts';

export const ROLES = [
  'admin',
  'program_manager',
  'measure_owner',
  'contractor',
  'regulator',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that must sign in with a second factor. */
export const MFA_REQUIRED: readonly Role[] = ['admin', 'program_manager'];

export interface Assignment {
  /** The stored assignment's id, where it came from the database (a token names the ones it holds). */
  id?: string;
  role: Role;
  /** The program the role applies to; null for an admin of every program. */
  program: string | null;
  /** A contractor's organization (its code in the program). */
  organization?: string | null;
  /** A measure owner's team, as measures name their owner. */
  owner?: string | null;
}

export type Principal =
  /** The operator at the machine (CLI, demo seeding): holds the database, may do anything. */
  | { kind: 'system'; id: string }
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      id: string;
      username: string;
      assignments: Assignment[];
      /** How the user proved who it is: a session of the browser, or an API token holding some of its roles. */
      via: 'session' | 'token';
    };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

export const PERMISSIONS = [
  /** Anyone, signed in or not. */
  'public',
  /** Any signed-in user. */
  'signed_in',
  /** A user signed in through a session of the browser: one's own account, password, second factor and tokens (never by token). */
  'session',
  /** Everything of a program, read only. */
  'program.read',
  /** The part of a program a contractor shares: its own relationships and access edges. */
  'program.shared',
  /** Any record of a program. */
  'program.write',
  /** Measures, their milestones and checks — a measure owner only those of its team. */
  'measure.write',
  /** Outsourcing relationships and access edges — a contractor only its organization's. */
  'provider.write',
  /** The audit log. */
  'audit.read',
  /** Reports to the regulator: drafts and all with program.read; a regulator the submitted ones. */
  'report.read',
  /** Draft, send for review, return, submit. */
  'report.write',
  /** Approve a report someone else wrote and sent for review. */
  'report.approve',
  /** Record the regulator's findings on a submitted report. */
  'report.finding',
  /** Draft, correct and publish public progress updates. */
  'disclosure.write',
  /** Approve a public progress update someone else drafted. */
  'disclosure.approve',
  /** Users, roles and every program. */
  'admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Which roles grant each permission (admin grants all). */
const GRANTS: Record<Exclude<Permission, 'public' | 'signed_in' | 'session' | 'admin'>, readonly Role[]> = {
  'program.read': ['program_manager', 'measure_owner', 'auditor'],
  'program.shared': ['program_manager', 'measure_owner', 'auditor', 'contractor'],
  'program.write': ['program_manager'],
  'measure.write': ['program_manager', 'measure_owner'],
  'provider.write': ['program_manager', 'contractor'],
  'audit.read': ['auditor'],
  'report.read': ['program_manager', 'measure_owner', 'auditor', 'regulator'],
  'report.write': ['program_manager'],
  'report.approve': ['program_manager'],
  'report.finding': ['regulator'],
  'disclosure.write': ['program_manager'],
  'disclosure.approve': ['program_manager'],
};

/** The assignments of a principal that apply to a program (an admin's apply everywhere). */
export function assignmentsIn(principal: Principal, program: string | undefined): Assignment[] {
  if (principal.kind !== 'user') return [];
  return principal.assignments.filter((a) => a.program === null || a.program === program);
}

/** Whether a principal has any role in a program (an admin in all). */
export const holdsRoleIn = (principal: Principal, program: string): boolean =>
  isAdmin(principal) || assignmentsIn(principal, program).length > 0;

export const isAdmin = (principal: Principal): boolean =>
  principal.kind === 'system' ||
  (principal.kind === 'user' && principal.assignments.some((a) => a.role === 'admin' && a.program === null));

/** Whether a principal holds a permission, in a program where the permission is about one. */
export function allows(principal: Principal, permission: Permission, program?: string): boolean {
  if (permission === 'public') return true;
  if (principal.kind === 'anonymous') return false;
  if (permission === 'session') return principal.kind === 'user' && principal.via === 'session';
  if (permission === 'signed_in' || isAdmin(principal)) return true;
  if (permission === 'admin') return false;
  const roles = assignmentsIn(principal, program).map((a) => a.role);
  if (roles.includes('admin')) return true;
  return roles.some((r) => GRANTS[permission].includes(r));
}

/** Whether a principal reads all of a program (not only a contractor's share). */
export const readsWholeProgram = (principal: Principal, program: string): boolean =>
  allows(principal, 'program.read', program);

/** The organizations whose share of a program a principal sees as a contractor. */
export function contractorOrganizations(principal: Principal, program: string): string[] {
  return assignmentsIn(principal, program)
    .filter((a) => a.role === 'contractor' && a.organization)
    .map((a) => a.organization!);
}

/** The teams whose measures a principal may change as a measure owner. */
export function ownedTeams(principal: Principal, program: string): string[] {
  return assignmentsIn(principal, program)
    .filter((a) => a.role === 'measure_owner' && a.owner)
    .map((a) => a.owner!);
}

/** Whether a principal may change a measure owned by `owner` (a program manager any). */
export function mayChangeMeasure(
  principal: Principal,
  program: string,
  owner: string | null | undefined,
): boolean {
  if (allows(principal, 'program.write', program)) return true;
  return owner !== undefined && owner !== null && ownedTeams(principal, program).includes(owner);
}

/** Whether a principal may change an edge or relationship of `organizations` (a program manager any). */
export function mayChangeProviderRecord(
  principal: Principal,
  program: string,
  organizations: readonly string[],
): boolean {
  if (allows(principal, 'program.write', program)) return true;
  const mine = contractorOrganizations(principal, program);
  return organizations.some((o) => mine.includes(o));
}

/**
 * A program as a contractor sees it: its organization's outsourcing relationships (as provider or
 * customer) and access edges, the organizations and systems they name; nothing else.
 */
export function contractorShare(file: ProgramFile, organizations: readonly string[]): ProgramFile {
  const mine = new Set(organizations);
  const relationships = file.relationships.filter((r) => mine.has(r.provider) || mine.has(r.customer));
  const access = file.access.filter((a) => mine.has(a.organization));
  const orgs = new Set([...mine, ...relationships.flatMap((r) => [r.provider, r.customer])]);
  const systems = new Set([...relationships.flatMap((r) => r.systems), ...access.map((a) => a.system)]);
  return {
    ...file,
    organizations: file.organizations.filter((o) => orgs.has(o.code)).map(({ notes: _notes, ...o }) => o),
    ownerships: [],
    incidents: [],
    directives: [],
    measures: [],
    systems: file.systems.filter((s) => systems.has(s.code)),
    access: access.map((a) => ({ ...a, untilMilestone: undefined })),
    links: [],
    relationships: relationships.map((r) => ({ ...r, measures: [] })),
  };
}
