/** @jsxImportSource hono/jsx */
/**
 * Reports to the regulator as pages: the list with a form to start one; a report with its state,
 * the steps its reader may take (send for review, return, approve, submit), a preview in every
 * format, what changed since the previous report, the submitted files with their SHA-256, and the
 * regulator's findings.
 */

import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { allows } from '../../domain/access.ts';
import type { AppError } from '../../domain/errors.ts';
import { formatInstant, titleIn } from '../../i18n/format.ts';
import { LANGUAGES, translator } from '../../i18n/index.ts';
import { EXTENSIONS, REPORT_FORMATS, type ReportFormat } from '../../reports/render.ts';
import { reportFileName, reportText } from '../../reports/text.ts';
import type { LogSigner } from '../../services/log-key.ts';
import { getProgram } from '../../services/program.service.ts';
import { listReportFindings, recordReportFinding } from '../../services/report-finding.service.ts';
import { layoutTemplate } from '../../services/report-template.service.ts';
import {
  approveReport,
  createReport,
  getReport,
  listReports,
  reportFile,
  returnReportToDraft,
  sendReportForReview,
  submitReport,
} from '../../services/report-workflow.service.ts';
import { programView } from '../../services/view.service.ts';
import type { AppEnv } from '../env.ts';
import { renderedReportResponse, storedReportResponse } from '../file-response.ts';
import { Layout } from './layout.tsx';
import { codeParam, oneOfValues } from './params.ts';
import { formError, postedForm } from './register-pages.tsx';

const STEPS = {
  review: sendReportForReview,
  return: returnReportToDraft,
  approve: approveReport,
} as const;

const base = (program: string) => `/programs/${encodeURIComponent(program)}/reports`;

function ErrorNote(props: { message?: string | undefined }) {
  return props.message ? (
    <p class="field-error" role="alert">
      {props.message}
    </p>
  ) : null;
}

async function listPage(c: Context<AppEnv>, error?: string) {
  const lang = c.var.lang;
  const tr = translator(lang);
  const program = codeParam(c, 'program');
  const [reports, info] = await Promise.all([
    listReports(c.var.ctx, program),
    getProgram(c.var.ctx, program).catch(() => undefined),
  ]);
  const canWrite = allows(c.var.ctx.actor.principal, 'report.write', program);
  const directives = canWrite ? (await programView(c.var.ctx, program)).file.directives : [];
  return (
    <Layout
      lang={lang}
      title={tr('ui.reports.title')}
      program={{ code: program, name: info?.name ?? program }}
      current="reports"
      path={c.req.path}
    >
      <h1>{tr('ui.reports.title')}</h1>
      <p class="sub">{tr('ui.reports.subtitle')}</p>
      {allows(c.var.ctx.actor.principal, 'program.read', program) ? (
        <p>
          <a href={`/programs/${encodeURIComponent(program)}/report-template`}>
            {tr('ui.reports.layoutLink')}
          </a>
        </p>
      ) : null}
      {reports.length === 0 ? (
        <p class="muted">{tr('ui.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{tr('ui.reports.directive')}</th>
                <th scope="col">{tr('ui.reports.asOf')}</th>
                <th scope="col">{tr('ui.reports.status')}</th>
                <th scope="col">{tr('ui.reports.author')}</th>
                <th scope="col">{tr('ui.reports.approver')}</th>
                <th scope="col">{tr('ui.reports.submittedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr>
                  <td>
                    <a href={`${base(program)}/${r.id}`}>
                      <code>{r.directive}</code>
                    </a>
                  </td>
                  <td class="d">{r.asOf}</td>
                  <td>
                    <span class={`badge report-${r.status}`}>{tr(`ui.reports.state.${r.status}`)}</span>
                  </td>
                  <td>
                    <code>{r.createdBy}</code>
                  </td>
                  <td>{r.approvedBy ? <code>{r.approvedBy}</code> : '—'}</td>
                  <td>{r.submittedAt ? formatInstant(lang, r.submittedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite ? (
        <form method="post" action={base(program)} class="card form-grid spaced-form">
          <h2 class="form-wide">{tr('ui.reports.new')}</h2>
          <ErrorNote message={error} />
          <div class="field">
            <label for="r-directive">{tr('ui.reports.directive')}</label>
            <select id="r-directive" name="directive" required>
              {directives.map((d) => (
                <option value={d.code}>
                  {d.code} — {titleIn(lang, d)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="r-asof">{tr('ui.reports.asOf')}</label>
            <input
              id="r-asof"
              name="asOf"
              type="date"
              required
              value={directives.find((d) => d.reportDue)?.reportDue ?? ''}
            />
          </div>
          <div class="form-actions">
            <button type="submit">{tr('ui.reports.create')}</button>
          </div>
        </form>
      ) : null}
    </Layout>
  );
}

async function reportPage(c: Context<AppEnv>, id: string, error?: string) {
  const lang = c.var.lang;
  const tr = translator(lang);
  const program = codeParam(c, 'program');
  const r = await getReport(c.var.ctx, program, id);
  const x = reportText(r.model, lang);
  const principal = c.var.ctx.actor.principal;
  const canWrite = allows(principal, 'report.write', program);
  const canApprove = allows(principal, 'report.approve', program);
  const canFind = allows(principal, 'report.finding', program);
  const findings = await listReportFindings(c.var.ctx, program, id);
  const here = `${base(program)}/${id}`;
  const steps: Array<[string, string]> = [];
  if (canWrite && r.status === 'draft') steps.push(['review', tr('ui.reports.step.review')]);
  if (canApprove && r.status === 'in_review') steps.push(['approve', tr('ui.reports.step.approve')]);
  if (canWrite && (r.status === 'in_review' || r.status === 'approved'))
    steps.push(['return', tr('ui.reports.step.return')]);
  if (canWrite && r.status === 'approved') steps.push(['submit', tr('ui.reports.step.submit')]);
  const info = await getProgram(c.var.ctx, program).catch(() => undefined);
  return (
    <Layout
      lang={lang}
      title={`${tr('ui.reports.title')} ${r.directive}`}
      program={{ code: program, name: info?.name ?? program }}
      current="reports"
      path={c.req.path}
    >
      <p class="breadcrumb">
        <a href={base(program)}>{tr('ui.reports.title')}</a>
      </p>
      <h1>
        {x.t('rpt.title')} — <code>{r.directive}</code>
      </h1>
      <p class="sub">
        {x.t('rpt.asOf', { date: x.date(r.asOf) })} ·{' '}
        <span class={`badge report-${r.status}`}>{tr(`ui.reports.state.${r.status}`)}</span>
      </p>
      <ErrorNote message={error} />
      <dl class="facts">
        <dt>{tr('ui.reports.author')}</dt>
        <dd>
          <code>{r.createdBy}</code>
        </dd>
        <dt>{tr('ui.reports.reviewer')}</dt>
        <dd>{r.reviewedBy ? <code>{r.reviewedBy}</code> : '—'}</dd>
        <dt>{tr('ui.reports.approver')}</dt>
        <dd>{r.approvedBy ? <code>{r.approvedBy}</code> : '—'}</dd>
        <dt>{tr('ui.reports.submittedAt')}</dt>
        <dd>{r.submittedAt ? formatInstant(lang, r.submittedAt) : '—'}</dd>
        <dt>{tr('ui.reports.layout')}</dt>
        <dd>
          {r.template
            ? tr('ui.reports.layoutVersion', { version: r.template.version })
            : tr('ui.reports.layoutBuiltIn')}
        </dd>
      </dl>
      <p class="muted">{tr(`ui.reports.explain.${r.status}`)}</p>
      {steps.length > 0 ? (
        <div class="actions">
          {steps.map(([step, label]) => (
            <form method="post" action={`${here}/${step}`} class="inline">
              <input type="hidden" name="version" value={String(r.version)} />
              <button type="submit">{label}</button>
            </form>
          ))}
        </div>
      ) : null}

      <h2>{r.status === 'submitted' ? tr('ui.reports.files') : tr('ui.reports.preview')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{tr('ui.reports.format')}</th>
              {LANGUAGES.map((l) => (
                <th scope="col">{tr(`ui.reports.lang.${l}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {REPORT_FORMATS.map((f) => (
              <tr>
                <th scope="row">{tr(`ui.reports.formatName.${f}`)}</th>
                {LANGUAGES.map((l) => {
                  const file = r.files.find((v) => v.format === f && v.lang === l);
                  return (
                    <td>
                      <a href={`${here}/${r.status === 'submitted' ? 'files' : 'preview'}/${f}?lang=${l}`}>
                        {reportFileName(r.model, l, EXTENSIONS[f])}
                      </a>
                      {file ? (
                        <div class="small muted">
                          SHA-256 <code title={file.sha256}>{file.sha256.slice(0, 16)}…</code>
                        </div>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.checkpoint ? (
        <details>
          <summary>{tr('ui.reports.checkpoint', { size: r.checkpoint.size })}</summary>
          <pre>{r.checkpoint.note}</pre>
        </details>
      ) : null}

      <h2>{x.t('rpt.sectionChanges')}</h2>
      <p>
        {r.model.previous === null
          ? x.t('rpt.noPrevious')
          : x.t(r.model.previous.kind === 'report' ? 'rpt.previousReport' : 'rpt.previousDue', {
              directive: r.model.previous.directive,
              date: x.date(r.model.previous.asOf),
            })}
      </p>
      <ul class="changes">
        {r.model.changes.map((ch) => (
          <li>
            <strong>{x.t(`rpt.changeKind.${ch.kind}`)}:</strong> {x.change(ch)}
          </li>
        ))}
      </ul>
      <p>{tr('ui.reports.openFindings', { count: r.model.findings.length })}</p>

      <h2>{tr('ui.reports.regulatorFindings')}</h2>
      {findings.length === 0 ? (
        <p class="muted">{tr('ui.none')}</p>
      ) : (
        <ul>
          {findings.map((f) => (
            <li>
              <code>{f.item}</code>
              {f.refersTo ? (
                <>
                  {' '}
                  (→ <code>{f.refersTo}</code>)
                </>
              ) : null}{' '}
              {f.text}{' '}
              <span class="small muted">
                — {f.by}, {formatInstant(lang, f.at)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {canFind && r.status === 'submitted' ? (
        <form method="post" action={`${here}/findings`} class="card form-grid spaced-form">
          <div class="field form-wide">
            <label for="f-text">{tr('ui.reports.findingText')}</label>
            <textarea id="f-text" name="text" required rows={3} />
          </div>
          <div class="field">
            <label for="f-refers">{tr('ui.reports.refersTo')}</label>
            <select id="f-refers" name="refersTo">
              <option value="">—</option>
              {r.model.items.map((i) => (
                <option value={i.code}>
                  {i.code} {i.label ?? ''}
                </option>
              ))}
            </select>
          </div>
          <div class="form-actions">
            <button type="submit">{tr('ui.reports.recordFinding')}</button>
          </div>
        </form>
      ) : null}
    </Layout>
  );
}

export function registerReportPages(app: OpenAPIHono<AppEnv>, signer: LogSigner | undefined): void {
  app.get('/programs/:program/reports', async (c) => c.html(await listPage(c)));
  app.post('/programs/:program/reports', async (c) => {
    const program = codeParam(c, 'program');
    const posted = await postedForm(c);
    try {
      const { id } = await createReport(c.var.ctx, program, {
        directive: posted.directive,
        asOf: posted.asOf,
      });
      return c.redirect(`${base(program)}/${id}`, 303);
    } catch (err) {
      return c.html(await listPage(c, formError(err, c.var.lang)), (err as AppError).status as 422);
    }
  });
  app.get('/programs/:program/reports/:id', async (c) => c.html(await reportPage(c, c.req.param('id'))));
  for (const step of ['review', 'return', 'approve', 'submit'] as const)
    app.post(`/programs/:program/reports/:id/${step}`, async (c) => {
      const program = codeParam(c, 'program');
      const id = c.req.param('id');
      const posted = await postedForm(c);
      const input = { version: Number(posted.version) };
      try {
        if (step === 'submit') await submitReport(c.var.ctx, program, id, input, signer);
        else await STEPS[step](c.var.ctx, program, id, input);
        return c.redirect(`${base(program)}/${id}`, 303);
      } catch (err) {
        return c.html(await reportPage(c, id, formError(err, c.var.lang)), (err as AppError).status as 409);
      }
    });
  app.post('/programs/:program/reports/:id/findings', async (c) => {
    const program = codeParam(c, 'program');
    const id = c.req.param('id');
    const posted = await postedForm(c);
    try {
      await recordReportFinding(c.var.ctx, program, id, {
        text: posted.text,
        ...(posted.refersTo ? { refersTo: posted.refersTo } : {}),
      });
      return c.redirect(`${base(program)}/${id}`, 303);
    } catch (err) {
      return c.html(await reportPage(c, id, formError(err, c.var.lang)), (err as AppError).status as 422);
    }
  });
  for (const kind of ['preview', 'files'] as const)
    app.get(`/programs/:program/reports/:id/${kind}/:format`, async (c) => {
      const program = codeParam(c, 'program');
      const id = c.req.param('id');
      const format = oneOfValues('format', c.req.param('format'), REPORT_FORMATS) as ReportFormat;
      const lang = oneOfValues('lang', c.req.query('lang'), LANGUAGES) ?? c.var.lang;
      if (kind === 'files')
        return storedReportResponse(c, await reportFile(c.var.ctx, program, id, format, lang));
      const r = await getReport(c.var.ctx, program, id);
      // A DOCX preview is laid out as it would be sent: with the template the report names (or none).
      const template =
        format === 'docx' ? await layoutTemplate(c.var.ctx, program, r.template?.version ?? null) : undefined;
      return renderedReportResponse(c, r.model, format, lang, template);
    });
}
