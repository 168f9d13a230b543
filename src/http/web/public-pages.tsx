/** @jsxImportSource hono/jsx */
/**
 * The public progress page of a program: no sign-in, no script, printable, in Japanese and English.
 * Built from the public view alone (domain/public-view.ts), so nothing internal can reach it.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { raw } from 'hono/html';
import type { PublicItem, PublicView } from '../../domain/public-view.ts';
import { formatDate } from '../../i18n/format.ts';
import { type Language, translator } from '../../i18n/index.ts';
import { publicViewOf } from '../../services/public.service.ts';
import type { AppEnv } from '../env.ts';
import { codeParam } from './params.ts';

const STYLE = `
:root { color: #1b1f24; font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, system-ui, sans-serif; line-height: 1.7; }
body { margin: 0; background: #fff; }
header.site { background: #16324f; color: #fff; padding: 18px 24px; }
header.site a { color: #fff; }
header.site .lang { float: right; }
main { max-width: 880px; margin: 0 auto; padding: 24px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; border-bottom: 2px solid #16324f; padding-bottom: 4px; margin-top: 40px; }
h3 { font-size: 16px; margin: 24px 0 8px; }
.lead { color: #4a5663; }
.figures { display: flex; flex-wrap: wrap; gap: 16px; margin: 16px 0; padding: 0; list-style: none; }
.figures li { flex: 1 1 180px; border: 1px solid #d8dee4; border-radius: 6px; padding: 12px 16px; }
.figures strong { display: block; font-size: 28px; }
.item { margin-left: calc(var(--depth) * 20px); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
th, td { border-bottom: 1px solid #d8dee4; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
td.n, th.n { text-align: right; white-space: nowrap; }
.status { display: inline-block; border-radius: 10px; padding: 0 10px; font-size: 13px; font-weight: 700; white-space: nowrap; }
.status-completed { background: #e6f4ea; color: #1a6b2f; }
.status-in_progress { background: #e8f0fb; color: #0b4f96; }
.status-planned { background: #f1f3f5; color: #46505a; }
footer { max-width: 880px; margin: 40px auto; padding: 0 24px 24px; color: #4a5663; font-size: 13px; }
@media print { header.site { background: none; color: #000; border-bottom: 2px solid #000; } header.site a { color: #000; } .lang { display: none; } }
`;

function ItemBlock(props: { item: PublicItem; lang: Language }) {
  const tr = translator(props.lang);
  const { item, lang } = props;
  const date = (d: string | null) => (d ? formatDate(lang, d) : tr('pub.undated'));
  return (
    <div class="item" style={`--depth: ${item.depth}`}>
      <h3>
        {item.label ? `${item.label} ` : ''}
        {lang === 'ja' && item.textJa ? item.textJa : item.text}
      </h3>
      {item.measures.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th scope="col">{tr('pub.measure')}</th>
              <th scope="col">{tr('pub.status')}</th>
              <th scope="col">{tr('pub.due')}</th>
            </tr>
          </thead>
          <tbody>
            {item.measures.map((m) => (
              <tr>
                <td>{lang === 'ja' && m.titleJa ? m.titleJa : m.title}</td>
                <td>
                  <span class={`status status-${m.status}`}>{tr(`pub.state.${m.status}`)}</span>
                </td>
                <td>{m.completedOn ? tr('pub.doneOn', { date: date(m.completedOn) }) : date(m.due)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {item.unnamed.total > 0 ? (
        <p class="lead">
          {tr('pub.unnamed', { total: item.unnamed.total, completed: item.unnamed.completed })}
        </p>
      ) : null}
    </div>
  );
}

/** The page as a whole document: the same bytes for the server and the static export. */
export function renderPublicPage(view: PublicView, lang: Language, links: { other: string }): string {
  const tr = translator(lang);
  const name = lang === 'ja' && view.nameJa ? view.nameJa : view.name;
  const o = view.outsourcing;
  const page = (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="index, follow" />
        <title>{`${tr('pub.title')} — ${name}`}</title>
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <header class="site">
          <a class="lang" href={links.other} hreflang={lang === 'ja' ? 'en' : 'ja'}>
            {tr('pub.otherLanguage')}
          </a>
          <strong>{name}</strong>
        </header>
        <main>
          <h1>{tr('pub.title')}</h1>
          <p class="lead">{tr('pub.asOf', { date: formatDate(lang, view.asOf) })}</p>
          <ul class="figures">
            <li>
              <strong>
                {view.measures.completed} / {view.measures.total}
              </strong>
              {tr('pub.measuresCompleted')}
            </li>
            <li>
              <strong>{view.measures.inProgress}</strong>
              {tr('pub.measuresInProgress')}
            </li>
            <li>
              <strong>
                {o.endingDone} / {o.ending}
              </strong>
              {tr('pub.outsourcingEnded')}
            </li>
          </ul>

          {view.directives.map((d) => (
            <section>
              <h2>
                {tr('pub.directive', {
                  issuer: lang === 'ja' && d.issuerJa ? d.issuerJa : d.issuer,
                  date: formatDate(lang, d.issuedOn),
                })}
              </h2>
              <p class="lead">{d.title}</p>
              {d.items.map((item) => (
                <ItemBlock item={item} lang={lang} />
              ))}
            </section>
          ))}

          <section>
            <h2>{tr('pub.outsourcing')}</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{tr('pub.decision')}</th>
                  <th scope="col" class="n">
                    {tr('pub.relationships')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {(['terminate', 'reduce', 'maintain', 'undecided'] as const).map((k) => (
                  <tr>
                    <td>{tr(`decision.${k}`)}</td>
                    <td class="n">{o[k]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          {view.incidents.map((x) => (
            <section>
              <h2>{x.title}</h2>
              {x.announcedOn ? (
                <p class="lead">{tr('pub.announced', { date: formatDate(lang, x.announcedOn) })}</p>
              ) : null}
              {x.records.length > 0 ? (
                <table>
                  <caption class="lead">{tr('pub.records')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{tr('pub.category')}</th>
                      <th scope="col" class="n">
                        {tr('pub.count')}
                      </th>
                      <th scope="col">{tr('pub.countedOn')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {x.records.map((r) => (
                      <tr>
                        <td>
                          {r.category} ({tr(`recordStatus.${r.status}`)})
                        </td>
                        <td class="n">{r.count.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB')}</td>
                        <td>{r.asOf ? formatDate(lang, r.asOf) : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
              <h3>{tr('pub.damage')}</h3>
              {x.damage.length === 0 ? (
                <p>{tr('pub.noDamage')}</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{tr('pub.month')}</th>
                      <th scope="col">{tr('pub.kind')}</th>
                      <th scope="col" class="n">
                        {tr('pub.reports')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {x.damage.map((r) => (
                      <tr>
                        <td>{r.month}</td>
                        <td>{tr(`damage.${r.kind}`)}</td>
                        <td class="n">{r.count ?? r.reports}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          ))}
        </main>
        <footer>{tr('pub.footer')}</footer>
      </body>
    </html>
  );
  return `<!doctype html>\n${page.toString()}\n`;
}

export function registerPublicPages(app: OpenAPIHono<AppEnv>): void {
  app.get('/public/:program', async (c) => {
    const program = codeParam(c, 'program');
    const view = await publicViewOf(c.var.ctx, program);
    const lang = c.var.lang;
    c.header('cache-control', 'public, max-age=300');
    return c.html(renderPublicPage(view, lang, { other: `?lang=${lang === 'ja' ? 'en' : 'ja'}` }));
  });
}
