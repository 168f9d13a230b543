/**
 * Who may call each route: one row per route, naming the permission it needs (domain/access.ts
 * says which roles grant it, in the program of the route). A route without a row is refused, and a
 * test walks every route for every role against this table. Finer rules — a measure owner's own
 * measures, a contractor's own organization — are the services' to apply.
 */
import type { Permission } from '../domain/access.ts';

const API = '/api/v1/programs/:program';
const PAGE = '/programs/:program';

/** Read and write rows for an API collection: list and one record, create (unless `false`) and patch. */
function collection(
  name: string,
  read: Permission,
  write: Permission,
  create: Permission | false = write,
): Record<string, Permission> {
  return {
    [`GET ${API}/${name}`]: read,
    [`GET ${API}/${name}/:code`]: read,
    ...(create ? { [`POST ${API}/${name}`]: create } : {}),
    [`PATCH ${API}/${name}/:code`]: write,
  };
}

/** Rows for a register page with its create and edit forms. */
function register(
  name: string,
  read: Permission,
  write: Permission,
  forms: { create: boolean | Permission; edit: boolean } = { create: true, edit: true },
) {
  const create = forms.create === true ? write : forms.create;
  return {
    [`GET ${PAGE}/${name}`]: read,
    ...(create ? { [`GET ${PAGE}/${name}/new`]: create, [`POST ${PAGE}/${name}/new`]: create } : {}),
    ...(forms.edit
      ? { [`GET ${PAGE}/${name}/:code/edit`]: write, [`POST ${PAGE}/${name}/:code/edit`]: write }
      : {}),
  } as Record<string, Permission>;
}

export const ROUTE_ACCESS: Readonly<Record<string, Permission>> = {
  // Open to all: health, the API description, style sheet and scripts, signing in.
  'GET /healthz': 'public',
  'GET /api/openapi.json': 'public',
  // The audit log's key and latest checkpoint: anyone may hold the log to its word.
  'GET /api/v1/audit/key': 'public',
  'GET /api/v1/audit/checkpoint': 'public',
  'GET /assets/:file': 'public',
  'GET /login': 'public',
  // The public progress page: built from the public view only.
  'GET /public/:program': 'public',
  'GET /public/:program/*': 'public',
  'POST /login': 'public',
  'GET /login/mfa': 'public',
  'POST /login/mfa': 'public',
  'POST /logout': 'public',

  // One's own account: only through a session of the browser, never with an API token.
  'GET /': 'signed_in',
  'GET /account': 'session',
  'GET /account/mfa': 'session',
  'POST /account/mfa': 'session',
  'GET /account/password': 'session',
  'POST /account/password': 'session',
  'POST /account/sessions/:id/revoke': 'session',
  'POST /account/tokens': 'session',
  'POST /account/tokens/:id/revoke': 'session',
  'GET /api/v1/me': 'signed_in',

  // One's notifications and their settings (the settings page, like the account, by session only).
  'GET /notifications': 'signed_in',
  // Public so that a signed-out page polling it gets an empty count rather than a redirect.
  'GET /notifications/badge': 'public',
  'POST /notifications/read': 'signed_in',
  'GET /account/notifications': 'session',
  'POST /account/notifications': 'session',
  'GET /api/v1/notifications': 'signed_in',
  'POST /api/v1/notifications/read': 'signed_in',
  'GET /api/v1/me/notification-settings': 'session',
  'PATCH /api/v1/me/notification-settings': 'session',
  // Its targets are one's address and webhook URL (which may carry a token), as the settings are.
  'GET /api/v1/me/deliveries': 'session',

  // Administration.
  'GET /admin/users': 'admin',
  'POST /admin/users': 'admin',
  'POST /admin/users/:username/roles': 'admin',
  'POST /admin/users/:username/disable': 'admin',

  // The API: programs.
  'GET /api/v1/programs': 'signed_in',
  'POST /api/v1/programs': 'admin',
  [`GET ${API}`]: 'program.shared',
  [`PATCH ${API}`]: 'program.write',
  [`GET ${API}/export`]: 'program.read',
  [`GET ${API}/plan`]: 'program.read',
  [`GET ${API}/dashboard`]: 'program.read',
  [`GET ${API}/lint`]: 'program.read',
  [`GET ${API}/schedule`]: 'program.read',
  [`GET ${API}/traceability`]: 'program.read',
  [`GET ${API}/exposure`]: 'program.read',
  [`GET ${API}/exposure/timeline`]: 'program.read',
  [`GET ${API}/control`]: 'program.read',
  [`GET ${API}/tiering`]: 'program.read',
  [`GET ${API}/register`]: 'program.shared',
  [`GET ${API}/register/changes`]: 'program.shared',
  [`POST ${API}/register`]: 'program.write',
  [`GET ${API}/audit`]: 'audit.read',
  [`GET ${API}/audit/:seq/proof`]: 'audit.read',
  [`GET ${API}/disclosures`]: 'program.read',
  [`POST ${API}/disclosures`]: 'disclosure.write',
  [`POST ${API}/disclosures/:id/correction`]: 'disclosure.write',
  [`POST ${API}/disclosures/:id/approve`]: 'disclosure.approve',
  [`POST ${API}/disclosures/:id/publish`]: 'disclosure.write',
  [`GET ${API}/report-preview`]: 'program.read',
  [`GET ${API}/reports`]: 'report.read',
  [`POST ${API}/reports`]: 'report.write',
  [`GET ${API}/reports/:id`]: 'report.read',
  [`POST ${API}/reports/:id/review`]: 'report.write',
  [`POST ${API}/reports/:id/return`]: 'report.write',
  [`POST ${API}/reports/:id/approve`]: 'report.approve',
  [`POST ${API}/reports/:id/submit`]: 'report.write',
  [`GET ${API}/reports/:id/files/:format`]: 'report.read',
  [`GET ${API}/reports/:id/findings`]: 'report.read',
  [`POST ${API}/reports/:id/findings`]: 'report.finding',
  // A program's report layout: read by the program's members, changed by its managers.
  [`GET ${API}/report-template`]: 'program.read',
  [`POST ${API}/report-template`]: 'report.write',
  [`GET ${API}/report-template/versions/:version`]: 'program.read',
  [`GET ${API}/report-template/starter`]: 'program.read',
  [`POST ${API}/report-template/activate`]: 'report.write',
  [`POST ${API}/report-template/built-in`]: 'report.write',
  [`PUT ${API}/report-covers/:directive`]: 'report.write',
  [`GET ${API}/evidence`]: 'program.read',
  [`POST ${API}/evidence`]: 'measure.write',
  [`GET ${API}/evidence/:id`]: 'program.read',
  [`GET ${API}/ownerships`]: 'program.read',
  [`POST ${API}/ownerships`]: 'program.write',

  // The API: records.
  ...collection('organizations', 'program.shared', 'program.write'),
  ...collection('incidents', 'program.read', 'program.write'),
  ...collection('items', 'program.read', 'program.write', false),
  ...collection('directives', 'program.read', 'program.write'),
  ...collection('measures', 'program.read', 'measure.write'),
  ...collection('milestones', 'program.read', 'measure.write', false),
  ...collection('verifications', 'program.read', 'measure.write', false),
  ...collection('systems', 'program.shared', 'program.write'),
  ...collection('links', 'program.read', 'program.write'),
  // A contractor updates its relationships and access edges; creating them is the program office's.
  ...collection('access', 'program.shared', 'provider.write', 'program.write'),
  ...collection('relationships', 'program.shared', 'provider.write', 'program.write'),
  [`POST ${API}/measures/:measure/milestones`]: 'measure.write',
  [`POST ${API}/measures/:measure/verifications`]: 'measure.write',
  [`POST ${API}/milestones/:code/replan`]: 'measure.write',
  [`POST ${API}/milestones/:code/replan/approve`]: 'measure.write',
  [`POST ${API}/milestones/:code/replan/refuse`]: 'measure.write',
  [`POST ${API}/directives/:directive/items`]: 'program.write',
  [`POST ${API}/relationships/:code/decisions`]: 'program.write',
  [`POST ${API}/relationships/:code/attestations`]: 'provider.write',
  [`POST ${API}/access/:code/attestations`]: 'provider.write',
  [`POST ${API}/incidents/:code/secondary-damage`]: 'program.write',

  // Pages of a program.
  [`GET ${PAGE}`]: 'program.read',
  [`GET ${PAGE}/directives`]: 'program.read',
  [`GET ${PAGE}/directives/:code`]: 'program.read',
  [`GET ${PAGE}/measures/:code`]: 'program.read',
  [`POST ${PAGE}/milestones/:code/replan`]: 'measure.write',
  [`POST ${PAGE}/milestones/:code/replan/approve`]: 'measure.write',
  [`POST ${PAGE}/milestones/:code/replan/refuse`]: 'measure.write',
  [`GET ${PAGE}/group`]: 'program.read',
  [`GET ${PAGE}/audit`]: 'audit.read',
  [`GET ${PAGE}/disclosures`]: 'program.read',
  [`POST ${PAGE}/disclosures`]: 'disclosure.write',
  [`POST ${PAGE}/disclosures/:id/approve`]: 'disclosure.approve',
  [`POST ${PAGE}/disclosures/:id/publish`]: 'disclosure.write',
  [`GET ${PAGE}/reports`]: 'report.read',
  [`POST ${PAGE}/reports`]: 'report.write',
  [`GET ${PAGE}/reports/:id`]: 'report.read',
  [`POST ${PAGE}/reports/:id/review`]: 'report.write',
  [`POST ${PAGE}/reports/:id/return`]: 'report.write',
  [`POST ${PAGE}/reports/:id/approve`]: 'report.approve',
  [`POST ${PAGE}/reports/:id/submit`]: 'report.write',
  [`POST ${PAGE}/reports/:id/findings`]: 'report.finding',
  [`GET ${PAGE}/reports/:id/preview/:format`]: 'report.read',
  [`GET ${PAGE}/reports/:id/files/:format`]: 'report.read',
  [`GET ${PAGE}/report-template`]: 'program.read',
  [`POST ${PAGE}/report-template`]: 'report.write',
  [`POST ${PAGE}/report-template/activate`]: 'report.write',
  [`POST ${PAGE}/report-template/built-in`]: 'report.write',
  [`POST ${PAGE}/report-template/cover`]: 'report.write',
  [`GET ${PAGE}/report-template/starter`]: 'program.read',
  [`GET ${PAGE}/report-template/versions/:version`]: 'program.read',
  [`POST ${PAGE}/measures/:code/evidence`]: 'measure.write',
  [`GET ${PAGE}/evidence/:id`]: 'program.read',
  ...register('measures', 'program.read', 'measure.write'),
  ...register('milestones', 'program.read', 'measure.write'),
  ...register('verifications', 'program.read', 'measure.write'),
  ...register('findings', 'program.read', 'program.write', { create: false, edit: false }),
  ...register('relationships', 'program.shared', 'provider.write', { create: 'program.write', edit: true }),
  [`POST ${PAGE}/relationships/:code/decision`]: 'program.write',
  [`POST ${PAGE}/relationships/:code/attestation`]: 'provider.write',
  ...register('systems', 'program.shared', 'program.write'),
  ...register('access', 'program.shared', 'provider.write', { create: 'program.write', edit: true }),
  [`POST ${PAGE}/access/:code/attestation`]: 'provider.write',
  ...register('incidents', 'program.read', 'program.write'),
  ...register('secondary-damage', 'program.read', 'program.write', { create: true, edit: false }),
};

/** Routes a session that must still enrol a second factor may use: enrolment, and signing out. */
export const ENROL_ROUTES: ReadonlySet<string> = new Set([
  'GET /account/mfa',
  'POST /account/mfa',
  'POST /logout',
  'GET /assets/:file',
  'GET /login',
  'POST /login',
]);
