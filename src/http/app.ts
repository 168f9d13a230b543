/** Wires the web application: middleware, the JSON API, its OpenAPI document, pages and errors. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { allows, isAdmin } from '../domain/access.ts';
import { AppError } from '../domain/errors.ts';
import { pickLanguage } from '../i18n/index.ts';
import { silentLogger } from '../logger.ts';
import { diskEvidenceStore } from '../services/evidence-store.ts';
import { ROUTE_ACCESS } from './access-table.ts';
import { registerAccountApi } from './api/account-routes.ts';
import { registerDisclosureApi } from './api/disclosure-routes.ts';
import { registerEvidenceApi } from './api/evidence-routes.ts';
import { registerNotificationApi } from './api/notification-routes.ts';
import { registerReportApi } from './api/report-routes.ts';
import { registerReportTemplateApi } from './api/report-template-routes.ts';
import { registerApi } from './api/routes.ts';
import { authenticate, gate } from './auth.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { internalProblem, sendProblem } from './problem.ts';
import { registerAccountPages, registerAuthPages } from './web/account-pages.tsx';
import { registerAdminPages } from './web/admin-pages.tsx';
import { registerAuditPage } from './web/audit-page.tsx';
import { registerDisclosurePages } from './web/disclosure-pages.tsx';
import { registerEvidencePages } from './web/evidence-pages.tsx';
import { registerGroupPages } from './web/group.tsx';
import { registerNotificationPages } from './web/notification-pages.tsx';
import { errorPage, registerPages } from './web/pages.tsx';
import { registerPublicPages } from './web/public-pages.tsx';
import { registerReportPages } from './web/report-pages.tsx';
import { registerReportTemplatePages } from './web/report-template-pages.tsx';
import { signedIn } from './web/signed-in.ts';

export const MAX_BODY_BYTES = 20 * 1024 * 1024;
export const MAX_FORM_BYTES = 1024 * 1024;

const apiBodyLimit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError('bad_request', 'errors.body_too_large', { limit: MAX_BODY_BYTES });
  },
});

const pageBodyLimit = bodyLimit({
  maxSize: MAX_FORM_BYTES,
  onError: () => {
    throw new AppError('bad_request', 'errors.body_too_large', { limit: MAX_FORM_BYTES });
  },
});

export function createApp(deps: AppDeps): OpenAPIHono<AppEnv> {
  const logger = deps.logger ?? silentLogger;
  const evidence = deps.evidence ?? diskEvidenceStore(undefined);
  const app = new OpenAPIHono<AppEnv>();

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // Scripts only from this server (htmx); never inline. Inline style attributes stay (server-drawn SVG).
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'same-origin',
    }),
  );
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    logger.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });
  app.use('*', async (c, next) => {
    // The language: asked for in the query (and remembered in a cookie), else remembered, else the browser's.
    const fromQuery = c.req.query('lang');
    const asked = fromQuery === 'ja' || fromQuery === 'en' ? fromQuery : undefined;
    if (asked) setCookie(c, 'lang', asked, { path: '/', sameSite: 'Lax', maxAge: 60 * 60 * 24 * 365 });
    const remembered = getCookie(c, 'lang');
    c.set(
      'lang',
      pickLanguage(
        asked ?? (remembered === 'ja' || remembered === 'en' ? remembered : c.req.header('accept-language')),
      ),
    );
    await next();
  });
  // A browser's request that carries a session cookie must come from a page of this site (the
  // Origin header says so); a request with a bearer token carries no ambient credential to abuse.
  const sameOrigin = csrf();
  app.use('*', async (c, next) => {
    if (c.req.header('authorization') !== undefined) return next();
    try {
      return await sameOrigin(c, next);
    } catch (err) {
      if (err instanceof HTTPException && err.status === 403)
        throw new AppError('forbidden', 'errors.cross_site', {}, [], { cause: err });
      throw err;
    }
  });
  app.use('*', authenticate(deps));
  app.use('*', gate());
  app.use('*', (c, next) => {
    const p = c.var.ctx.actor.principal;
    const may = (route: string, program: string) => {
      const permission = ROUTE_ACCESS[route];
      return permission !== undefined && allows(p, permission, program);
    };
    return signedIn.run(
      p.kind === 'user'
        ? { username: p.username, admin: isAdmin(p), enrolling: c.var.auth?.state === 'enrol', may }
        : undefined,
      next,
    );
  });
  // Pages take forms, never files of any size: a megabyte is plenty.
  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/api/')) return next();
    // Evidence uploads carry files; they are limited as the API's bodies are.
    if (c.req.path.endsWith('/evidence')) return apiBodyLimit(c, next);
    // So do report templates (5 MB at most, which the service says in words).
    if (c.req.path.endsWith('/report-template')) return apiBodyLimit(c, next);
    return pageBodyLimit(c, next);
  });
  app.use('/api/*', apiBodyLimit);

  app.get('/healthz', async (c) => {
    await deps.database.db.selectFrom('app_meta').select('key').limit(1).execute();
    return c.json({ status: 'ok', database: deps.database.backend });
  });

  registerApi(app, evidence);
  registerAccountApi(app, deps);
  registerEvidenceApi(app, evidence, deps);
  registerReportApi(app, deps);
  registerReportTemplateApi(app);
  registerDisclosureApi(app);
  registerNotificationApi(app);
  app.get('/api/openapi.json', (c) =>
    c.json(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'Oversight API',
          version: '1',
          description:
            'Regulator-ordered security remediation programs: directives, measures, milestones, outsourcing relationships and more. Records are addressed by the codes their users chose.',
        },
      }),
    ),
  );
  registerAuthPages(app);
  registerAccountPages(app);
  registerAdminPages(app);
  registerNotificationPages(app, deps);
  registerAuditPage(app);
  registerReportPages(app, deps.log);
  registerReportTemplatePages(app);
  registerPublicPages(app, deps);
  registerDisclosurePages(app);
  registerEvidencePages(app, evidence);
  registerPages(app);
  registerGroupPages(app);

  /** Pages answer errors as pages; the API (and health) as problem+json. */
  const wantsPage = (path: string) => !path.startsWith('/api/') && path !== '/healthz';
  app.notFound((c) => {
    const err = new AppError('not_found', 'errors.route_not_found', { path: c.req.path });
    const lang = c.var.lang ?? 'en';
    return wantsPage(c.req.path) ? errorPage(c, err, lang) : sendProblem(c, err, lang);
  });
  app.onError((err, c) => {
    const lang = c.var.lang ?? 'en';
    if (err instanceof AppError && err.code !== 'internal')
      return wantsPage(c.req.path) ? errorPage(c, err, lang) : sendProblem(c, err, lang);
    const response = internalProblem(c, err instanceof AppError ? (err.cause ?? err) : err, lang, logger);
    if (!wantsPage(c.req.path)) return response;
    const id = response.headers.get('x-error-id') ?? '?';
    return errorPage(c, new AppError('internal', 'errors.internal', { id }), lang);
  });
  return app;
}
