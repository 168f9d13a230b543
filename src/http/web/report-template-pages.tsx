/** @jsxImportSource hono/jsx */
/**
 * The report layout of a program as a page: the DOCX template in use (or the built-in layout), an
 * upload form whose refusals name the placeholder and where it is, every version with who, when,
 * SHA-256 and placeholders (download, use again), the starter template, the cover text of each
 * directive in Japanese and English, and the placeholders a template may use.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { allows } from '../../domain/access.ts';
import { AppError } from '../../domain/errors.ts';
import { formatInstant, titleIn } from '../../i18n/format.ts';
import { type Language, t, translator } from '../../i18n/index.ts';
import { MEDIA_TYPES } from '../../reports/render.ts';
import { STARTER_TEMPLATE_NAME } from '../../reports/starter-template.ts';
import { REPORT, type Scope } from '../../reports/template-vocabulary.ts';
import { getProgram } from '../../services/program.service.ts';
import {
  activateReportTemplate,
  reportLayoutOf,
  setReportCover,
  uploadReportTemplate,
  useBuiltInReportLayout,
} from '../../services/report-template.service.ts';
import { programView } from '../../services/view.service.ts';
import type { AppEnv } from '../env.ts';
import { starterTemplateResponse, templateVersionResponse } from '../file-response.ts';
import { Layout } from './layout.tsx';
import { codeParam } from './params.ts';
import { postedForm } from './register-pages.tsx';

/**
 * The anchor of a directive's cover form. A code (letters, digits and . _ : -) is a valid HTML id as
 * it is, so each directive has its own: D.1 and D_1 do not share one.
 */
const coverId = (directive: string) => `cover-${directive}`;
const DOCX_TYPE = MEDIA_TYPES.docx;
const base = (program: string) => `/programs/${encodeURIComponent(program)}/report-template`;

/** Where a refusal is shown: the upload form, the list of versions, or one directive's cover form. */
interface PageErrors {
  upload?: string[];
  versions?: string[];
  cover?: { directive: string; messages: string[] };
}

/** A refused change as the messages of its issues, each in the reader's language. */
function messagesOf(err: unknown, lang: Language): string[] {
  if (!(err instanceof AppError) || err.code === 'internal') throw err;
  // A file's problems speak for themselves; a field's are told with its name.
  return err.issues.length > 0
    ? err.issues.map((i) => `${i.path && i.path !== 'file' ? `${i.path}: ` : ''}${t(lang, i.key, i.params)}`)
    : [t(lang, err.key, err.params)];
}

function Alert(props: { id: string; messages: string[] | undefined }) {
  if (!props.messages || props.messages.length === 0) return null;
  return (
    <div class="field-error form-wide" role="alert" id={props.id}>
      {props.messages.length === 1 ? (
        props.messages[0]
      ) : (
        <ul>
          {props.messages.map((m) => (
            <li>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

const size = (n: number) =>
  n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

/** The vocabulary as nested lists of names with their kinds: what a template may use where. */
function Vocabulary(props: { lang: Language }) {
  const tr = translator(props.lang);
  const scopes: Array<{ title: string; scope: Scope }> = [];
  const seen = new Set<Scope>();
  const walk = (title: string, scope: Scope) => {
    if (seen.has(scope)) return;
    seen.add(scope);
    scopes.push({ title, scope });
    for (const [name, slot] of Object.entries(scope.slots))
      if (slot.kind === 'list') walk(tr('ui.reportTemplate.inside', { loop: `{#${name}}` }), slot.of);
  };
  walk(tr('ui.reportTemplate.report'), REPORT);
  return (
    <details class="spaced-form">
      <summary>{tr('ui.reportTemplate.vocabulary')}</summary>
      <p class="small muted">{tr('ui.reportTemplate.vocabularyHint')}</p>
      {scopes.map((s) => (
        <>
          <h3>{s.title}</h3>
          <p class="small">
            {Object.entries(s.scope.slots).map(([name, slot]) => (
              <>
                <code>{slot.kind === 'text' ? `{${name}}` : `{#${name}}`}</code>{' '}
                <span class="muted">({tr(`ui.reportTemplate.kind.${slot.kind}`)})</span>{' '}
              </>
            ))}
          </p>
        </>
      ))}
    </details>
  );
}

async function layoutPage(c: Context<AppEnv>, errors: PageErrors = {}) {
  const lang = c.var.lang;
  const tr = translator(lang);
  const program = codeParam(c, 'program');
  const [layout, info, view] = await Promise.all([
    reportLayoutOf(c.var.ctx, program),
    getProgram(c.var.ctx, program),
    programView(c.var.ctx, program),
  ]);
  const canWrite = allows(c.var.ctx.actor.principal, 'report.write', program);
  const here = base(program);
  const active = layout.versions.find((v) => v.version === layout.active);
  const when = (at: string) => formatInstant(lang, at, info.timeZone);
  return (
    <Layout
      lang={lang}
      title={tr('ui.reportTemplate.title')}
      program={{ code: program, name: info.name }}
      current="reports"
      path={c.req.path}
    >
      <p class="breadcrumb">
        <a href={`/programs/${encodeURIComponent(program)}/reports`}>{tr('ui.reports.title')}</a>
      </p>
      <h1>{tr('ui.reportTemplate.title')}</h1>
      <p class="sub">{tr('ui.reportTemplate.subtitle')}</p>
      <dl class="facts">
        <dt>{tr('ui.reportTemplate.inUse')}</dt>
        <dd id="layout-in-use">
          {active
            ? tr('ui.reportTemplate.versionInUse', { version: active.version, filename: active.filename })
            : tr('ui.reportTemplate.builtIn')}
        </dd>
      </dl>
      <div class="actions">
        <a href={`${here}/starter`} download={STARTER_TEMPLATE_NAME}>
          {tr('ui.reportTemplate.starter')}
        </a>
        {active ? (
          <a href={`${here}/versions/${active.version}`} download={active.filename}>
            {tr('ui.reportTemplate.downloadActive')}
          </a>
        ) : null}
      </div>
      <p class="small muted">{tr('ui.reportTemplate.starterHint')}</p>

      {canWrite ? (
        <form
          method="post"
          action={here}
          enctype="multipart/form-data"
          class="card form-grid spaced-form"
          id="upload"
        >
          <h2 class="form-wide">{tr('ui.reportTemplate.upload')}</h2>
          <Alert id="upload-error" messages={errors.upload} />
          <div class="field form-wide">
            <label for="t-file">{tr('ui.reportTemplate.file')}</label>
            <input
              id="t-file"
              name="file"
              type="file"
              required
              accept={`.docx,${DOCX_TYPE}`}
              aria-describedby="t-file-hint"
            />
            <p class="small muted hint" id="t-file-hint">
              {tr('ui.reportTemplate.hint')}
            </p>
          </div>
          <div class="form-wide">
            <button type="submit">{tr('ui.reportTemplate.uploadButton')}</button>
          </div>
        </form>
      ) : null}

      <h2>{tr('ui.reportTemplate.versions')}</h2>
      <Alert id="versions-error" messages={errors.versions} />
      {layout.versions.length === 0 ? (
        <p class="muted">{tr('ui.reportTemplate.none')}</p>
      ) : (
        <div class="table-wrap">
          <table id="template-versions">
            <thead>
              <tr>
                <th scope="col">{tr('ui.reportTemplate.version')}</th>
                <th scope="col">{tr('ui.evidence.file')}</th>
                <th scope="col">SHA-256</th>
                <th scope="col">{tr('ui.reportTemplate.placeholders')}</th>
                <th scope="col">{tr('ui.reportTemplate.uploadedBy')}</th>
                {canWrite ? <th scope="col">{tr('ui.reportTemplate.inUse')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {layout.versions.map((v) => (
                <tr>
                  <td class="n">{v.version}</td>
                  <td>
                    <a href={`${here}/versions/${v.version}`} download={v.filename}>
                      {v.filename}
                    </a>
                    <div class="small muted">{size(v.size)}</div>
                  </td>
                  <td>
                    <code title={v.sha256}>{v.sha256.slice(0, 16)}…</code>
                  </td>
                  <td>
                    <details class="small">
                      <summary>
                        {tr('ui.reportTemplate.placeholderCount', { count: v.placeholders.length })}
                      </summary>
                      <p class="small">{v.placeholders.join(' ')}</p>
                    </details>
                  </td>
                  <td class="small">
                    <code>{v.by}</code> · {when(v.at)}
                  </td>
                  {canWrite ? (
                    <td>
                      {v.version === layout.active ? (
                        <span class="badge report-submitted">{tr('ui.reportTemplate.active')}</span>
                      ) : (
                        <form method="post" action={`${here}/activate`} class="inline">
                          <input type="hidden" name="template" value={String(v.version)} />
                          <input type="hidden" name="version" value={String(layout.version)} />
                          <button type="submit" class="small-button">
                            {tr('ui.reportTemplate.use')}
                          </button>
                        </form>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite && layout.active !== null ? (
        <form method="post" action={`${here}/built-in`}>
          <input type="hidden" name="version" value={String(layout.version)} />
          <button type="submit">{tr('ui.reportTemplate.useBuiltIn')}</button>
        </form>
      ) : null}

      <h2>{tr('ui.reportTemplate.covers')}</h2>
      <p class="small muted">{tr('ui.reportTemplate.coversHint')}</p>
      {view.file.directives.map((d) => {
        const cover = layout.covers.find((x) => x.directive === d.code);
        const id = coverId(d.code);
        return (
          <form method="post" action={`${here}/cover`} class="card form-grid spaced-form" id={id}>
            <h3 class="form-wide">
              <code>{d.code}</code> {titleIn(lang, d)}
            </h3>
            <Alert
              id={`${id}-error`}
              messages={errors.cover?.directive === d.code ? errors.cover.messages : undefined}
            />
            <input type="hidden" name="directive" value={d.code} />
            <input type="hidden" name="version" value={String(cover?.version ?? 0)} />
            <div class="field form-wide">
              <label for={`${id}-ja`}>{tr('ui.reportTemplate.coverJa')}</label>
              <textarea id={`${id}-ja`} name="ja" rows={4} lang="ja" disabled={!canWrite}>
                {cover?.ja ?? ''}
              </textarea>
            </div>
            <div class="field form-wide">
              <label for={`${id}-en`}>{tr('ui.reportTemplate.coverEn')}</label>
              <textarea id={`${id}-en`} name="en" rows={4} lang="en" disabled={!canWrite}>
                {cover?.en ?? ''}
              </textarea>
            </div>
            {cover ? (
              <p class="small muted form-wide">
                {tr('ui.reportTemplate.lastChanged', { by: cover.by, at: when(cover.at) })}
              </p>
            ) : null}
            {canWrite ? (
              <div class="form-wide">
                <button type="submit">{tr('ui.reportTemplate.coverSave')}</button>
              </div>
            ) : null}
          </form>
        );
      })}
      <Vocabulary lang={lang} />
    </Layout>
  );
}

/** A posted whole number (a version), or NaN for the service to refuse. */
const numberOf = (v: unknown) => (typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : Number.NaN);

export function registerReportTemplatePages(app: OpenAPIHono<AppEnv>): void {
  const path = '/programs/:program/report-template';
  app.get(path, async (c) => c.html(await layoutPage(c)));
  app.post(path, async (c) => {
    const program = codeParam(c, 'program');
    const posted = await postedForm(c);
    const file = posted.file instanceof File ? posted.file : undefined;
    try {
      await uploadReportTemplate(
        c.var.ctx,
        program,
        file && file.size > 0
          ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }
          : undefined,
      );
      return c.redirect(base(program), 303);
    } catch (err) {
      return c.html(
        await layoutPage(c, { upload: messagesOf(err, c.var.lang) }),
        (err as AppError).status as 422,
      );
    }
  });
  for (const action of ['activate', 'built-in'] as const)
    app.post(`${path}/${action}`, async (c) => {
      const program = codeParam(c, 'program');
      const posted = await postedForm(c);
      try {
        const version = numberOf(posted.version);
        if (action === 'activate')
          await activateReportTemplate(c.var.ctx, program, { template: numberOf(posted.template), version });
        else await useBuiltInReportLayout(c.var.ctx, program, { version });
        return c.redirect(base(program), 303);
      } catch (err) {
        return c.html(
          await layoutPage(c, { versions: messagesOf(err, c.var.lang) }),
          (err as AppError).status as 422,
        );
      }
    });
  app.post(`${path}/cover`, async (c) => {
    const program = codeParam(c, 'program');
    const posted = await postedForm(c);
    const directive = typeof posted.directive === 'string' ? posted.directive : '';
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    try {
      await setReportCover(c.var.ctx, program, directive, {
        en: text(posted.en),
        ja: text(posted.ja),
        version: numberOf(posted.version),
      });
      return c.redirect(`${base(program)}#${encodeURIComponent(coverId(directive))}`, 303);
    } catch (err) {
      return c.html(
        await layoutPage(c, { cover: { directive, messages: messagesOf(err, c.var.lang) } }),
        (err as AppError).status as 422,
      );
    }
  });
  app.get(`${path}/starter`, (c) => {
    codeParam(c, 'program');
    return starterTemplateResponse(c);
  });
  app.get(`${path}/versions/:version`, (c) =>
    templateVersionResponse(c, codeParam(c, 'program'), c.req.param('version')),
  );
}
