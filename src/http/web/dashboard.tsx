/** @jsxImportSource hono/jsx */
/** The program dashboard and the measures list: where a program office starts its day. */

import { raw } from 'hono/html';
import { findingMessage } from '../../i18n/findings.ts';
import { formatDate, formatDays } from '../../i18n/format.ts';
import { type Language, translator } from '../../i18n/index.ts';
import { DECISIONS, dashboardOf } from '../../services/dashboard.service.ts';
import type { ProgramView } from '../../services/view.service.ts';
import { burnUpChart, exposureChart } from './charts.ts';
import { Layout, SeverityBadge, StatusBadge } from './layout.tsx';
import { NO_DATE } from './registers-group.tsx';

/** Each directive item, and how many of the measures answering it are in each state; every count opens those measures. */
function ByItem(props: { lang: Language; view: ProgramView; base: string }) {
  const { lang, view, base } = props;
  const t = translator(lang);
  const status = new Map(view.analysis.schedule.measures.map((m) => [m.code, m.derived]));
  const shown = dashboardOf(view).measures.map((m) => m.status);
  return (
    <section aria-labelledby="by-item-h">
      <h2 id="by-item-h">{t('ui.dashboard.byItem')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('ui.directive.item')}</th>
              {shown.map((s) => (
                <th scope="col" class="n">
                  <StatusBadge lang={lang} status={s} />
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.analysis.trace.rows.map((r) => {
              const counts = new Map<string, number>();
              for (const m of r.measures) counts.set(status.get(m)!, (counts.get(status.get(m)!) ?? 0) + 1);
              return (
                <tr>
                  <th scope="row" class={`item-row depth-${Math.min(r.depth, 3)}`}>
                    <a href={`${base}/directives/${encodeURIComponent(r.directive)}`}>{r.directive}</a>{' '}
                    {r.label ?? ''} <code class="small">{r.item}</code>
                    <div class="small muted clip">{r.text}</div>
                  </th>
                  {shown.map((s) => (
                    <td class="n">
                      {counts.get(s) ? (
                        <a
                          href={`${base}/measures?item=${encodeURIComponent(r.item)}&status=${s}`}
                          aria-label={`${r.item}: ${t(`status.${s}`)} ${counts.get(s)}`}
                        >
                          {counts.get(s)}
                        </a>
                      ) : r.leaf && r.measures.length === 0 && s === shown[0] ? (
                        <SeverityBadge lang={lang} severity="error" />
                      ) : (
                        ''
                      )}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function Dashboard(props: { lang: Language; view: ProgramView; path: string }) {
  const { lang, view } = props;
  const t = translator(lang);
  const p = view.file.program;
  const base = `/programs/${encodeURIComponent(p.code)}`;
  const { schedule } = view.analysis;
  const summary = dashboardOf(view);
  const { upcoming, reportsDue: reports, late } = summary;
  const errors = view.lint.findings.filter((f) => f.severity === 'error');
  const regulated = view.file.organizations.find((o) => o.code === p.regulatedOrganization);
  return (
    <Layout
      lang={lang}
      title={lang === 'ja' && p.nameJa ? p.nameJa : p.name}
      program={{ code: p.code, name: p.name }}
      current="dashboard"
      path={props.path}
    >
      <h1>{lang === 'ja' && p.nameJa ? p.nameJa : p.name}</h1>
      <p class="sub">
        {t('ui.dashboard.subtitle', {
          org: regulated
            ? lang === 'ja' && regulated.nameJa
              ? regulated.nameJa
              : regulated.name
            : p.regulatedOrganization,
          today: formatDate(lang, view.today),
          zone: p.timeZone,
        })}
      </p>
      <section aria-labelledby="kpi-h">
        <h2 id="kpi-h">{t('ui.dashboard.measures')}</h2>
        <div class="kpis">
          {summary.measures.map(({ status, count }) => (
            <a class="kpi" href={`${base}/measures?status=${status}`}>
              <b>{count}</b>
              <StatusBadge lang={lang} status={status} />
            </a>
          ))}
          <a class="kpi" href={`${base}/findings?severity=error`}>
            <b>{view.lint.counts.error}</b>
            <span>{t('ui.dashboard.lintErrors')}</span>
          </a>
        </div>
      </section>
      <ByItem lang={lang} view={view} base={base} />
      <div class="grid spaced">
        <section class="card" aria-labelledby="deadlines-h">
          <h2 id="deadlines-h">{t('ui.dashboard.deadlines')}</h2>
          {reports.length === 0 && upcoming.length === 0 ? <p class="muted">{t('ui.none')}</p> : null}
          <ul class="plain">
            {reports.map((d) => (
              <li>
                <strong>{formatDate(lang, d.due)}</strong> — {t('ui.dashboard.reportDue')}{' '}
                <a href={`${base}/directives/${encodeURIComponent(d.directive)}`}>{d.directive}</a>
              </li>
            ))}
            {upcoming.map((m) => (
              <li>
                <strong>{formatDate(lang, m.planned)}</strong> —{' '}
                <a href={`${base}/measures/${encodeURIComponent(m.measure)}`}>{m.code}</a>{' '}
                <span class="small">{m.title}</span>
              </li>
            ))}
          </ul>
          {summary.upcomingCount > upcoming.length ? (
            <p class="small muted">
              <a href={`${base}/milestones?sort=planned&dir=asc`}>
                {t('ui.dashboard.more', { count: summary.upcomingCount - upcoming.length })}
              </a>
            </p>
          ) : null}
        </section>
        <section class="card" aria-labelledby="lint-h">
          <h2 id="lint-h">{t('ui.dashboard.findings')}</h2>
          <p>
            {(['error', 'warning', 'info'] as const).map((severity) => (
              <a class="count" href={`${base}/findings?severity=${severity}`}>
                <SeverityBadge lang={lang} severity={severity} /> {view.lint.counts[severity]}
              </a>
            ))}
          </p>
          <ul class="plain small">
            {errors.slice(0, 6).map((f) => (
              <li>
                <code>{f.code}</code> {findingMessage(lang, f)}
              </li>
            ))}
          </ul>
          {errors.length > 6 ? (
            <p class="small muted">{t('ui.dashboard.more', { count: errors.length - 6 })}</p>
          ) : null}
        </section>
        <section class="card" aria-labelledby="dec-h">
          <h2 id="dec-h">{t('ui.dashboard.decisionsByQuarter')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('ui.quarter')}</th>
                {DECISIONS.map((d) => (
                  <th scope="col" class="n">
                    {t(`decision.${d}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {summary.decisionsByQuarter.map(({ quarter, ...row }) => (
                <tr>
                  <th scope="row">{quarter === null ? t('ui.noDate') : quarter}</th>
                  {DECISIONS.map((d) => (
                    <td class="n">
                      {row[d] ? (
                        <a href={`${base}/relationships?decision=${d}&quarter=${quarter ?? NO_DATE}`}>
                          {row[d]}
                        </a>
                      ) : (
                        ''
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <div class="grid spaced">
        <figure class="card chart" aria-labelledby="burnup-h">
          <h2 id="burnup-h">{t('ui.dashboard.burnUp')}</h2>
          {raw(
            burnUpChart(schedule.milestones, view.exposure.months, view.today, {
              planned: t('ui.planned'),
              done: t('ui.actual'),
            }),
          )}
          <figcaption class="small muted">{t('ui.dashboard.burnUpCaption')}</figcaption>
        </figure>
        <figure class="card chart" aria-labelledby="exposure-h">
          <h2 id="exposure-h">{t('ui.dashboard.exposure')}</h2>
          {raw(
            exposureChart(view.exposure, {
              actual: t('exposure.view.actual'),
              planned: t('exposure.view.planned'),
              baseline: t('exposure.view.baseline'),
            }),
          )}
          <figcaption class="small muted">{t('ui.dashboard.exposureCaption')}</figcaption>
        </figure>
      </div>
      <section aria-labelledby="late-h">
        <h2 id="late-h">
          <a href={`${base}/milestones?state=late`}>{t('ui.dashboard.late', { count: summary.lateCount })}</a>
        </h2>
        {late.length === 0 ? (
          <p class="muted">{t('ui.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('ui.milestone')}</th>
                <th scope="col">{t('ui.measure')}</th>
                <th scope="col">{t('ui.planned')}</th>
                <th scope="col" class="n">
                  {t('ui.overdue')}
                </th>
              </tr>
            </thead>
            <tbody>
              {late.map((m) => (
                <tr>
                  <td>
                    <code>{m.code}</code> {m.title}
                  </td>
                  <td>
                    <a href={`${base}/measures/${encodeURIComponent(m.measure)}`}>{m.measure}</a>
                  </td>
                  <td class="d">{formatDate(lang, m.planned)}</td>
                  <td class="n">{formatDays(lang, m.daysLate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {summary.lateCount > late.length ? (
          <p class="small muted">
            <a href={`${base}/milestones?state=late`}>
              {t('ui.dashboard.more', { count: summary.lateCount - late.length })}
            </a>
          </p>
        ) : null}
      </section>
    </Layout>
  );
}
