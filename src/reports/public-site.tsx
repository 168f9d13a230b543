/** @jsxImportSource hono/jsx */
/**
 * The public site of a program, as files: the progress page, the updates with their hashes and
 * proofs, a page on how to check them, and an Atom feed, in Japanese and English. No script,
 * printable, links relative, so the server and a static export give the same bytes. Built from
 * the public view and the published updates alone, so nothing internal can reach it.
 */
import { raw } from 'hono/html';
import { todayIn } from '../domain/dates.ts';
import type { PublicItem, PublicView } from '../domain/public-view.ts';
import { formatDate, titleIn } from '../i18n/format.ts';
import { LANGUAGES, type Language, translator } from '../i18n/index.ts';
import type { PublicSite, PublishedUpdate } from '../services/public.service.ts';
import { escapeXml } from './xml.ts';

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
code.hash { overflow-wrap: anywhere; font-size: 13px; }
pre.note { white-space: pre-wrap; overflow-wrap: anywhere; background: #f3f5f7; padding: 12px; font-size: 12px; }
.correction { border-left: 4px solid #b54708; background: #fff6ed; padding: 8px 16px; margin: 16px 0; }
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

/** A public page: the frame (name, language switch, footer) around its content. */
function Frame(props: {
  lang: Language;
  name: string;
  title: string;
  /** From this page to the site's root (`../` per level), for the links between pages. */
  root: string;
  /** This page's path under the language folder, for the link to the same page in the other language. */
  path: string;
  children?: unknown;
}) {
  const tr = translator(props.lang);
  const other = props.lang === 'ja' ? 'en' : 'ja';
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="index, follow" />
        <title>{`${props.title} — ${props.name}`}</title>
        <link
          rel="alternate"
          type="application/atom+xml"
          href={`${props.root}${props.lang}/feed.atom`}
          title={tr('pub.feed')}
        />
        <link rel="alternate" hreflang={other} href={`${props.root}${other}/${props.path}`} />
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <header class="site">
          <a class="lang" href={`${props.root}${other}/${props.path}`} hreflang={other}>
            {tr('pub.otherLanguage')}
          </a>
          <a href={`${props.root}${props.lang}/`}>
            <strong>{props.name}</strong>
          </a>
        </header>
        <main>{props.children}</main>
        <footer>
          {tr('pub.footer')} <a href={`${props.root}${props.lang}/updates/`}>{tr('pub.allUpdates')}</a> ·{' '}
          <a href={`${props.root}${props.lang}/feed.atom`}>{tr('pub.feed')}</a> ·{' '}
          <a href={`${props.root}${props.lang}/verify.html`}>{tr('pub.verifyLink')}</a>
        </footer>
      </body>
    </html>
  );
}

const doc = (node: unknown) => `<!doctype html>\n${String(node)}\n`;
const nameOf = (view: PublicView, lang: Language) => (lang === 'ja' && view.nameJa ? view.nameJa : view.name);
const titleOf = (u: PublishedUpdate, lang: Language) => (lang === 'ja' ? u.titleJa : u.titleEn);
const bodyOf = (u: PublishedUpdate, lang: Language) => (lang === 'ja' ? u.bodyJa : u.bodyEn);
const noteOf = (u: PublishedUpdate, lang: Language) =>
  lang === 'ja' ? u.correctionNoteJa : u.correctionNoteEn;
const dayOf = (lang: Language, at: string | null, zone: string) =>
  at ? formatDate(lang, todayIn(zone, new Date(at))) : '—';

function Paragraphs(props: { text: string }) {
  return (
    <>
      {props.text.split(/\n{2,}/).map((p) => (
        <p>{p}</p>
      ))}
    </>
  );
}

function progressPage(site: PublicSite, lang: Language): string {
  const tr = translator(lang);
  const { view } = site;
  const o = view.outsourcing;
  return doc(
    <Frame lang={lang} name={nameOf(view, lang)} title={tr('pub.title')} root="../" path="">
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
      <section>
        <h2>{tr('pub.updates')}</h2>
        {site.updates.length === 0 ? (
          <p>{tr('pub.noUpdates')}</p>
        ) : (
          <ul>
            {site.updates.slice(0, 5).map((u) => (
              <li>
                <a href={`updates/${u.number}.html`}>{titleOf(u, lang)}</a> (
                {dayOf(lang, u.publishedAt, view.timeZone)})
                {u.corrects ? <> · {tr('pub.correctionOf', { number: u.corrects.number })}</> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      {view.directives.map((d) => (
        <section>
          <h2>
            {tr('pub.directive', {
              issuer: lang === 'ja' && d.issuerJa ? d.issuerJa : d.issuer,
              date: formatDate(lang, d.issuedOn),
            })}
          </h2>
          <p class="lead">{titleIn(lang, d)}</p>
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
    </Frame>,
  );
}

function updatesPage(site: PublicSite, lang: Language): string {
  const tr = translator(lang);
  return doc(
    <Frame lang={lang} name={nameOf(site.view, lang)} title={tr('pub.updates')} root="../../" path="updates/">
      <h1>{tr('pub.updates')}</h1>
      {site.updates.length === 0 ? (
        <p>{tr('pub.noUpdates')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{tr('pub.number')}</th>
              <th scope="col">{tr('pub.updateTitle')}</th>
              <th scope="col">{tr('pub.publishedOn')}</th>
            </tr>
          </thead>
          <tbody>
            {site.updates.map((u) => (
              <tr>
                <td class="n">{u.number}</td>
                <td>
                  <a href={`${u.number}.html`}>{titleOf(u, lang)}</a>
                  {u.corrects ? (
                    <div class="lead">{tr('pub.correctionOf', { number: u.corrects.number })}</div>
                  ) : null}
                  {u.correctedBy.length > 0 ? (
                    <div class="lead">{tr('pub.correctedBy', { numbers: u.correctedBy.join(', ') })}</div>
                  ) : null}
                </td>
                <td>{dayOf(lang, u.publishedAt, site.view.timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Frame>,
  );
}

function updatePage(
  site: PublicSite,
  lang: Language,
  u: PublishedUpdate,
  verifierKey: string | undefined,
): string {
  const tr = translator(lang);
  return doc(
    <Frame
      lang={lang}
      name={nameOf(site.view, lang)}
      title={titleOf(u, lang)}
      root="../../"
      path={`updates/${u.number}.html`}
    >
      <p class="lead">
        {tr('pub.updateNumber', { number: u.number })} · {tr('pub.publishedOn')}{' '}
        {dayOf(lang, u.publishedAt, site.view.timeZone)}
      </p>
      <h1>{titleOf(u, lang)}</h1>
      {u.corrects ? (
        <div class="correction">
          <p>
            <strong>{tr('pub.correctionOf', { number: u.corrects.number })}</strong>{' '}
            <a href={`${u.corrects.number}.html`}>{tr('pub.seeOriginal')}</a>
          </p>
          <p>{noteOf(u, lang)}</p>
        </div>
      ) : null}
      {u.correctedBy.length > 0 ? (
        <p class="correction">
          {tr('pub.correctedBy', { numbers: '' })}{' '}
          {u.correctedBy.map((n) => (
            <a href={`${n}.html`}>#{n} </a>
          ))}
        </p>
      ) : null}
      <Paragraphs text={bodyOf(u, lang)} />
      <section>
        <h2>{tr('pub.verifyTitle')}</h2>
        <p>
          SHA-256: <code class="hash">{u.sha256}</code>
        </p>
        <p>
          {tr('pub.verifyHow')} <a href={`${u.number}.json`}>{tr('pub.content')}</a>
          {u.proof ? (
            <>
              {' '}
              · <a href={`${u.number}.proof.json`}>{tr('pub.proof')}</a>
            </>
          ) : null}{' '}
          · <a href="../verify.html">{tr('pub.verifyLink')}</a>
        </p>
        {u.proof ? (
          <>
            <p>{tr('pub.checkpoint', { seq: u.seq, size: u.proof.treeSize })}</p>
            <pre class="note">{u.proof.checkpoint}</pre>
          </>
        ) : (
          <p>{tr('pub.notYetSigned')}</p>
        )}
        {verifierKey ? (
          <p>
            {tr('pub.key')} <code class="hash">{verifierKey}</code>
          </p>
        ) : null}
      </section>
    </Frame>,
  );
}

function verifyPage(site: PublicSite, lang: Language, verifierKey: string | undefined): string {
  const tr = translator(lang);
  return doc(
    <Frame
      lang={lang}
      name={nameOf(site.view, lang)}
      title={tr('pub.verifyTitle')}
      root="../"
      path="verify.html"
    >
      <h1>{tr('pub.verifyTitle')}</h1>
      <ol>
        <li>{tr('pub.verifyStep1')}</li>
        <li>{tr('pub.verifyStep2')}</li>
        <li>{tr('pub.verifyStep3')}</li>
      </ol>
      <pre class="note">{'node scripts/verify-proof.mjs 3.proof.json "<key>"'}</pre>
      {verifierKey ? (
        <p>
          {tr('pub.key')} <code class="hash">{verifierKey}</code>
        </p>
      ) : null}
    </Frame>,
  );
}

/** An Atom feed (RFC 4287) of the published updates in one language; links relative to the feed. */
function feed(site: PublicSite, lang: Language, program: string): string {
  const tr = translator(lang);
  const updated = site.updates[0]?.publishedAt ?? `${site.view.asOf}T00:00:00Z`;
  const entries = site.updates.map(
    (u) => `  <entry>
    <id>tag:oversight,2024:${escapeXml(program)}/update/${u.number}</id>
    <title>${escapeXml(titleOf(u, lang))}</title>
    <updated>${u.publishedAt}</updated>
    <link rel="alternate" type="text/html" href="updates/${u.number}.html"/>
    <summary>${escapeXml(bodyOf(u, lang).slice(0, 500))}</summary>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}">
  <id>tag:oversight,2024:${escapeXml(program)}/${lang}</id>
  <title>${escapeXml(`${tr('pub.updates')} — ${nameOf(site.view, lang)}`)}</title>
  <updated>${updated}</updated>
  <link rel="alternate" type="text/html" href="./"/>
  <author><name>${escapeXml(nameOf(site.view, lang))}</name></author>
${entries.join('\n')}
</feed>
`;
}

/**
 * The whole public site of a program as files, by relative path: what the server answers under
 * /public/:program/ and what `bin/oversight publish` writes — the same bytes.
 */
export function renderPublicSite(
  site: PublicSite,
  program: string,
  verifierKey?: string,
): Map<string, string> {
  const files = new Map<string, string>();
  files.set(
    'index.html',
    `<!doctype html>\n<html lang="ja"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=ja/"><title>${escapeXml(site.view.nameJa ?? site.view.name)}</title></head><body><a href="ja/">日本語</a> · <a href="en/">English</a></body></html>\n`,
  );
  for (const lang of LANGUAGES) {
    files.set(`${lang}/index.html`, progressPage(site, lang));
    files.set(`${lang}/updates/index.html`, updatesPage(site, lang));
    files.set(`${lang}/verify.html`, verifyPage(site, lang, verifierKey));
    files.set(`${lang}/feed.atom`, feed(site, lang, program));
    for (const u of site.updates) {
      files.set(`${lang}/updates/${u.number}.html`, updatePage(site, lang, u, verifierKey));
      files.set(`${lang}/updates/${u.number}.json`, `${JSON.stringify(u.content, null, 2)}\n`);
      if (u.proof)
        files.set(
          `${lang}/updates/${u.number}.proof.json`,
          `${JSON.stringify({ ...u.proof, ...(verifierKey ? { verifierKey } : {}) }, null, 2)}\n`,
        );
    }
  }
  return files;
}
