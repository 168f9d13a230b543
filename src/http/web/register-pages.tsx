/** @jsxImportSource hono/jsx */
/**
 * The routes of every register: the list (HTML, an htmx fragment, or CSV), the create form and the
 * edit form. A form that fails comes back with what was typed and each error next to its field;
 * nothing is written.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { allows, type Principal } from '../../domain/access.ts';
import { AppError } from '../../domain/errors.ts';
import { type Language, t, translator } from '../../i18n/index.ts';
import { recordHistory } from '../../services/audit.service.ts';
import { type ProgramView, programView } from '../../services/view.service.ts';
import type { AppEnv } from '../env.ts';
import type { FieldErrors } from './forms.tsx';
import { History } from './history.tsx';
import { Layout, type LayoutProps } from './layout.tsx';
import { codeParam, queryOneOf } from './params.ts';
import { type FieldSpec, inputOf, type PostedForm, postedValues, RecordForm } from './record-form.tsx';
import type { AnyRegister, FormState, Kit } from './register-kit.tsx';
import { parseRegisterQuery, RegisterView, registerCsv, selectRows } from './register-table.tsx';
import { GROUP_REGISTERS } from './registers-group.tsx';
import { PLAN_REGISTERS } from './registers-plan.tsx';
import { verificationsRegister } from './registers-verification.tsx';

export const REGISTERS: AnyRegister[] = [...PLAN_REGISTERS, verificationsRegister, ...GROUP_REGISTERS];

const MAX_PREFILL = 200;

/** Registers whose records are units of the audit log, with a history of their own. */
const HISTORY_UNITS = new Set(['measures', 'relationships', 'systems', 'access', 'incidents']);

/** A posted form; a body that is not a form reads as an empty one (and so fails validation, writing nothing). */
export async function postedForm(c: Context<AppEnv>): Promise<PostedForm> {
  return (await c.req.parseBody({ all: true }).catch(() => ({}))) as PostedForm;
}

/** A failed write as one message for the top of a form: each field's problem after its path. */
export function formError(err: unknown, lang: Language): string {
  if (!(err instanceof AppError) || err.code === 'internal') throw err;
  return err.issues.length > 0
    ? err.issues.map((i) => `${i.path}: ${t(lang, i.key, i.params)}`).join(' ')
    : t(lang, err.key, err.params);
}

/** A failed write as messages by field path; an error about no field goes to the form (""). */
export function fieldErrors(err: unknown, lang: Language): FieldErrors {
  if (!(err instanceof AppError) || err.code === 'internal') throw err;
  if (err.issues.length === 0) return { '': t(lang, err.key, err.params) };
  const out: FieldErrors = {};
  for (const i of err.issues) {
    const message = t(lang, i.key, i.params);
    out[i.path] = out[i.path] ? `${out[i.path]} ${message}` : message;
  }
  return out;
}

/** The status a failed form answers with: the error's own (422 for validation, 409 for a stale version…). */
const statusOf = (err: unknown) => (err instanceof AppError ? err.status : 422) as 422;

export function kitOf(lang: Language, view: ProgramView, principal: Principal): Kit {
  const program = view.file.program.code;
  return {
    lang,
    t: translator(lang),
    view,
    base: `/programs/${encodeURIComponent(program)}`,
    may: (permission) => allows(principal, permission, program),
  };
}

/** A page of a program's register, in the program's frame. */
function Page(props: Omit<LayoutProps, 'program'> & { kit: Kit }) {
  const p = props.kit.view.file.program;
  return (
    <Layout {...props} program={{ code: p.code, name: p.name }}>
      {props.children}
    </Layout>
  );
}

function FormPage(props: {
  kit: Kit;
  def: AnyRegister;
  path: string;
  heading: string;
  crumb: string;
  form: {
    action: string;
    mode: 'create' | 'edit';
    fields: FieldSpec[];
    values: Record<string, unknown>;
    errors?: FieldErrors | undefined;
    version?: number | undefined;
    submit: string;
  };
  extra?: unknown;
}) {
  const { kit, def } = props;
  return (
    <Page kit={kit} lang={kit.lang} title={props.heading} current={def.path} path={props.path}>
      <p class="small muted">
        <a href={`${kit.base}/${def.path}`}>{kit.t(def.title)}</a> / <code>{props.crumb}</code>
      </p>
      <h1>{props.heading}</h1>
      <RecordForm lang={kit.lang} {...props.form} />
      {props.extra as never}
    </Page>
  );
}

function registerList(app: OpenAPIHono<AppEnv>, def: AnyRegister): void {
  app.get(`/programs/:program/${def.path}`, async (c) => {
    const lang = c.var.lang;
    const format = queryOneOf(c, 'format', ['html', 'csv']);
    const view = await programView(c.var.ctx, codeParam(c, 'program'), 'program.shared');
    const kit = kitOf(lang, view, c.var.ctx.actor.principal);
    const columns = def.columns(kit);
    const query = parseRegisterQuery(c.req.query(), columns);
    const all = def.rows(view);
    const rows = selectRows(all, columns, query, lang);
    if (format === 'csv') {
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header(
        'content-disposition',
        `attachment; filename="${view.file.program.code}-${def.path}-${view.today}.csv"`,
      );
      return c.body(registerCsv(rows, columns, lang));
    }
    c.header('vary', 'HX-Request');
    const table = (
      <RegisterView
        lang={lang}
        path={`${kit.base}/${def.path}`}
        columns={columns}
        all={all}
        rows={rows}
        query={query}
        caption={kit.t(def.title)}
        actions={def.actions?.(kit)}
      />
    );
    // htmx asks for the register alone; a history restore asks for the whole page.
    if (c.req.header('hx-request') === 'true' && c.req.header('hx-history-restore-request') !== 'true')
      return c.html(table);
    return c.html(
      <Page kit={kit} lang={lang} title={kit.t(def.title)} current={def.path} path={c.req.path}>
        <div class="page-head">
          <h1>{kit.t(def.title)}</h1>
          {def.create && kit.may(def.create.permission) ? (
            <a class="button" href={`${kit.base}/${def.path}/new`}>
              {kit.t(def.create.label)}
            </a>
          ) : null}
        </div>
        {table}
      </Page>,
    );
  });
}

function registerCreate(app: OpenAPIHono<AppEnv>, def: AnyRegister): void {
  const create = def.create;
  if (!create) return;
  const page = (c: Context<AppEnv>, kit: Kit, values: Record<string, unknown>, errors?: FieldErrors) => (
    <FormPage
      kit={kit}
      def={def}
      path={c.req.path}
      heading={kit.t(create.label)}
      crumb={kit.t('ui.form.new')}
      form={{
        action: `${kit.base}/${def.path}/new`,
        mode: 'create',
        fields: create.fields(kit),
        values,
        errors,
        submit: kit.t('ui.form.create'),
      }}
    />
  );
  app.get(`/programs/:program/${def.path}/new`, async (c) => {
    const kit = kitOf(
      c.var.lang,
      await programView(c.var.ctx, codeParam(c, 'program'), 'program.shared'),
      c.var.ctx.actor.principal,
    );
    // A link may fill some fields in advance (`?incident=I-1`); they are only shown, and checked on save.
    const names = new Set(create.fields(kit).map((f) => f.name));
    const prefill = Object.fromEntries(
      Object.entries(c.req.query()).filter(([k, v]) => names.has(k) && v.length <= MAX_PREFILL),
    );
    return c.html(page(c, kit, prefill));
  });
  app.post(`/programs/:program/${def.path}/new`, async (c) => {
    const program = codeParam(c, 'program');
    const posted = await postedForm(c);
    const kit = kitOf(
      c.var.lang,
      await programView(c.var.ctx, program, 'program.shared'),
      c.var.ctx.actor.principal,
    );
    const input = inputOf(create.fields(kit), posted, 'create');
    try {
      await create.run(c.var.ctx, program, input, kit);
      return c.redirect(`${kit.base}${create.next(input)}`, 303);
    } catch (err) {
      const errors = fieldErrors(err, c.var.lang);
      return c.html(page(c, kit, postedValues(posted), errors), statusOf(err));
    }
  });
}

function registerEdit(app: OpenAPIHono<AppEnv>, def: AnyRegister): void {
  const edit = def.edit;
  if (!edit) return;
  const route = `/programs/:program/${def.path}/:code/edit`;
  const load = async (c: Context<AppEnv>) => {
    const program = codeParam(c, 'program');
    const code = codeParam(c, 'code');
    const kit = kitOf(
      c.var.lang,
      await programView(c.var.ctx, program, 'program.shared'),
      c.var.ctx.actor.principal,
    );
    const target = edit.record(kit.view, code);
    if (!target) throw new AppError('not_found', 'errors.not_found', { entity: def.path, code });
    const related = (await edit.related?.(c.var.ctx, program, code)) ?? {};
    // The record's history, for those who read the whole program (a contractor sees its own attestations instead).
    const history =
      HISTORY_UNITS.has(def.path) && kit.may('program.read')
        ? await recordHistory(c.var.ctx, program, def.path, code)
        : undefined;
    return { program, code, kit, target, related, history };
  };
  const page = (
    c: Context<AppEnv>,
    { code, kit, target, related, history }: Awaited<ReturnType<typeof load>>,
    values: Record<string, unknown>,
    errors?: FieldErrors,
    panel?: FormState,
  ) => (
    <FormPage
      kit={kit}
      def={def}
      path={c.req.path}
      heading={target.title}
      crumb={code}
      form={{
        action: `${kit.base}/${def.path}/${encodeURIComponent(code)}/edit`,
        mode: 'edit',
        fields: edit.fields(kit),
        values,
        errors,
        version: target.version,
        submit: kit.t('ui.form.save'),
      }}
      extra={
        <>
          {edit.extra?.(kit, code, panel, related)}
          {history ? (
            <History lang={kit.lang} entries={history} timeZone={kit.view.file.program.timeZone} />
          ) : null}
        </>
      }
    />
  );
  app.get(route, async (c) => {
    const loaded = await load(c);
    return c.html(page(c, loaded, loaded.target.values));
  });
  app.post(route, async (c) => {
    const posted = await postedForm(c);
    const loaded = await load(c);
    const input = { ...inputOf(edit.fields(loaded.kit), posted, 'edit'), version: Number(posted.version) };
    try {
      await edit.run(c.var.ctx, loaded.program, loaded.code, input);
      return c.redirect(`${loaded.kit.base}${edit.next(loaded.code)}`, 303);
    } catch (err) {
      const errors = fieldErrors(err, c.var.lang);
      return c.html(page(c, loaded, postedValues(posted), errors), statusOf(err));
    }
  });
  for (const action of edit.actions ?? [])
    app.post(`/programs/:program/${def.path}/:code/${action.path}`, async (c) => {
      const posted = await postedForm(c);
      const loaded = await load(c);
      const input = {
        ...inputOf(action.fields(loaded.kit), posted, 'create'),
        ...(posted.version !== undefined ? { version: Number(posted.version) } : {}),
      };
      try {
        await action.run(c.var.ctx, loaded.program, loaded.code, input);
        return c.redirect(`${loaded.kit.base}${action.next(loaded.code)}`, 303);
      } catch (err) {
        const errors = fieldErrors(err, c.var.lang);
        const state = { action: action.path, errors, values: postedValues(posted) };
        return c.html(page(c, loaded, loaded.target.values, undefined, state), statusOf(err));
      }
    });
}

/** Every register's routes; registered before a program's other pages, so `/measures/new` is not read as a measure. */
export function registerRegisterPages(app: OpenAPIHono<AppEnv>): void {
  for (const def of REGISTERS) {
    registerList(app, def);
    registerCreate(app, def);
    registerEdit(app, def);
  }
}
