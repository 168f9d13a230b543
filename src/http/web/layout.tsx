/** @jsxImportSource hono/jsx */
/** The frame of every page: header, program navigation, language switch. */
import type { Child } from 'hono/jsx';
import { type Language, translator } from '../../i18n/index.ts';

export const STYLE = `
:root{--ink:#1b1f24;--muted:#5b6673;--line:#d8dde3;--soft:#eef1f5;--bg:#f6f7f9;--brand:#17324d;--link:#0b5cad;
--err:#b42318;--warn:#7a5200;--ok:#11652a;--info:#0b5cad}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI","Hiragino Sans","Yu Gothic UI",Meiryo,"Noto Sans JP","IPAGothic","Liberation Sans",Arial,sans-serif;margin:0;color:var(--ink);background:var(--bg);font-size:15px;line-height:1.5}
a{color:var(--link)} a:focus-visible,button:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
header.top{background:var(--brand);color:#fff;padding:10px 28px;display:flex;align-items:center;gap:20px;flex-wrap:wrap}
header.top .brand{font-weight:700;font-size:19px;color:#fff;text-decoration:none}
header.top nav{display:flex;gap:16px;flex-wrap:wrap}
header.top nav a{color:#dbe9ff;text-decoration:none;padding:4px 0;border-bottom:2px solid transparent}
header.top nav a[aria-current=page]{color:#fff;border-bottom-color:#fff}
header.top .lang{margin-left:auto;color:#dbe9ff}
main{max-width:1240px;margin:20px auto 40px;padding:0 28px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:26px 0 10px} h3{font-size:15px;margin:16px 0 8px}
.sub{color:var(--muted);margin:0 0 16px}
.grid{display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(260px,1fr))}
.card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:14px 16px}
.card h2{margin-top:0}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:10px}
.kpi{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 12px;text-decoration:none;color:inherit;display:block}
.kpi b{display:block;font-size:24px;font-variant-numeric:tabular-nums}
.kpi span{color:var(--muted);font-size:13px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
th,td{padding:7px 10px;border-bottom:1px solid #e5e8ec;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;font-size:13px;white-space:nowrap}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.d{white-space:nowrap;font-variant-numeric:tabular-nums}
code{font-size:13px;white-space:nowrap}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap;border:1px solid transparent}
.s-late,.sev-error{background:#fde8e7;color:var(--err);border-color:#f5c2bf}
.s-at_risk,.sev-warning{background:#fff4d6;color:var(--warn);border-color:#f0d58a}
.s-done,.s-verified{background:#e6f4ea;color:var(--ok);border-color:#b7e0c2}
.s-on_track,.s-not_started,.sev-info{background:#e8f0fb;color:var(--info);border-color:#c3d6f2}
.s-cancelled{background:var(--soft);color:var(--muted)}
.two{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:20px}
.text{white-space:pre-wrap;background:#fff;border:1px solid var(--line);border-radius:6px;padding:14px 16px;font-size:14px;max-height:80vh;overflow:auto}
.item{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 14px;margin-bottom:10px}
.item.sub{margin-left:22px}
.item .label{font-weight:700;margin-right:6px}
.muted{color:var(--muted)} .small{font-size:13px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:var(--muted)} dl.facts dd{margin:0}
svg.gantt{background:#fff;border:1px solid var(--line);border-radius:6px;width:100%;height:auto}
ul.plain{list-style:none;padding:0;margin:0} ul.plain li{padding:4px 0;border-bottom:1px solid #eef0f3}
.field-error{color:var(--err);font-size:13px;margin:4px 0 0}
[aria-invalid=true]{border-color:var(--err)!important;background:#fff8f7}
details.form{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:8px 0}
details.form summary{cursor:pointer;color:var(--link)}
form label{display:block;font-weight:600;font-size:13px;margin:10px 0 4px}
form input,form select,form textarea{font:inherit;padding:6px 8px;border:1px solid #aab4bf;border-radius:4px;width:100%;max-width:520px;background:#fff}
form button,a.button{font:inherit;margin-top:12px;padding:7px 14px;border-radius:4px;border:1px solid var(--brand);background:var(--brand);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
.form-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:4px 24px}
.chart{margin:0}.chart svg{width:100%;height:auto;display:block}
.error-page{background:#fff;border:1px solid var(--line);border-left:4px solid var(--err);padding:16px 20px;border-radius:6px}
@media (max-width:900px){.two{grid-template-columns:1fr}}
@media print{header.top nav,header.top .lang{display:none}body{background:#fff}main{max-width:none;margin:0}.card,table{break-inside:avoid}}
`;

export interface LayoutProps {
  lang: Language;
  title: string;
  /** The program the page belongs to, for the navigation. */
  program?: { code: string; name: string } | undefined;
  /** Which navigation entry is the current page. */
  current?: 'dashboard' | 'directives' | 'measures' | 'relationships' | undefined;
  /** The path of this page, for the language switch. */
  path: string;
  children: Child;
}

export function Layout(props: LayoutProps) {
  const t = translator(props.lang);
  const other = props.lang === 'ja' ? 'en' : 'ja';
  const base = props.program ? `/programs/${encodeURIComponent(props.program.code)}` : '';
  const nav = props.program
    ? ([
        ['dashboard', base, t('ui.nav.dashboard')],
        ['directives', `${base}/directives`, t('ui.nav.directives')],
        ['measures', `${base}/measures`, t('ui.nav.measures')],
        ['relationships', `${base}/relationships`, t('ui.nav.relationships')],
      ] as const)
    : [];
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} — ${t('app.product')}`}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">
            {t('app.product')}
          </a>
          {props.program ? (
            <nav aria-label={t('ui.nav.label')}>
              {nav.map(([key, href, label]) => (
                <a href={href} aria-current={props.current === key ? 'page' : undefined}>
                  {label}
                </a>
              ))}
            </nav>
          ) : null}
          <a class="lang" href={`${props.path}?lang=${other}`} hreflang={other} lang={other}>
            {t('app.language')}
          </a>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}

export function StatusBadge(props: { lang: Language; status: string }) {
  const t = translator(props.lang);
  return <span class={`badge s-${props.status}`}>{t(`status.${props.status}`)}</span>;
}

export function SeverityBadge(props: { lang: Language; severity: string }) {
  const t = translator(props.lang);
  return <span class={`badge sev-${props.severity}`}>{t(`severity.${props.severity}`)}</span>;
}
