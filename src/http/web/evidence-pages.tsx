/** @jsxImportSource hono/jsx */
/** Evidence on the measure page: the files attached to the measure, its milestones and checks; an upload form; downloads. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { mayChangeMeasure } from '../../domain/access.ts';
import { AppError } from '../../domain/errors.ts';
import type { MeasureInput } from '../../domain/program-file/schema.ts';
import { formatInstant } from '../../i18n/format.ts';
import { type Language, t, translator } from '../../i18n/index.ts';
import { recordHistory } from '../../services/audit.service.ts';
import {
  attachEvidence,
  EVIDENCE_MEDIA_TYPES,
  type EvidenceView,
  listEvidence,
  readEvidence,
} from '../../services/evidence.service.ts';
import type { EvidenceStore } from '../../services/evidence-store.ts';
import { type ProgramView, programView } from '../../services/view.service.ts';
import type { AppEnv } from '../env.ts';
import { evidenceResponse } from '../file-response.ts';
import { codeParam } from './params.ts';
import { MeasurePage } from './records.tsx';
import { postedForm } from './register-pages.tsx';

const size = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KB`
      : `${(n / 1024 / 1024).toFixed(1)} MB`;

/** The evidence of a measure, its milestones and checks, and (for those who may) a form to attach more. */
export function EvidencePanel(props: {
  lang: Language;
  base: string;
  measure: MeasureInput;
  evidence: EvidenceView[];
  timeZone: string;
  canAttach: boolean;
  error?: string | undefined;
}) {
  const tr = translator(props.lang);
  const m = props.measure;
  const targets = [
    { kind: 'measure', code: m.code },
    ...m.milestones.map((x) => ({ kind: 'milestone', code: x.code })),
    ...m.verifications.map((x) => ({ kind: 'verification', code: x.code })),
  ];
  return (
    <section aria-labelledby="evidence">
      <h2 id="evidence">{tr('ui.evidence.title')}</h2>
      {props.evidence.length === 0 ? (
        <p class="muted">{tr('ui.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{tr('ui.evidence.file')}</th>
              <th scope="col">{tr('fields.record')}</th>
              <th scope="col" class="n">
                {tr('ui.evidence.size')}
              </th>
              <th scope="col">SHA-256</th>
              <th scope="col">{tr('ui.audit.actor')}</th>
            </tr>
          </thead>
          <tbody>
            {props.evidence.map((e) => (
              <tr>
                <td>
                  <a href={`${props.base}/evidence/${e.id}`}>{e.filename}</a>
                  {e.description ? <div class="small muted">{e.description}</div> : null}
                </td>
                <td>
                  <code>{e.code}</code>
                </td>
                <td class="n">{size(e.size)}</td>
                <td>
                  <code title={e.sha256}>{e.sha256.slice(0, 16)}…</code>
                </td>
                <td class="small">
                  {e.by} · {formatInstant(props.lang, e.at, props.timeZone)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canAttach ? (
        <form
          method="post"
          action={`${props.base}/measures/${encodeURIComponent(m.code)}/evidence`}
          enctype="multipart/form-data"
          class="card form-grid spaced-form"
        >
          {props.error ? (
            <p class="field-error form-wide" role="alert" id="evidence-error">
              {props.error}
            </p>
          ) : null}
          <div class="field">
            <label for="e-target">{tr('ui.evidence.target')}</label>
            <select id="e-target" name="target">
              {targets.map((x) => (
                <option value={`${x.kind}:${x.code}`}>
                  {tr(`ui.evidence.kind.${x.kind}`)} {x.code}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="e-file">{tr('ui.evidence.file')}</label>
            <input
              id="e-file"
              name="file"
              type="file"
              required
              accept={EVIDENCE_MEDIA_TYPES.join(',')}
              aria-describedby="e-file-hint"
            />
            <p class="small muted hint" id="e-file-hint">
              {tr('ui.evidence.hint')}
            </p>
          </div>
          <div class="field form-wide">
            <label for="e-description">{tr('fields.description')}</label>
            <input id="e-description" name="description" maxlength={2000} />
          </div>
          <div class="form-wide">
            <button type="submit">{tr('ui.evidence.attach')}</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

/** The measure page with its history and evidence. */
export async function measurePage(
  c: Context<AppEnv>,
  view: ProgramView,
  code: string,
  extra: { error?: string } = {},
) {
  const program = view.file.program.code;
  const m = view.file.measures.find((x) => x.code === code)!;
  const codes = [m.code, ...m.milestones.map((x) => x.code), ...m.verifications.map((x) => x.code)];
  const [history, evidence] = await Promise.all([
    recordHistory(c.var.ctx, program, 'measures', code),
    listEvidence(c.var.ctx, program, codes),
  ]);
  // The owner of the measure (or the program office) may attach; others see the files only.
  const canAttach = mayChangeMeasure(c.var.ctx.actor.principal, program, m.owner);
  return (
    <MeasurePage
      lang={c.var.lang}
      view={view}
      code={code}
      path={c.req.path}
      history={history}
      evidence={
        <EvidencePanel
          lang={c.var.lang}
          base={`/programs/${encodeURIComponent(program)}`}
          measure={m}
          evidence={evidence}
          timeZone={view.file.program.timeZone}
          canAttach={canAttach}
          error={extra.error}
        />
      }
    />
  );
}

export function registerEvidencePages(app: OpenAPIHono<AppEnv>, store: EvidenceStore): void {
  app.post('/programs/:program/measures/:code/evidence', async (c) => {
    const program = codeParam(c, 'program');
    const code = codeParam(c, 'code');
    const posted = await postedForm(c);
    const view = await programView(c.var.ctx, program);
    if (!view.file.measures.some((m) => m.code === code))
      throw new AppError('not_found', 'errors.not_found', { entity: 'measure', code });
    const [kind, target] = String(typeof posted.target === 'string' ? posted.target : '').split(':');
    const file = posted.file instanceof File ? posted.file : undefined;
    try {
      await attachEvidence(
        c.var.ctx,
        store,
        program,
        {
          kind,
          code: target,
          ...(typeof posted.description === 'string' && posted.description.trim()
            ? { description: posted.description }
            : {}),
        },
        file
          ? { name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) }
          : undefined,
      );
      return c.redirect(
        `/programs/${encodeURIComponent(program)}/measures/${encodeURIComponent(code)}#evidence`,
        303,
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'internal') throw err;
      const message =
        err.issues.length > 0
          ? err.issues.map((i) => t(c.var.lang, i.key, i.params)).join(' ')
          : t(c.var.lang, err.key, err.params);
      return c.html(
        await measurePage(c, await programView(c.var.ctx, program), code, { error: message }),
        err.status as 422,
      );
    }
  });
  app.get('/programs/:program/evidence/:id', async (c) => {
    return evidenceResponse(
      c,
      await readEvidence(c.var.ctx, store, codeParam(c, 'program'), c.req.param('id')),
    );
  });
}
