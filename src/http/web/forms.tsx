/** @jsxImportSource hono/jsx */
/** Forms: re-plan a milestone (a reason is required), create a measure; errors next to their fields. */
import type { Child } from 'hono/jsx';
import { MEASURE_CATEGORIES, MEASURE_KINDS } from '../../domain/vocab.ts';
import { type Language, translator } from '../../i18n/index.ts';
import { Layout } from './layout.tsx';

/** Field path → message, from a validation error. */
export type FieldErrors = Record<string, string>;

export function FieldError(props: { id: string; errors?: FieldErrors | undefined; field: string }) {
  const message = props.errors?.[props.field];
  return message ? (
    <p class="field-error" id={`${props.id}-error`} role="alert">
      {message}
    </p>
  ) : null;
}

export function ReplanForm(props: {
  lang: Language;
  action: string;
  milestone: { code: string; planned: string | null; version: number };
  errors?: FieldErrors | undefined;
  values?: Record<string, string> | undefined;
}) {
  const t = translator(props.lang);
  const id = `replan-${props.milestone.code}`;
  const invalid = (field: string) => (props.errors?.[field] ? 'true' : undefined);
  return (
    <details class="form" open={props.errors ? true : undefined}>
      <summary>
        {t('ui.form.replan')} <code>{props.milestone.code}</code>
      </summary>
      <form method="post" action={props.action}>
        <input type="hidden" name="version" value={String(props.milestone.version)} />
        <label for={`${id}-to`}>{t('ui.form.newDate')}</label>
        <input
          id={`${id}-to`}
          name="to"
          type="date"
          value={props.values?.to ?? props.milestone.planned ?? ''}
          aria-invalid={invalid('to')}
          aria-describedby={props.errors?.to ? `${id}-to-error` : undefined}
        />
        <FieldError id={`${id}-to`} errors={props.errors} field="to" />
        <label for={`${id}-reason`}>{t('ui.form.reason')}</label>
        <textarea
          id={`${id}-reason`}
          name="reason"
          rows={3}
          required
          aria-invalid={invalid('reason')}
          aria-describedby={props.errors?.reason ? `${id}-reason-error` : undefined}
        >
          {props.values?.reason ?? ''}
        </textarea>
        <FieldError id={`${id}-reason`} errors={props.errors} field="reason" />
        <FieldError id={`${id}-form`} errors={props.errors} field="" />
        <button type="submit">{t('ui.form.saveReplan')}</button>
      </form>
    </details>
  );
}

export function NewMeasurePage(props: {
  lang: Language;
  program: { code: string; name: string };
  path: string;
  errors?: FieldErrors | undefined;
  values?: Record<string, string> | undefined;
}) {
  const t = translator(props.lang);
  const v = props.values ?? {};
  const field = (name: string, label: string, input: Child) => (
    <div class="field">
      <label for={`m-${name}`}>{label}</label>
      {input}
      <FieldError id={`m-${name}`} errors={props.errors} field={name} />
    </div>
  );
  const attrs = (name: string) => ({
    id: `m-${name}`,
    name,
    'aria-invalid': props.errors?.[name] ? 'true' : undefined,
    'aria-describedby': props.errors?.[name] ? `m-${name}-error` : undefined,
  });
  return (
    <Layout
      lang={props.lang}
      title={t('ui.form.newMeasure')}
      program={props.program}
      current="measures"
      path={props.path}
    >
      <h1>{t('ui.form.newMeasure')}</h1>
      {props.errors ? (
        <p class="field-error" role="alert">
          {t('ui.form.fix', { count: Object.keys(props.errors).length })}
        </p>
      ) : null}
      <form
        method="post"
        action={`/programs/${encodeURIComponent(props.program.code)}/measures/new`}
        class="card form-grid"
      >
        {field('code', t('app.code'), <input {...attrs('code')} value={v.code ?? ''} required />)}
        {field('title', t('ui.title'), <input {...attrs('title')} value={v.title ?? ''} required />)}
        {field(
          'category',
          t('ui.category'),
          <select {...attrs('category')}>
            {MEASURE_CATEGORIES.map((c) => (
              <option value={c} selected={v.category === c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </select>,
        )}
        {field(
          'kind',
          t('ui.kind'),
          <select {...attrs('kind')}>
            {MEASURE_KINDS.map((k) => (
              <option value={k} selected={v.kind === k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>,
        )}
        {field('owner', t('ui.owner'), <input {...attrs('owner')} value={v.owner ?? ''} />)}
        {field(
          'milestones[0].title',
          t('ui.form.firstMilestone'),
          <input {...attrs('milestones[0].title')} value={v['milestones[0].title'] ?? ''} />,
        )}
        {field(
          'milestones[0].planned',
          t('ui.form.firstMilestoneDate'),
          <input
            {...attrs('milestones[0].planned')}
            value={v['milestones[0].planned'] ?? ''}
            placeholder="YYYY-MM-DD"
          />,
        )}
        <div>
          <button type="submit">{t('ui.form.create')}</button>
        </div>
      </form>
    </Layout>
  );
}
