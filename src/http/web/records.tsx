/** @jsxImportSource hono/jsx */
/** A measure with its milestones (as a Gantt), re-plans and checks; directives beside their items; the outsourcing register. */

import type { Child } from 'hono/jsx';
import type { DirectiveItemInput } from '../../domain/program-file/schema.ts';
import { findingMessage } from '../../i18n/findings.ts';
import { formatDate, formatDays, titleIn } from '../../i18n/format.ts';
import { type Language, translator } from '../../i18n/index.ts';
import type { HistoryEntry } from '../../services/audit.service.ts';
import type { ProgramView } from '../../services/view.service.ts';
import { type FieldErrors, ReplanDecisionForm, ReplanForm } from './forms.tsx';
import { Gantt } from './gantt.tsx';
import { History } from './history.tsx';
import { Layout, SeverityBadge, StatusBadge } from './layout.tsx';
import { VerificationList } from './verification-list.tsx';

const enc = encodeURIComponent;

export function MeasurePage(props: {
  lang: Language;
  view: ProgramView;
  code: string;
  path: string;
  /** A re-plan form that came back with errors: its milestone, messages by field, and what was sent. */
  replan?: { milestone: string; errors: FieldErrors; values: Record<string, string> } | undefined;
  /** A refused approval or refusal of a pending re-plan: its milestone and messages by field. */
  decision?: { milestone: string; errors: FieldErrors; values: Record<string, string> } | undefined;
  /** The measure's history from the audit log. */
  history?: HistoryEntry[] | undefined;
  /** The evidence panel. */
  evidence?: Child | undefined;
}) {
  const { lang, view } = props;
  const t = translator(lang);
  const p = view.file.program;
  const base = `/programs/${enc(p.code)}`;
  const m = view.file.measures.find((x) => x.code === props.code)!;
  const s = view.analysis.schedule.measures.find((x) => x.code === m.code)!;
  const rows = view.analysis.schedule.milestones.filter((x) => x.measure === m.code);
  const items = new Map(view.analysis.trace.rows.map((r) => [r.item, r]));
  const answered = view.file.directives.flatMap((d) => {
    const out: Array<{ directive: string; item: DirectiveItemInput }> = [];
    const walk = (list: DirectiveItemInput[]) =>
      list.forEach((i) => {
        if (m.answers.includes(i.code)) out.push({ directive: d.code, item: i });
        walk(i.items);
      });
    walk(d.items);
    return out;
  });
  const deadlines = view.file.directives
    .filter((d) => d.reportDue && answered.some((a) => a.directive === d.code))
    .map((d) => ({ label: `${t('ui.reportDueShort')} ${d.code}`, date: d.reportDue! }));
  const findings = view.lint.findings.filter((f) => f.path.startsWith(`measures/${m.code}`));
  const relationships = view.file.relationships.filter((r) => r.measures.includes(m.code));
  const title = lang === 'ja' && m.titleJa ? m.titleJa : m.title;
  /** A re-plan's reason and who asked for it. */
  const asked = (r: { reason: string; by?: string | undefined }) => (
    <div class="small">
      {r.reason}
      {r.by ? ` — ${t('ui.replan.askedBy', { by: r.by })}` : ''}
    </div>
  );
  const pendingOf = (code: string) =>
    m.milestones.find((ms) => ms.code === code)?.replanRequests.some((r) => r.status === 'pending') ?? false;
  return (
    <Layout
      lang={lang}
      title={title}
      program={{ code: p.code, name: p.name }}
      current="measures"
      path={props.path}
    >
      <p class="small muted">
        <a href={`${base}/measures`}>{t('ui.nav.measures')}</a> / <code>{m.code}</code>
      </p>
      <h1>{title}</h1>
      <p class="sub">
        <StatusBadge lang={lang} status={s.derived} />{' '}
        {s.mismatch ? t('ui.measurePage.declared', { status: t(`status.${s.declared}`) }) : null}
      </p>
      <p class="actions">
        <a class="button" href={`${base}/measures/${enc(m.code)}/edit`}>
          {t('ui.form.edit')}
        </a>
        <a href={`${base}/milestones/new?measure=${enc(m.code)}`}>{t('ui.form.newMilestone')}</a>
      </p>
      <div class="two">
        <section class="card">
          <h2>{t('ui.measurePage.facts')}</h2>
          <dl class="facts">
            <dt>{t('ui.category')}</dt>
            <dd>{t(`category.${m.category}`)}</dd>
            <dt>{t('ui.kind')}</dt>
            <dd>{t(`kind.${m.kind}`)}</dd>
            <dt>{t('ui.owner')}</dt>
            <dd>{m.owner ?? '—'}</dd>
            <dt>{t('ui.committed')}</dt>
            <dd>{formatDate(lang, s.committed)}</dd>
            <dt>{t('ui.forecast')}</dt>
            <dd>{formatDate(lang, s.forecast)}</dd>
            <dt>{t('ui.source')}</dt>
            <dd class="small">
              {m.source ?? '—'}
              {m.illustrative ? ` (${t('ui.illustrative')})` : ''}
            </dd>
          </dl>
          {m.description ? <p>{m.description}</p> : null}
        </section>
        <section class="card">
          <h2>{t('ui.measurePage.answers')}</h2>
          {answered.length === 0 ? <p class="muted">{t('ui.none')}</p> : null}
          <ul class="plain small">
            {answered.map((a) => (
              <li>
                <a href={`${base}/directives/${enc(a.directive)}`}>{a.directive}</a> {a.item.label ?? ''}{' '}
                <code>{a.item.code}</code> {items.get(a.item.code)?.text}
              </li>
            ))}
          </ul>
          {relationships.length > 0 ? (
            <>
              <h3>{t('ui.nav.relationships')}</h3>
              <ul class="plain small">
                {relationships.map((r) => (
                  <li>
                    <a href={`${base}/relationships/${enc(r.code)}/edit`}>
                      <code>{r.code}</code>
                    </a>{' '}
                    {r.title}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      </div>
      <h2>{t('ui.measurePage.milestones')}</h2>
      {rows.length > 0 ? (
        <Gantt
          lang={lang}
          rows={rows.map((r) => ({
            code: r.code,
            title: r.title,
            baseline: r.baseline,
            planned: r.planned,
            actual: r.actual,
            late: r.late,
          }))}
          today={view.today}
          deadlines={deadlines}
          title={t('ui.measurePage.gantt', { code: m.code })}
          legend={{
            baseline: t('ui.baseline'),
            planned: t('ui.planned'),
            actual: t('ui.actual'),
            today: t('ui.today'),
          }}
        />
      ) : (
        <p class="muted">{t('ui.none')}</p>
      )}
      <table class="spaced">
        <thead>
          <tr>
            <th scope="col">{t('ui.milestone')}</th>
            <th scope="col">{t('ui.baseline')}</th>
            <th scope="col">{t('ui.planned')}</th>
            <th scope="col">{t('ui.actual')}</th>
            <th scope="col" class="n">
              {t('ui.slip')}
            </th>
            <th scope="col" class="n">
              {t('ui.float')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>
                <a href={`${base}/milestones/${enc(r.code)}/edit`}>
                  <code>{r.code}</code>
                </a>{' '}
                {r.title} {r.late ? <StatusBadge lang={lang} status="late" /> : null}
              </td>
              <td class="d">{formatDate(lang, r.baseline)}</td>
              <td class="d">{formatDate(lang, r.planned)}</td>
              <td class="d">{formatDate(lang, r.actual)}</td>
              <td class="n">{formatDays(lang, r.slipDays)}</td>
              <td class="n">{r.actual ? '' : formatDays(lang, r.floatDays)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows
        .filter((r) => r.actual === null && !pendingOf(r.code))
        .map((r) => (
          <ReplanForm
            lang={lang}
            action={`${base}/milestones/${enc(r.code)}/replan`}
            milestone={{
              code: r.code,
              planned: r.planned,
              version: view.meta.get(`milestone:${r.code}`)?.version ?? 1,
            }}
            errors={props.replan?.milestone === r.code ? props.replan.errors : undefined}
            values={props.replan?.milestone === r.code ? props.replan.values : undefined}
          />
        ))}
      <h2>{t('ui.measurePage.replans')}</h2>
      {m.milestones.every((ms) => ms.replans.length + ms.replanRequests.length === 0) ? (
        <p class="muted">{t('ui.none')}</p>
      ) : null}
      <ul class="plain replans">
        {m.milestones.flatMap((ms) => [
          ...ms.replanRequests
            .filter((r) => r.status === 'pending')
            .map((r) => (
              <li class="pending">
                <span class="badge s-pending">{t('ui.replan.pending')}</span>{' '}
                <strong>{formatDate(lang, r.on)}</strong> <code>{ms.code}</code> {formatDate(lang, r.from)} →{' '}
                {formatDate(lang, r.to)}
                {asked(r)}
                <p class="small muted">{t('ui.replan.pendingHelp')}</p>
                <ReplanDecisionForm
                  lang={lang}
                  action={`${base}/milestones/${enc(ms.code)}/replan`}
                  milestone={ms.code}
                  version={view.meta.get(`milestone:${ms.code}`)?.version ?? 1}
                  errors={props.decision?.milestone === ms.code ? props.decision.errors : undefined}
                  values={props.decision?.milestone === ms.code ? props.decision.values : undefined}
                />
              </li>
            )),
          ...ms.replans.map((r) => (
            <li>
              <strong>{formatDate(lang, r.on)}</strong> <code>{ms.code}</code> {formatDate(lang, r.from)} →{' '}
              {formatDate(lang, r.to)}
              {asked(r)}
              {r.approvedBy ? (
                <div class="small muted">
                  {t('ui.replan.approvedBy', {
                    by: r.approvedBy,
                    on: formatDate(lang, r.approvedOn ?? null),
                  })}
                </div>
              ) : null}
            </li>
          )),
          ...ms.replanRequests
            .filter((r) => r.status === 'refused')
            .map((r) => (
              <li class="refused">
                <span class="badge s-refused">{t('ui.replan.refused')}</span>{' '}
                <strong>{formatDate(lang, r.on)}</strong> <code>{ms.code}</code>{' '}
                <s>
                  {formatDate(lang, r.from)} → {formatDate(lang, r.to)}
                </s>
                {asked(r)}
                <div class="small muted">
                  {t('ui.replan.refusedBy', {
                    by: r.decidedBy ?? '—',
                    on: formatDate(lang, r.decidedOn ?? null),
                    note: r.decisionNote ?? '',
                  })}
                </div>
              </li>
            )),
        ])}
      </ul>
      <h2 id="verifications">{t('ui.measurePage.verifications')}</h2>
      {m.verifications.length === 0 ? <p class="muted">{t('ui.none')}</p> : null}
      <VerificationList lang={lang} base={base} measure={m} today={view.today} />
      {props.evidence ?? null}
      {props.history ? <History lang={lang} entries={props.history} timeZone={p.timeZone} /> : null}
      {findings.length > 0 ? (
        <>
          <h2>{t('ui.dashboard.findings')}</h2>
          <ul class="plain small">
            {findings.map((f) => (
              <li>
                <SeverityBadge lang={lang} severity={f.severity} /> {findingMessage(lang, f)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

export function DirectiveList(props: { lang: Language; view: ProgramView; path: string }) {
  const { lang, view } = props;
  const t = translator(lang);
  const p = view.file.program;
  const coverage = new Map(view.analysis.trace.directives.map((d) => [d.directive, d]));
  return (
    <Layout
      lang={lang}
      title={t('ui.nav.directives')}
      program={{ code: p.code, name: p.name }}
      current="directives"
      path={props.path}
    >
      <h1>{t('ui.nav.directives')}</h1>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('app.code')}</th>
            <th scope="col">{t('ui.title')}</th>
            <th scope="col">{t('ui.issued')}</th>
            <th scope="col">{t('ui.reportDueShort')}</th>
            <th scope="col" class="n">
              {t('analysis.coverage')}
            </th>
          </tr>
        </thead>
        <tbody>
          {view.file.directives.map((d) => {
            const c = coverage.get(d.code);
            return (
              <tr>
                <td>
                  <a href={`/programs/${enc(p.code)}/directives/${enc(d.code)}`}>
                    <code>{d.code}</code>
                  </a>
                </td>
                <td>{titleIn(lang, d)}</td>
                <td class="d">{formatDate(lang, d.issuedOn)}</td>
                <td class="d">{formatDate(lang, d.reportDue)}</td>
                <td class="n">{c ? `${c.covered}/${c.leaves}` : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Layout>
  );
}

export function DirectivePage(props: { lang: Language; view: ProgramView; code: string; path: string }) {
  const { lang, view } = props;
  const t = translator(lang);
  const p = view.file.program;
  const base = `/programs/${enc(p.code)}`;
  const d = view.file.directives.find((x) => x.code === props.code)!;
  const status = new Map(view.analysis.schedule.measures.map((m) => [m.code, m.derived]));
  const rows = view.analysis.trace.rows.filter((r) => r.directive === d.code);
  return (
    <Layout
      lang={lang}
      title={titleIn(lang, d)}
      program={{ code: p.code, name: p.name }}
      current="directives"
      path={props.path}
    >
      <p class="small muted">
        <a href={`${base}/directives`}>{t('ui.nav.directives')}</a> / <code>{d.code}</code>
      </p>
      <h1>{titleIn(lang, d)}</h1>
      <p class="sub">
        {d.reference ? `${d.reference} · ` : ''}
        {t('ui.issued')} {formatDate(lang, d.issuedOn)} · {t('ui.reportDueShort')}{' '}
        {formatDate(lang, d.reportDue)}
      </p>
      <div class="two">
        <div>
          <h2 id="directive-text">{t('ui.directive.text')}</h2>
          {/* A scrolling region must be reachable by keyboard. */}
          <section class="text" tabindex={0} aria-labelledby="directive-text">
            {d.text ?? '—'}
          </section>
        </div>
        <section aria-label={t('ui.directive.items')}>
          <h2>{t('ui.directive.items')}</h2>
          {rows.map((r) => (
            <div class={`item${r.depth > 0 ? ' sub' : ''}`}>
              <div>
                <span class="label">{r.label ?? ''}</span>
                <code class="small">{r.item}</code>{' '}
                {r.covered ? (
                  <StatusBadge lang={lang} status="done" />
                ) : (
                  <SeverityBadge lang={lang} severity="error" />
                )}
              </div>
              <div class="small">{r.text}</div>
              {r.measures.length > 0 ? (
                <ul class="plain small spaced">
                  {r.measures.map((code) => (
                    <li>
                      <a href={`${base}/measures/${enc(code)}`}>{code}</a>{' '}
                      <StatusBadge lang={lang} status={status.get(code) ?? 'not_started'} />
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ))}
        </section>
      </div>
    </Layout>
  );
}
