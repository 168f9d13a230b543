/**
 * The files pages load: the style sheet and htmx (pinned in package.json, served from
 * node_modules, never from a CDN). Each URL carries a hash of its content, so it can be cached for good.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Hono } from 'hono';

const require = createRequire(import.meta.url);

interface Asset {
  body: string;
  type: string;
  hash: string;
}

function asset(path: string, type: string): Asset {
  const body = readFileSync(path, 'utf8');
  return { body, type, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

const FILES: Record<string, Asset> = {
  'app.css': asset(new URL('./app.css', import.meta.url).pathname, 'text/css; charset=utf-8'),
  'htmx.min.js': asset(require.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8'),
};

/** The URLs of the assets, with their content hash. */
export const ASSETS = {
  css: `/assets/app.css?v=${FILES['app.css']!.hash}`,
  htmx: `/assets/htmx.min.js?v=${FILES['htmx.min.js']!.hash}`,
};

// biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its environment
export function registerAssets(app: Hono<any>): void {
  app.get('/assets/:file', (c) => {
    const file = FILES[c.req.param('file')];
    if (!file) return c.notFound();
    c.header('content-type', file.type);
    c.header(
      'cache-control',
      c.req.query('v') === file.hash ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    return c.body(file.body);
  });
}
