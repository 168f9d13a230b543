/** @jsxImportSource hono/jsx */
/** The plain home page: the programs and the ways into the API. The full web UI is a later issue. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Child } from 'hono/jsx';
import { type Language, translator } from '../../i18n/index.ts';
import { listPrograms } from '../../services/program.service.ts';
import type { AppEnv } from '../env.ts';

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Yu Gothic UI",Meiryo,"Noto Sans JP","Liberation Sans",Arial,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#17324d;color:#fff;padding:16px 32px;display:flex;align-items:baseline;gap:16px}
header h1{margin:0;font-size:22px} header p{margin:0;opacity:.8}
header a{color:#cfe3ff;margin-left:auto}
main{max-width:1080px;margin:24px auto;padding:0 32px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d8dde3}
th,td{padding:10px 12px;border-bottom:1px solid #e5e8ec;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600;font-size:14px;white-space:nowrap}
td.n{text-align:right;font-variant-numeric:tabular-nums}
code{font-size:13px;white-space:nowrap} ul.links{padding-left:20px} a{color:#0b5cad}
`;

function Layout(props: { lang: Language; title: string; children: Child }) {
  const t = translator(props.lang);
  const other = props.lang === 'ja' ? 'en' : 'ja';
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <header>
          <h1>{t('app.product')}</h1>
          <p>{t('app.tagline')}</p>
          <a href={`?lang=${other}`} hreflang={other}>
            {t('app.language')}
          </a>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

export function registerPages(app: OpenAPIHono<AppEnv>): void {
  app.get('/', async (c) => {
    const lang = c.var.lang;
    const t = translator(lang);
    const programs = await listPrograms(c.var.ctx);
    return c.html(
      <Layout lang={lang} title={`${t('app.programs')} — ${t('app.product')}`}>
        <h2>{t('app.programs')}</h2>
        {programs.length === 0 ? (
          <p>{t('app.noPrograms')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('app.code')}</th>
                <th>{t('app.name')}</th>
                <th>{t('app.regulated')}</th>
                <th>{t('app.directives')}</th>
                <th>{t('app.measures')}</th>
                <th>{t('app.milestones')}</th>
                <th>{t('app.relationships')}</th>
                <th>{t('app.api')}</th>
              </tr>
            </thead>
            <tbody>
              {programs.map((p) => (
                <tr>
                  <td>
                    <code>{p.code}</code>
                  </td>
                  <td>{lang === 'ja' && p.nameJa ? p.nameJa : p.name}</td>
                  <td>{p.regulatedOrganization}</td>
                  <td class="n">{p.counts.directives}</td>
                  <td class="n">{p.counts.measures}</td>
                  <td class="n">{p.counts.milestones}</td>
                  <td class="n">{p.counts.relationships}</td>
                  <td>
                    <a href={`/api/v1/programs/${encodeURIComponent(p.code)}`}>JSON</a>
                    {' · '}
                    <a href={`/api/v1/programs/${encodeURIComponent(p.code)}/export`}>{t('app.export')}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <h2>{t('app.api')}</h2>
        <ul class="links">
          <li>
            <a href="/api/v1/programs">/api/v1/programs</a>
          </li>
          <li>
            <a href="/api/openapi.json">{t('app.openapi')}</a>
          </li>
          <li>
            <a href="/healthz">{t('app.health')}</a>
          </li>
        </ul>
      </Layout>,
    );
  });
}
