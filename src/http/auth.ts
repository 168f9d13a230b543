/**
 * Who is asking: a bearer token (API), or a session cookie (pages); otherwise no one. Then the
 * gate: the route's row in the access table, against the roles the asker holds in the route's
 * program. A page sends someone not signed in to the sign-in form; the API answers 401 or 403.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { matchedRoutes } from 'hono/route';
import { ANONYMOUS, allows } from '../domain/access.ts';
import { AppError } from '../domain/errors.ts';
import { codeSchema } from '../domain/program-file/schema.ts';
import { type Authenticated, SESSION_IDLE_MS, sessionOf, tokenHolder } from '../services/session.service.ts';
import { ENROL_ROUTES, ROUTE_ACCESS } from './access-table.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { badParameter } from './web/params.ts';

export const SESSION_COOKIE = 'oversight_session';
/** Over TLS the cookie takes the `__Host-` prefix: Secure, Path=/, no Domain — no sibling host can plant it. */
const HOST_COOKIE = `__Host-${SESSION_COOKIE}`;
const cookieName = (c: Context) => (overTls(c) ? HOST_COOKIE : SESSION_COOKIE);

/** The session token the request carries, if any. */
export const sessionToken = (c: Context): string | undefined => getCookie(c, cookieName(c));

/** Whether the request reached us over TLS (directly, or through a proxy that says so). */
export const overTls = (c: Context) =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, cookieName(c), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: overTls(c),
    maxAge: Math.floor(SESSION_IDLE_MS / 1000),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, cookieName(c), { path: '/', secure: overTls(c) });
}

/** The address of the client, for throttling sign-ins. */
export function clientOf(c: Context): { address: string; userAgent: string | undefined } {
  let address = 'unknown';
  try {
    address = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Not on a socket (tests through app.request): one shared address.
  }
  return { address, userAgent: c.req.header('user-agent') };
}

/** Resolves the asker and sets the service context every handler acts with. */
export function authenticate(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const db = deps.database.db;
    let auth: Authenticated | undefined;
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
      auth = m ? await tokenHolder(db, m[1]!) : undefined;
      // A credential that is wrong, expired or revoked is refused, not ignored.
      if (!auth) throw new AppError('unauthorized', 'errors.token_invalid');
    } else {
      const cookie = sessionToken(c);
      auth = await sessionOf(db, cookie);
      if (cookie && !auth) clearSessionCookie(c);
    }
    c.set('auth', auth);
    // A session still waiting for its second factor acts as no one until it passes it.
    const principal = auth && auth.state !== 'pending' ? auth.principal : ANONYMOUS;
    c.set('ctx', {
      db,
      actor: { id: auth && auth.state !== 'pending' ? `user:${auth.username}` : 'anonymous', principal },
    });
    await next();
  };
}

/** The program a route is about: the `:program` segment of the path, decoded. */
function programOf(routePath: string, path: string): string | undefined {
  const at = routePath.split('/').indexOf(':program');
  if (at < 0) return undefined;
  try {
    return decodeURIComponent(path.split('/')[at] ?? '');
  } catch {
    return path.split('/')[at] ?? '';
  }
}

/** The route that will answer: the first one registered for this method that matches the path. */
function routeOf(c: Context): string | undefined {
  const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
  const route = matchedRoutes(c).find((r) => r.method === method);
  return route ? `${route.method} ${route.path}` : undefined;
}

/**
 * Sends the browser elsewhere. An htmx request would follow a redirect and swap the page it lands
 * on into a fragment; it is told to navigate instead (HX-Redirect).
 */
function redirect(c: Context<AppEnv>, to: string): Response {
  if (c.req.header('hx-request') === 'true') {
    c.header('HX-Redirect', to);
    return c.body(null, 200);
  }
  return c.redirect(to, 303);
}

/** Where to come back to after signing in: this page, or for an htmx request the page that made it. */
function returnPath(c: Context<AppEnv>): string {
  const from = c.req.header('hx-request') === 'true' ? (c.req.header('hx-current-url') ?? '/') : c.req.url;
  try {
    const here = new URL(from, c.req.url);
    return here.pathname + here.search;
  } catch {
    // A header no URL can be made of (`http://[`): back to the start.
    return '/';
  }
}

/** Refuses a request its asker may not make, by the route's row in the access table. */
export function gate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const route = routeOf(c);
    if (!route) return next();
    const permission = ROUTE_ACCESS[route];
    if (!permission) throw new AppError('forbidden', 'errors.no_access_rule', { route });
    const auth = c.var.auth;
    if (auth?.state === 'enrol' && !ENROL_ROUTES.has(route)) {
      if (!c.req.path.startsWith('/api/') && c.req.method === 'GET') return redirect(c, '/account/mfa');
      throw new AppError('forbidden', 'errors.mfa_required');
    }
    const principal = c.var.ctx.actor.principal;
    const program = programOf(route.slice(route.indexOf(' ') + 1), c.req.path);
    // A malformed program code is a bad request whoever asks: it names no program to check roles in.
    if (program !== undefined && !codeSchema.safeParse(program).success)
      throw badParameter('path.program', 'validation.not_an_id', {
        input: JSON.stringify(program.slice(0, 80)),
      });
    if (allows(principal, permission, program)) return next();
    if (principal.kind === 'anonymous') {
      if (!c.req.path.startsWith('/api/') && c.req.method === 'GET') {
        // After signing in, back to this page; for an htmx request, to the page that made it.
        return redirect(c, `/login?next=${encodeURIComponent(returnPath(c))}`);
      }
      throw new AppError('unauthorized', 'errors.unauthorized');
    }
    throw new AppError('forbidden', 'errors.forbidden', { action: permission, program: '' });
  };
}
