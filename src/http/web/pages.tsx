/** @jsxImportSource hono/jsx */
/** The server-rendered pages: the program list, and per program its dashboard, measures, directives and register. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '../../domain/errors.ts';
import { codeSchema } from '../../domain/program-file/schema.ts';
import { DECISIONS } from '../../domain/vocab.ts';
import { type Language, t, translator } from '../../i18n/index.ts';
import { createMeasure } from '../../services/measure.service.ts';
import { replanMilestone } from '../../services/milestone.service.ts';
import { listPrograms } from '../../services/program.service.ts';
import { programView } from '../../services/view.service.ts';
import type { AppEnv } from '../env.ts';
import { problemOf } from '../problem.ts';
import { Dashboard, MeasureList } from './dashboard.tsx';
import { type FieldErrors, NewMeasurePage } from './forms.tsx';
import { Layout } from './layout.tsx';
import { DirectiveList, DirectivePage, MeasurePage, RelationshipList } from './records.tsx';

const DERIVED = ['not_started', 'on_track', 'at_risk', 'late', 'done', 'verified', 'cancelled'];

/** The fields of a posted form as strings; anything that is not a form reads as no fields. */
async function formValues(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => ({}));
  return Object.fromEntries(
    Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

/** A failed write as messages by field; an error that is not about fields is shown for the whole form (""). */
function fieldErrors(err: unknown, lang: Language): FieldErrors {
  if (!(err instanceof AppError) || err.code === 'internal') throw err;
  if (err.issues.length === 0) return { '': t(lang, err.key, err.params) };
  return Object.fromEntries(err.issues.map((i) => [i.path, t(lang, i.key, i.params)]));
}

/** A path segment that must be a code; anything else is a malformed id. */
function code(c: Context<AppEnv>, name: string): string {
  const value = c.req.param(name) ?? '';
  if (!codeSchema.safeParse(value).success)
    throw new AppError('bad_request', 'errors.validation', { count: 1 }, [
      { path: `path.${name}`, key: 'validation.not_an_id', params: { input: JSON.stringify(value) } },
    ]);
  return value;
}

/** A query parameter from a closed list; anything else is a bad request. */
function oneOf(c: Context<AppEnv>, name: string, allowed: readonly string[]): string | undefined {
  const value = c.req.query(name);
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value))
    throw new AppError('bad_request', 'errors.validation', { count: 1 }, [
      {
        path: `query.${name}`,
        key: 'validation.invalid_value',
        params: { allowed: allowed.join(', '), input: JSON.stringify(value) },
      },
    ]);
  return value;
}

export function registerPages(app: OpenAPIHono<AppEnv>): void {
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
              {programs.map((p) => (
                <tr>
                  <td>
                    <a href={`/programs/${encodeURIComponent(p.code)}`}>
                      <code>{p.code}</code>
                    </a>
                  </td>
                  <td>
                    <a href={`/programs/${encodeURIComponent(p.code)}`}>
                      {lang === 'ja' && p.nameJa ? p.nameJa : p.name}
                    </a>
                  </td>
                  <td>{p.regulatedOrganization}</td>
                  <td class="n">{p.counts.directives}</td>
                  <td class="n">{p.counts.measures}</td>
                  <td class="n">{p.counts.milestones}</td>
                  <td class="n">{p.counts.relationships}</td>
                  <td>
                    <a href={`/api/v1/programs/${encodeURIComponent(p.code)}`}>JSON</a>
                    {' · '}
                    <a href={`/api/v1/programs/${encodeURIComponent(p.code)}/export`}>{tr('app.export')}</a>
                  </td>
                </tr>
              ))}
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
    const view = await programView(c.var.ctx, code(c, 'program'));
    return c.html(<Dashboard lang={c.var.lang} view={view} path={c.req.path} />);
  });
  app.get('/programs/:program/measures', async (c) => {
    const status = oneOf(c, 'status', DERIVED);
    const view = await programView(c.var.ctx, code(c, 'program'));
    return c.html(<MeasureList lang={c.var.lang} view={view} path={c.req.path} status={status} />);
  });
  app.get('/programs/:program/measures/new', async (c) => {
    const view = await programView(c.var.ctx, code(c, 'program'));
    const p = view.file.program;
    return c.html(
      <NewMeasurePage lang={c.var.lang} program={{ code: p.code, name: p.name }} path={c.req.path} />,
    );
  });
  app.post('/programs/:program/measures/new', async (c) => {
    const program = code(c, 'program');
    const values = await formValues(c);
    const view = await programView(c.var.ctx, program);
    try {
      const measureCode = values.code ?? '';
      const hasMilestone = Boolean(values['milestones[0].title'] || values['milestones[0].planned']);
      await createMeasure(c.var.ctx, program, {
        code: measureCode,
        title: values.title ?? '',
        category: values.category,
        kind: values.kind,
        ...(values.owner ? { owner: values.owner } : {}),
        milestones: hasMilestone
          ? [
              {
                code: `${measureCode}.1`,
                title: values['milestones[0].title'] || values.title || measureCode,
                committedOn: view.today,
                planned: values['milestones[0].planned'] || null,
              },
            ]
          : [],
      });
      return c.redirect(
        `/programs/${encodeURIComponent(program)}/measures/${encodeURIComponent(measureCode)}`,
        303,
      );
    } catch (err) {
      const errors = fieldErrors(err, c.var.lang);
      const p = view.file.program;
      return c.html(
        <NewMeasurePage
          lang={c.var.lang}
          program={{ code: p.code, name: p.name }}
          path={c.req.path}
          errors={errors}
          values={values}
        />,
        (err as AppError).status as 422,
      );
    }
  });
  app.post('/programs/:program/milestones/:code/replan', async (c) => {
    const program = code(c, 'program');
    const milestone = code(c, 'code');
    const values = await formValues(c);
    const before = await programView(c.var.ctx, program);
    const measure = before.file.measures.find((m) => m.milestones.some((ms) => ms.code === milestone));
    if (!measure)
      throw new AppError('not_found', 'errors.not_found', { entity: 'milestone', code: milestone });
    try {
      await replanMilestone(c.var.ctx, program, milestone, {
        version: Number(values.version),
        to: values.to ? values.to : null,
        reason: values.reason ?? '',
      });
      return c.redirect(
        `/programs/${encodeURIComponent(program)}/measures/${encodeURIComponent(measure.code)}#milestones`,
        303,
      );
    } catch (err) {
      const errors = fieldErrors(err, c.var.lang);
      return c.html(
        <MeasurePage
          lang={c.var.lang}
          view={before}
          code={measure.code}
          path={c.req.path}
          replan={{ milestone, errors, values }}
        />,
        (err as AppError).status as 422,
      );
    }
  });
  app.get('/programs/:program/measures/:code', async (c) => {
    const measure = code(c, 'code');
    const view = await programView(c.var.ctx, code(c, 'program'));
    if (!view.file.measures.some((m) => m.code === measure))
      throw new AppError('not_found', 'errors.not_found', { entity: 'measure', code: measure });
    return c.html(<MeasurePage lang={c.var.lang} view={view} code={measure} path={c.req.path} />);
  });
  app.get('/programs/:program/directives', async (c) => {
    const view = await programView(c.var.ctx, code(c, 'program'));
    return c.html(<DirectiveList lang={c.var.lang} view={view} path={c.req.path} />);
  });
  app.get('/programs/:program/directives/:code', async (c) => {
    const directive = code(c, 'code');
    const view = await programView(c.var.ctx, code(c, 'program'));
    if (!view.file.directives.some((d) => d.code === directive))
      throw new AppError('not_found', 'errors.not_found', { entity: 'directive', code: directive });
    return c.html(<DirectivePage lang={c.var.lang} view={view} code={directive} path={c.req.path} />);
  });
  app.get('/programs/:program/relationships', async (c) => {
    const decision = oneOf(c, 'decision', DECISIONS);
    const view = await programView(c.var.ctx, code(c, 'program'));
    return c.html(<RelationshipList lang={c.var.lang} view={view} path={c.req.path} decision={decision} />);
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
