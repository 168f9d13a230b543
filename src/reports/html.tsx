/** @jsxImportSource hono/jsx */
/**
 * A report as one self-contained HTML document: printable on A4 (print CSS, page breaks before each
 * section, table headers repeated), readable on screen, no script, no outside resource.
 */
import { raw } from 'hono/html';
import type { Language } from '../i18n/index.ts';
import { exposureSvg } from './exposure-svg.ts';
import { ganttSvg } from './gantt-svg.ts';
import type { ReportMeasure, ReportModel } from './model.ts';
import { type ReportText, reportText } from './text.ts';

const STYLE = `
@page { size: A4; margin: 18mm 16mm 20mm; }
:root { color: #1a1a1a; font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", system-ui, sans-serif; font-size: 10.5pt; line-height: 1.55; }
body { max-width: 180mm; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 20pt; margin: 0 0 .4em; }
h2 { font-size: 14pt; border-bottom: 2px solid #16324f; padding-bottom: .2em; margin-top: 2em; }
h3 { font-size: 11.5pt; margin: 1.4em 0 .4em; }
h4 { font-size: 10.5pt; margin: 1.1em 0 .3em; }
.cover { border-bottom: 1px solid #bbb; padding-bottom: 1em; margin-bottom: 1.5em; }
.cover .org { font-size: 13pt; font-weight: 700; }
.cover .cover-text { white-space: pre-line; margin-top: 1.5em; }
.muted { color: #555; }
.item { margin-left: calc(var(--depth) * 1.2em); }
.item-label { font-weight: 700; margin-right: .4em; }
.measure { border-left: 3px solid #16324f; padding: .2em 0 .2em .8em; margin: 1em 0; break-inside: avoid-page; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; font-size: 9pt; }
th, td { border: 1px solid #c8c8c8; padding: .25em .4em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead { display: table-header-group; }
th { background: #eef1f5; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
.late { color: #a40000; font-weight: 700; }
.earlier { color: #1b6e20; }
.later { color: #a40000; }
.kind { display: inline-block; min-width: 6em; font-weight: 700; }
figure { margin: 1em 0; }
figure svg { width: 100%; height: auto; }
code { font-size: 9pt; }
footer { margin-top: 3em; border-top: 1px solid #bbb; padding-top: .5em; font-size: 9pt; color: #555; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  section { break-before: page; }
  nav a { color: inherit; text-decoration: none; }
  a[href^="#"]::after { content: leader(".") target-counter(attr(href), page); }
}
`;

const shiftClass = (days: number | null) =>
  days === null || days === 0 ? undefined : days < 0 ? 'earlier' : 'later';

function MeasureBlock(props: { m: ReportMeasure; x: ReportText }) {
  const { m, x } = props;
  const replans = m.milestones.flatMap((ms) => ms.replansSince.map((r) => ({ ms, r })));
  return (
    <div class="measure" id={`m-${m.code}`}>
      <h4>
        <code>{m.code}</code> {x.measureTitle(m)}
        {m.illustrative ? <span class="muted"> ({x.t('rpt.illustrative')})</span> : null}
      </h4>
      <p>
        {x.t('rpt.status')}: <strong>{x.t(`status.${m.declared}`)}</strong> ({x.t('rpt.derived')}:{' '}
        {x.t(`status.${m.derived}`)}) · {x.t('rpt.owner')}: {m.owner ?? '—'} · {x.t('rpt.committed')}:{' '}
        {x.date(m.committed)}
      </p>
      {m.milestones.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>{x.t('rpt.milestone')}</th>
              <th>{x.t('rpt.baseline')}</th>
              <th>{x.t('rpt.planned')}</th>
              <th>{x.t('rpt.actual')}</th>
              <th class="n">{x.t('rpt.slip')}</th>
            </tr>
          </thead>
          <tbody>
            {m.milestones.map((ms) => (
              <tr>
                <td>
                  <code>{ms.code}</code> {ms.title}
                  {ms.late ? <span class="late"> ({x.t('rpt.late')})</span> : null}
                </td>
                <td>{x.date(ms.baseline)}</td>
                <td>{x.date(ms.planned)}</td>
                <td>{ms.actual ? x.date(ms.actual) : '—'}</td>
                <td class={`n ${shiftClass(ms.slipDays) ?? ''}`}>{x.shift(ms.slipDays)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {replans.length > 0 ? (
        <>
          <p>{x.t('rpt.replans')}:</p>
          <ul>
            {replans.map(({ ms, r }) => (
              <li>
                <code>{ms.code}</code>{' '}
                {x.t('rpt.replan', {
                  on: x.date(r.on),
                  from: x.date(r.from),
                  to: x.date(r.to),
                  days: x.shift(r.days),
                  reason: r.reason,
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {m.verifications.length > 0 ? (
        <table>
          <caption class="muted">{x.t('rpt.verifications')}</caption>
          <thead>
            <tr>
              <th>{x.t('rpt.method')}</th>
              <th>{x.t('rpt.performed')}</th>
              <th>{x.t('rpt.result')}</th>
              <th>{x.t('rpt.evidence')}</th>
            </tr>
          </thead>
          <tbody>
            {m.verifications.map((v) => (
              <tr>
                <td>
                  <code>{v.code}</code> {v.method}
                  {v.followUpMeasure ? (
                    <div class="muted">{x.t('rpt.followUp', { measure: v.followUpMeasure })}</div>
                  ) : null}
                </td>
                <td>{v.performedOn ? x.date(v.performedOn) : x.t('rpt.notYet')}</td>
                <td>{v.result ? x.t(`result.${v.result}`) : '—'}</td>
                <td>{v.evidence ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {m.evidence.length > 0 ? (
        <p>
          {x.t('rpt.evidence')}:{' '}
          {m.evidence.map((e, i) => (
            <>
              {i > 0 ? ', ' : ''}
              {e.filename} (<code title={e.sha256}>{e.sha256.slice(0, 12)}…</code>)
            </>
          ))}
        </p>
      ) : null}
    </div>
  );
}

function Section(props: { id: string; x: ReportText; children?: unknown }) {
  const s = props.x.sections.find((v) => v.id === props.id)!;
  return (
    <section id={s.id} aria-labelledby={`h-${s.id}`}>
      <h2 id={`h-${s.id}`}>{s.title}</h2>
      {props.children}
    </section>
  );
}

export function renderHtml(model: ReportModel, lang: Language): string {
  const x = reportText(model, lang);
  const d = model.directive;
  const byCode = new Map(model.measures.map((m) => [m.code, m]));
  const anyDamage = model.damage.some((v) => v.records.length > 0 || v.monthly.length > 0);
  const exposure = exposureSvg(model, x);
  const doc = (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${x.t('rpt.title')} — ${d.code} — ${x.date(model.asOf)}`}</title>
        <style>{raw(STYLE)}</style>
      </head>
      <body>
        <header class="cover">
          <h1>{x.t('rpt.title')}</h1>
          <p class="org">{x.name(model.organization)}</p>
          <p>
            {x.t('rpt.subtitle', {
              directive: `${d.code} — ${x.directiveTitle}`,
              issuer: x.name(d.issuer),
              issuedOn: x.date(d.issuedOn),
            })}
          </p>
          {d.reference ? <p class="muted">{x.t('rpt.reference', { reference: d.reference })}</p> : null}
          <p>
            <strong>{x.t('rpt.asOf', { date: x.date(model.asOf) })}</strong>
            {d.reportDue ? <> · {x.t('rpt.due', { date: x.date(d.reportDue) })}</> : null}
          </p>
          {x.cover ? <p class="cover-text">{x.cover}</p> : null}
        </header>
        <main>
          <nav aria-labelledby="toc">
            <h2 id="toc">{x.t('rpt.contents')}</h2>
            <ol>
              {x.sections.map((s) => (
                <li>
                  <a href={`#${s.id}`}>{s.title}</a>
                </li>
              ))}
            </ol>
          </nav>

          <Section id="items" x={x}>
            {model.items.map((item) => (
              <div class="item" style={`--depth: ${item.depth}`}>
                <h3>
                  <span class="item-label">{item.label ?? item.code}</span>
                  {x.itemText(item)}
                </h3>
                {item.measures.length === 0 ? (
                  <p class="muted">{x.t('rpt.noMeasures')}</p>
                ) : (
                  <ul>
                    {item.measures.map((c) => (
                      <li>
                        <a href={`#m-${c}`}>
                          <code>{c}</code> {x.measureTitle(byCode.get(c)!)}
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            ))}
            {model.measures.map((m) => (
              <MeasureBlock m={m} x={x} />
            ))}
          </Section>

          <Section id="changes" x={x}>
            <p>
              {model.previous === null
                ? x.t('rpt.noPrevious')
                : x.t(model.previous.kind === 'report' ? 'rpt.previousReport' : 'rpt.previousDue', {
                    directive: model.previous.directive,
                    date: x.date(model.previous.asOf),
                  })}
            </p>
            {model.previous && model.changes.length === 0 ? <p>{x.t('rpt.noChanges')}</p> : null}
            <ul class="changes">
              {model.changes.map((c) => (
                <li data-kind={c.kind}>
                  <span class="kind">{x.t(`rpt.changeKind.${c.kind}`)}:</span> {x.change(c)}
                  {'reasons' in c && c.reasons.length > 0 ? (
                    <ul>
                      {c.reasons.map((r) => (
                        <li class="muted">
                          {x.t('rpt.reason')}: {r}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {c.kind === 'decision' && c.reason ? (
                    <div class="muted">
                      {x.t('rpt.reason')}: {c.reason}
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          </Section>

          <Section id="plan" x={x}>
            <figure>
              {raw(ganttSvg(model, x))}
              <figcaption class="muted">{x.t('rpt.ganttTitle')}</figcaption>
            </figure>
            {exposure ? (
              <figure>
                <h3>{x.t('rpt.sectionExposure')}</h3>
                {raw(exposure)}
                <figcaption class="muted">{x.t('rpt.exposureCaption')}</figcaption>
              </figure>
            ) : null}
          </Section>

          <Section id="relationships" x={x}>
            {model.relationships.length === 0 ? (
              <p>{x.t('rpt.noRelationships')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>{x.t('rpt.relationship')}</th>
                    <th>{x.t('rpt.provider')}</th>
                    <th>{x.t('rpt.scope')}</th>
                    <th>{x.t('rpt.decision')}</th>
                    <th>{x.t('rpt.decidedOn')}</th>
                    <th>{x.t('rpt.byWhen')}</th>
                    <th>{x.t('rpt.carriedBy')}</th>
                    <th>{x.t('rpt.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {model.relationships.map((r) => (
                    <tr>
                      <td>
                        <code>{r.code}</code> {r.title}
                      </td>
                      <td>{x.name(r.provider)}</td>
                      <td>{x.t(`scope.${r.scope}`)}</td>
                      <td>
                        <strong>{x.t(`decision.${r.decision}`)}</strong>
                      </td>
                      <td>{r.decidedOn ? x.date(r.decidedOn) : '—'}</td>
                      <td>{r.targetDate ? x.date(r.targetDate) : '—'}</td>
                      <td>{r.measures.join(', ') || '—'}</td>
                      <td>{r.reason ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>

          <Section id="governance" x={x}>
            {model.governance.length === 0 ? <p>{x.t('rpt.noGovernance')}</p> : null}
            <table>
              <thead>
                <tr>
                  <th>{x.t('rpt.measure')}</th>
                  <th>{x.t('rpt.status')}</th>
                  <th>{x.t('rpt.committed')}</th>
                </tr>
              </thead>
              <tbody>
                {model.governance.map((c) => {
                  const m = byCode.get(c)!;
                  return (
                    <tr>
                      <td>
                        <a href={`#m-${c}`}>
                          <code>{c}</code> {x.measureTitle(m)}
                        </a>
                      </td>
                      <td>{x.t(`status.${m.derived}`)}</td>
                      <td>{x.date(m.committed)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Section>

          <Section id="damage" x={x}>
            {anyDamage ? null : <p>{x.t('rpt.noDamage')}</p>}
            {model.damage.map((dmg) => (
              <>
                <h3>
                  <code>{dmg.incident}</code> {dmg.title}
                </h3>
                {dmg.records.length > 0 ? (
                  <table>
                    <thead>
                      <tr>
                        <th>{x.t('rpt.category')}</th>
                        <th class="n">{x.t('rpt.count')}</th>
                        <th>{x.t('rpt.status')}</th>
                        <th>{x.t('rpt.countedOn')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {dmg.records.map((r) => (
                        <tr>
                          <td>{r.category}</td>
                          <td class="n">{r.count.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB')}</td>
                          <td>{x.t(`recordStatus.${r.status}`)}</td>
                          <td>{x.date(r.asOf)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : null}
                {dmg.monthly.length > 0 ? (
                  <table>
                    <thead>
                      <tr>
                        <th>{x.t('rpt.month')}</th>
                        <th>{x.t('rpt.kind')}</th>
                        <th class="n">{x.t('rpt.reports')}</th>
                        <th class="n">{x.t('rpt.count')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {dmg.monthly.map((r) => (
                        <tr>
                          <td>{r.month}</td>
                          <td>{x.t(`damage.${r.kind}`)}</td>
                          <td class="n">{r.reports}</td>
                          <td class="n">{r.count ?? '—'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : null}
              </>
            ))}
          </Section>

          <Section id="findings" x={x}>
            {model.findings.length === 0 ? (
              <p>{x.t('rpt.noFindings')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>{x.t('rpt.severity')}</th>
                    <th>{x.t('rpt.finding')}</th>
                  </tr>
                </thead>
                <tbody>
                  {model.findings.map((f) => (
                    <tr>
                      <td>{x.t(`severity.${f.severity}`)}</td>
                      <td>{x.finding(f)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>
        </main>
        <footer>{x.t('rpt.generated', { program: model.program.code, date: x.date(model.asOf) })}</footer>
      </body>
    </html>
  );
  return `<!doctype html>\n${doc.toString()}\n`;
}
