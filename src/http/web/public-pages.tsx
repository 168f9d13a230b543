/** The public site of a program under /public/:program/: no sign-in, the files of reports/public-site.tsx. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { AppError } from '../../domain/errors.ts';
import { renderPublicSite } from '../../reports/public-site.tsx';
import { publicSiteOf, publicViewOf } from '../../services/public.service.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { codeParam } from './params.ts';

export const PUBLIC_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};

export function registerPublicPages(app: OpenAPIHono<AppEnv>, deps: Pick<AppDeps, 'log'>): void {
  app.get('/public/:program', async (c) => {
    const program = codeParam(c, 'program');
    await publicViewOf(c.var.ctx, program);
    return c.redirect(`/public/${encodeURIComponent(program)}/${c.var.lang}/`, 302);
  });
  app.get('/public/:program/*', async (c) => {
    const program = codeParam(c, 'program');
    const prefix = `/public/${encodeURIComponent(program)}/`;
    let path: string;
    try {
      path = decodeURIComponent(c.req.path.slice(prefix.length));
    } catch {
      // A malformed escape names no file of the site.
      throw new AppError('not_found', 'errors.route_not_found', { path: c.req.path.slice(0, 200) });
    }
    if (path === '' || path.endsWith('/')) path = `${path}index.html`;
    // Only an update's page and its proof show a proof: nothing else makes the log be read.
    const update = /^(?:ja|en)\/updates\/(\d{1,9})\.(?:html|proof\.json)$/.exec(path);
    const site = await publicSiteOf(c.var.ctx, program, update ? Number(update[1]) : 'none');
    const files = renderPublicSite(site, program, deps.log?.verifierKey);
    const body = files.get(path);
    if (body === undefined)
      throw new AppError('not_found', 'errors.route_not_found', { path: c.req.path.slice(0, 200) });
    c.header('content-type', PUBLIC_TYPES[path.split('.').pop()!] ?? 'text/plain; charset=utf-8');
    c.header('cache-control', 'public, max-age=300');
    return c.body(body);
  });
}
