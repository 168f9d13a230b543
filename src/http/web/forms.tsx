/** @jsxImportSource hono/jsx */
/** The re-plan form (a reason is required), and how any form shows an error next to its field. */
import { type Language, translator } from '../../i18n/index.ts';

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

/** Approve or refuse the re-plan that waits on a milestone: a note, required to refuse. */
export function ReplanDecisionForm(props: {
  lang: Language;
  /** The milestone's re-plan address; `/approve` and `/refuse` are added. */
  action: string;
  milestone: string;
  version: number;
  errors?: FieldErrors | undefined;
  values?: Record<string, string> | undefined;
}) {
  const t = translator(props.lang);
  const id = `decide-${props.milestone}`;
  return (
    <form method="post" action={`${props.action}/approve`} class="decision">
      <input type="hidden" name="version" value={String(props.version)} />
      <label for={`${id}-note`}>{t('ui.replan.note')}</label>
      <textarea
        id={`${id}-note`}
        name="note"
        rows={2}
        aria-invalid={props.errors?.note ? 'true' : undefined}
        aria-describedby={props.errors?.note ? `${id}-note-error` : undefined}
      >
        {props.values?.note ?? ''}
      </textarea>
      <FieldError id={`${id}-note`} errors={props.errors} field="note" />
      <FieldError id={`${id}-form`} errors={props.errors} field="" />
      <button type="submit">{t('ui.replan.approve')}</button>{' '}
      <button type="submit" formaction={`${props.action}/refuse`} class="secondary">
        {t('ui.replan.refuse')}
      </button>
    </form>
  );
}

/** A one-button form that posts an action on a record (revoke, disable), beside it in a table row. */
export function InlineAction(props: { action: string; label: string }) {
  return (
    <form method="post" action={props.action} class="inline">
      <button type="submit" class="small-button">
        {props.label}
      </button>
    </form>
  );
}
