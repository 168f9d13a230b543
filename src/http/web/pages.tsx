/** @jsxImportSource hono/jsx */
/** The server-rendered pages: the program list, and per program its dashboard, measures, directives and register. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '../../domain/errors.ts';
import { type Language, t, translator } from '../../i18n/index.ts';
import { listPrograms } from '../../services/program.service.ts';
import { approveReplan, refuseReplan, replanMilestone } from '../../services/replan.service.ts';
import { programView } from '../../services/view.service.ts';
import type { AppEnv } from '../env.ts';
import { problemOf } from '../problem.ts';
import { registerAssets } from './assets.ts';
import { Dashboard } from './dashboard.tsx';
import { measurePage } from './evidence-pages.tsx';
import { Layout } from './layout.tsx';
import { codeParam } from './params.ts';
import { DirectiveList, DirectivePage, MeasurePage } from './records.tsx';
import { fieldErrors, postedForm, registerRegisterPages } from './register-pages.tsx';
import { signedIn } from './signed-in.ts';

/** The fields of a posted form as strings (a repeated name keeps its first value). */
async function formValues(c: Context<AppEnv>): Promise<Record<string, string>> {
  const posted = await postedForm(c);
  return Object.fromEntries(
    Object.entries(posted)
      .map(([k, v]) => [k, (Array.isArray(v) ? v[0] : v) ?? ''])
      .filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

export function registerPages(app: OpenAPIHono<AppEnv>): void {
  registerAssets(app);
  registerRegisterPages(app);
  app.get('/', async (c) => {
    const lang = c.var.lang;
    const tr = translator(lang);
    const programs = await listPrograms(c.var.ctx);
    return c.html(
      <Layout lang={lang} title={tr('app.programs')} path="/">
        <h1>{tr('app.programs')}</h1>
        <p class="sub">{tr('app.tagline')}</p>
        {programs.length === 0 ? (
          <p>{tr('app.noPrograms')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{tr('app.code')}</th>
                <th scope="col">{tr('app.name')}</th>
                <th scope="col">{tr('app.regulated')}</th>
                <th scope="col" class="n">
                  {tr('app.directives')}
                </th>
                <th scope="col" class="n">
                  {tr('app.measures')}
                </th>
                <th scope="col" class="n">
                  {tr('app.milestones')}
                </th>
                <th scope="col" class="n">
                  {tr('app.relationships')}
                </th>
                <th scope="col">{tr('app.api')}</th>
              </tr>
            </thead>
            <tbody>
              {programs.map((p) => {
                const user = signedIn.getStore();
                const base = `/programs/${encodeURIComponent(p.code)}`;
                // Where the reader starts: the dashboard, or (a contractor) the outsourcing register.
                const start = user?.may('GET /programs/:program', p.code)
                  ? base
                  : user?.may('GET /programs/:program/relationships', p.code)
                    ? `${base}/relationships`
                    : undefined;
                const reads = user?.may('GET /api/v1/programs/:program/export', p.code);
                return (
                  <tr>
                    <td>
                      {start ? (
                        <a href={start}>
                          <code>{p.code}</code>
                        </a>
                      ) : (
                        <code>{p.code}</code>
                      )}
                    </td>
                    <td>
                      {start ? (
                        <a href={start}>{lang === 'ja' && p.nameJa ? p.nameJa : p.name}</a>
                      ) : lang === 'ja' && p.nameJa ? (
                        p.nameJa
                      ) : (
                        p.name
                      )}
                    </td>
                    <td>{p.regulatedOrganization}</td>
                    <td class="n">{p.counts.directives}</td>
                    <td class="n">{p.counts.measures}</td>
                    <td class="n">{p.counts.milestones}</td>
                    <td class="n">{p.counts.relationships}</td>
                    <td>
                      {reads ? (
                        <>
                          <a href={`/api/v1${base}`}>JSON</a>
                          {' · '}
                          <a href={`/api/v1${base}/export`}>{tr('app.export')}</a>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <h2>{tr('app.api')}</h2>
        <ul>
          <li>
            <a href="/api/v1/programs">/api/v1/programs</a>
          </li>
          <li>
            <a href="/api/openapi.json">{tr('app.openapi')}</a>
          </li>
          <li>
            <a href="/healthz">{tr('app.health')}</a>
          </li>
        </ul>
      </Layout>,
    );
  });

  app.get('/programs/:program', async (c) => {
    const view = await programView(c.var.ctx, codeParam(c, 'program'));
    return c.html(<Dashboard lang={c.var.lang} view={view} path={c.req.path} />);
  });
  // A re-plan, and the approval or refusal of one that waits: back to the measure, or its page
  // again with the errors beside the form that was sent.
  const replanStep =
    (step: 'replan' | 'approve' | 'refuse') =>
    async (c: Context<AppEnv>): Promise<Response> => {
      const program = codeParam(c, 'program');
      const milestone = codeParam(c, 'code');
      const values = await formValues(c);
      const before = await programView(c.var.ctx, program);
      const measure = before.file.measures.find((m) => m.milestones.some((ms) => ms.code === milestone));
      if (!measure)
        throw new AppError('not_found', 'errors.not_found', { entity: 'milestone', code: milestone });
      const version = /^\d+$/.test(values.version ?? '') ? Number(values.version) : values.version;
      try {
        if (step === 'replan')
          await replanMilestone(c.var.ctx, program, milestone, {
            version,
            to: values.to ? values.to : null,
            reason: values.reason ?? '',
          });
        else
          await (step === 'approve' ? approveReplan : refuseReplan)(c.var.ctx, program, milestone, {
            version,
            ...(values.note?.trim() ? { note: values.note } : {}),
          });
        return c.redirect(
          `/programs/${encodeURIComponent(program)}/measures/${encodeURIComponent(measure.code)}#milestones`,
          303,
        );
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const errors = fieldErrors(err, c.var.lang);
        const sent = { milestone, errors, values };
        return c.html(
          <MeasurePage
            lang={c.var.lang}
            view={before}
            code={measure.code}
            path={c.req.path}
            {...(step === 'replan' ? { replan: sent } : { decision: sent })}
          />,
          err.status as 422,
        );
      }
    };
  app.post('/programs/:program/milestones/:code/replan', replanStep('replan'));
  app.post('/programs/:program/milestones/:code/replan/approve', replanStep('approve'));
  app.post('/programs/:program/milestones/:code/replan/refuse', replanStep('refuse'));
  app.get('/programs/:program/measures/:code', async (c) => {
    const measure = codeParam(c, 'code');
    const view = await programView(c.var.ctx, codeParam(c, 'program'));
    if (!view.file.measures.some((m) => m.code === measure))
      throw new AppError('not_found', 'errors.not_found', { entity: 'measure', code: measure });
    return c.html(await measurePage(c, view, measure));
  });
  app.get('/programs/:program/directives', async (c) => {
    const view = await programView(c.var.ctx, codeParam(c, 'program'));
    return c.html(<DirectiveList lang={c.var.lang} view={view} path={c.req.path} />);
  });
  app.get('/programs/:program/directives/:code', async (c) => {
    const directive = codeParam(c, 'code');
    const view = await programView(c.var.ctx, codeParam(c, 'program'));
    if (!view.file.directives.some((d) => d.code === directive))
      throw new AppError('not_found', 'errors.not_found', { entity: 'directive', code: directive });
    return c.html(<DirectivePage lang={c.var.lang} view={view} code={directive} path={c.req.path} />);
  });
}

/** An error as a page: what went wrong and where, in the reader's language; never a stack trace. */
export function errorPage(c: Context<AppEnv>, err: AppError, lang: Language): Response | Promise<Response> {
  const problem = problemOf(err, lang, c.req.path);
  return c.html(
    <Layout lang={lang} title={problem.title} path={c.req.path}>
      <div class="error-page" role="alert">
        <h1>
          {problem.status} {problem.title}
        </h1>
        <p>{problem.detail}</p>
        {problem.errors ? (
          <ul>
            {problem.errors.map((e) => (
              <li>
                <code>{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
        ) : null}
        <p>
          <a href="/">{t(lang, 'ui.backHome')}</a>
        </p>
      </div>
    </Layout>,
    problem.status as 400,
  );
}
