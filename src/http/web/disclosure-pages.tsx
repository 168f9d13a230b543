/** @jsxImportSource hono/jsx */
/**
 * Public progress updates for the staff: every update with its state, a form to draft one in
 * Japanese and English (or a correction of a published one), and the steps the reader may take —
 * approve (a second person), publish. The public side shows only what was published.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { allows } from '../../domain/access.ts';
import type { AppError } from '../../domain/errors.ts';
import { formatInstant } from '../../i18n/format.ts';
import { translator } from '../../i18n/index.ts';
import {
  approveDisclosure,
  draftDisclosure,
  listDisclosures,
  publishDisclosure,
} from '../../services/disclosure.service.ts';
import { getProgram } from '../../services/program.service.ts';
import type { AppEnv } from '../env.ts';
import { Layout } from './layout.tsx';
import { codeParam } from './params.ts';
import { formError, postedForm } from './register-pages.tsx';

const base = (program: string) => `/programs/${encodeURIComponent(program)}/disclosures`;

function Field(props: { id: string; name: string; label: string; long?: boolean }) {
  return (
    <div class={props.long ? 'field form-wide' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.long ? (
        <textarea id={props.id} name={props.name} rows={6} required />
      ) : (
        <input id={props.id} name={props.name} required />
      )}
    </div>
  );
}

async function page(c: Context<AppEnv>, error?: string) {
  const lang = c.var.lang;
  const tr = translator(lang);
  const program = codeParam(c, 'program');
  const [updates, info] = await Promise.all([
    listDisclosures(c.var.ctx, program),
    getProgram(c.var.ctx, program),
  ]);
  const principal = c.var.ctx.actor.principal;
  const canWrite = allows(principal, 'disclosure.write', program);
  const canApprove = allows(principal, 'disclosure.approve', program);
  const published = updates.filter((u) => u.status === 'published');
  return (
    <Layout
      lang={lang}
      title={tr('ui.disclosures.title')}
      program={{ code: program, name: info.name }}
      current="disclosures"
      path={c.req.path}
    >
      <h1>{tr('ui.disclosures.title')}</h1>
      <p class="sub">
        {tr('ui.disclosures.subtitle')}{' '}
        <a href={`/public/${encodeURIComponent(program)}/${lang}/`}>{tr('ui.disclosures.publicSite')}</a>
      </p>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {updates.length === 0 ? (
        <p class="muted">{tr('ui.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col" class="n">
                  #
                </th>
                <th scope="col">{tr('ui.disclosures.update')}</th>
                <th scope="col">{tr('ui.reports.status')}</th>
                <th scope="col">{tr('ui.disclosures.steps')}</th>
              </tr>
            </thead>
            <tbody>
              {updates.map((u) => (
                <tr>
                  <td class="n">{u.number}</td>
                  <td>
                    {lang === 'ja' ? u.titleJa : u.titleEn}
                    {u.corrects ? (
                      <div class="small muted">{tr('pub.correctionOf', { number: u.corrects.number })}</div>
                    ) : null}
                    <div class="small muted">
                      <code>{u.createdBy}</code>
                      {u.approvedBy ? (
                        <>
                          {' → '}
                          <code>{u.approvedBy}</code>
                        </>
                      ) : null}
                      {u.publishedAt ? ` · ${formatInstant(lang, u.publishedAt)}` : ''}
                    </div>
                    {u.sha256 ? (
                      <div class="small muted">
                        SHA-256 <code title={u.sha256}>{u.sha256.slice(0, 16)}…</code>
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <span
                      class={`badge report-${u.status === 'published' ? 'submitted' : u.status === 'approved' ? 'approved' : 'draft'}`}
                    >
                      {tr(`ui.disclosures.state.${u.status}`)}
                    </span>
                  </td>
                  <td>
                    {u.status === 'draft' && canApprove ? (
                      <form method="post" action={`${base(program)}/${u.id}/approve`} class="inline">
                        <input type="hidden" name="version" value={String(u.version)} />
                        <button type="submit">{tr('ui.disclosures.approve')}</button>
                      </form>
                    ) : null}
                    {u.status === 'approved' && canWrite ? (
                      <form method="post" action={`${base(program)}/${u.id}/publish`} class="inline">
                        <input type="hidden" name="version" value={String(u.version)} />
                        <button type="submit">{tr('ui.disclosures.publish')}</button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canWrite ? (
        <form method="post" action={base(program)} class="card form-grid spaced-form">
          <h2 class="form-wide">{tr('ui.disclosures.new')}</h2>
          <Field id="d-title-ja" name="titleJa" label={tr('ui.disclosures.titleJa')} />
          <Field id="d-title-en" name="titleEn" label={tr('ui.disclosures.titleEn')} />
          <Field id="d-body-ja" name="bodyJa" label={tr('ui.disclosures.bodyJa')} long />
          <Field id="d-body-en" name="bodyEn" label={tr('ui.disclosures.bodyEn')} long />
          {published.length > 0 ? (
            <>
              <div class="field">
                <label for="d-corrects">{tr('ui.disclosures.corrects')}</label>
                <select id="d-corrects" name="corrects">
                  <option value="">—</option>
                  {published.map((u) => (
                    <option value={u.id}>
                      #{u.number} {lang === 'ja' ? u.titleJa : u.titleEn}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="d-note-ja">{tr('ui.disclosures.noteJa')}</label>
                <input id="d-note-ja" name="correctionNoteJa" />
              </div>
              <div class="field">
                <label for="d-note-en">{tr('ui.disclosures.noteEn')}</label>
                <input id="d-note-en" name="correctionNoteEn" />
              </div>
            </>
          ) : null}
          <div class="form-actions">
            <button type="submit">{tr('ui.disclosures.draft')}</button>
          </div>
        </form>
      ) : null}
    </Layout>
  );
}

export function registerDisclosurePages(app: OpenAPIHono<AppEnv>): void {
  app.get('/programs/:program/disclosures', async (c) => c.html(await page(c)));
  app.post('/programs/:program/disclosures', async (c) => {
    const program = codeParam(c, 'program');
    const f = await postedForm(c);
    const texts = { titleJa: f.titleJa, titleEn: f.titleEn, bodyJa: f.bodyJa, bodyEn: f.bodyEn };
    const corrects = typeof f.corrects === 'string' && f.corrects !== '' ? f.corrects : undefined;
    try {
      await draftDisclosure(
        c.var.ctx,
        program,
        corrects
          ? { ...texts, correctionNoteJa: f.correctionNoteJa, correctionNoteEn: f.correctionNoteEn }
          : texts,
        corrects,
      );
      return c.redirect(base(program), 303);
    } catch (err) {
      return c.html(await page(c, formError(err, c.var.lang)), (err as AppError).status as 422);
    }
  });
  for (const [step, run] of [
    ['approve', approveDisclosure],
    ['publish', publishDisclosure],
  ] as const)
    app.post(`/programs/:program/disclosures/:id/${step}`, async (c) => {
      const program = codeParam(c, 'program');
      const f = await postedForm(c);
      try {
        await run(c.var.ctx, program, c.req.param('id'), { version: Number(f.version) });
        return c.redirect(base(program), 303);
      } catch (err) {
        return c.html(await page(c, formError(err, c.var.lang)), (err as AppError).status as 409);
      }
    });
}
