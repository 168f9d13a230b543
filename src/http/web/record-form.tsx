/** @jsxImportSource hono/jsx */
/**
 * Create and edit forms described by their fields: the same description renders the form, turns
 * what was posted into the service's input, and places each validation error next to its field.
 */
import type { Child } from 'hono/jsx';
import { type Language, translator } from '../../i18n/index.ts';
import { FieldError, type FieldErrors } from './forms.tsx';

export type FieldType = 'text' | 'textarea' | 'date' | 'select' | 'multi' | 'list' | 'number' | 'checkbox';

export interface Option {
  value: string;
  label: string;
}

export interface FieldSpec {
  /** The service's field (and the form's input name). */
  name: string;
  /** i18n key of the label. */
  label: string;
  type: FieldType;
  required?: boolean;
  options?: Option[];
  /** i18n key of a hint under the field. */
  hint?: string;
  /** Only when creating (a code, the parent record); an edit leaves it as it is. */
  createOnly?: boolean;
  /** The value a new record starts with. */
  initial?: string;
}

export type FormMode = 'create' | 'edit';

/** What a form posted: `parseBody({ all: true })`, so repeated names arrive as arrays. */
export type PostedForm = Record<string, string | File | Array<string | File>>;

const strings = (v: PostedForm[string] | undefined): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

/**
 * The service input a form posted. An empty optional field is left out when creating and cleared
 * (null) when editing; an empty required one is sent empty, so the service says it is required.
 */
export function inputOf(
  fields: readonly FieldSpec[],
  posted: PostedForm,
  mode: FormMode,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const empty = (f: FieldSpec) => {
    if (f.required) input[f.name] = '';
    else if (mode === 'edit') input[f.name] = null;
  };
  for (const f of fields) {
    if (mode === 'edit' && f.createOnly) continue;
    const values = strings(posted[f.name]);
    const first = (values[0] ?? '').trim();
    switch (f.type) {
      case 'multi':
        input[f.name] = values.filter((v) => v !== '');
        break;
      case 'list':
        input[f.name] = values
          .join('\n')
          .split(/[\n,、]/)
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case 'checkbox':
        if (values.length > 0) input[f.name] = true;
        else if (mode === 'edit') input[f.name] = null;
        break;
      case 'number': {
        if (first === '') empty(f);
        else input[f.name] = Number.isFinite(Number(first)) ? Number(first) : first;
        break;
      }
      case 'textarea':
        if (first === '') empty(f);
        else input[f.name] = values[0];
        break;
      default:
        if (first === '') empty(f);
        else input[f.name] = first;
    }
  }
  return input;
}

/** Error messages by the field they belong to; a message about no field of the form goes to the form (""). */
export function errorsByField(fields: readonly FieldSpec[], errors: FieldErrors): FieldErrors {
  const names = fields.map((f) => f.name).sort((a, b) => b.length - a.length);
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    const field = names.find((n) => path === n || path.startsWith(`${n}.`) || path.startsWith(`${n}[`)) ?? '';
    out[field] = out[field] ? `${out[field]} ${message}` : message;
  }
  return out;
}

/** A record's stored value as the strings a field shows. */
function shown(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(String);
  return [String(value)];
}

export function RecordForm(props: {
  lang: Language;
  action: string;
  mode: FormMode;
  fields: readonly FieldSpec[];
  /** The record as stored (edit), or what was posted (after an error). */
  values: Record<string, unknown>;
  errors?: FieldErrors | undefined;
  version?: number | undefined;
  submit: string;
  /** Prefix of the inputs' ids, where one page holds two forms. */
  idPrefix?: string | undefined;
}) {
  const t = translator(props.lang);
  const fields = props.fields.filter((f) => props.mode === 'create' || !f.createOnly);
  const errors = props.errors ? errorsByField(fields, props.errors) : undefined;
  const id = (f: FieldSpec) => `${props.idPrefix ?? 'f-'}${f.name}`;
  const attrs = (f: FieldSpec) => ({
    id: id(f),
    name: f.name,
    'aria-invalid': errors?.[f.name] ? 'true' : undefined,
    'aria-describedby':
      [errors?.[f.name] ? `${id(f)}-error` : '', f.hint ? `${id(f)}-hint` : ''].filter(Boolean).join(' ') ||
      undefined,
  });
  const control = (f: FieldSpec): Child => {
    const current = shown(props.values[f.name]);
    const value = current[0] ?? (props.mode === 'create' ? (f.initial ?? '') : '');
    switch (f.type) {
      case 'textarea':
        return (
          <textarea {...attrs(f)} rows={4}>
            {value}
          </textarea>
        );
      case 'date':
        return <input {...attrs(f)} value={value} placeholder="YYYY-MM-DD" inputmode="numeric" />;
      case 'number':
        return <input {...attrs(f)} value={value} inputmode="decimal" />;
      case 'checkbox':
        return (
          <input
            {...attrs(f)}
            type="checkbox"
            class="check"
            checked={current[0] === 'true' || current[0] === 'on'}
          />
        );
      case 'list':
        return (
          <textarea {...attrs(f)} rows={3}>
            {current.join('\n')}
          </textarea>
        );
      case 'select':
      case 'multi': {
        const multi = f.type === 'multi';
        const chosen = new Set(current.length > 0 ? current : f.initial ? [f.initial] : []);
        return (
          <select
            {...attrs(f)}
            multiple={multi}
            size={multi ? Math.min(8, f.options?.length ?? 1) : undefined}
          >
            {multi || f.required ? null : <option value="">—</option>}
            {(f.options ?? []).map((o) => (
              <option value={o.value} selected={chosen.has(o.value)}>
                {o.label}
              </option>
            ))}
          </select>
        );
      }
      default:
        return <input {...attrs(f)} value={value} />;
    }
  };
  return (
    <form method="post" action={props.action} class="card form-grid" novalidate>
      {errors ? (
        <p class="field-error form-wide" role="alert">
          {t('ui.form.fix', { count: Object.keys(errors).length })}
          {errors[''] ? ` ${errors['']}` : ''}
        </p>
      ) : null}
      {props.version !== undefined ? (
        <input type="hidden" name="version" value={String(props.version)} />
      ) : null}
      {fields.map((f) => (
        <div
          class={`field${f.type === 'textarea' || f.type === 'list' ? ' form-wide' : f.type === 'multi' ? ' multi' : ''}`}
        >
          <label for={id(f)}>
            {t(f.label)}
            {f.required ? <span class="muted"> *</span> : null}
          </label>
          {control(f)}
          {f.hint ? (
            <p class="small muted hint" id={`${id(f)}-hint`}>
              {t(f.hint)}
            </p>
          ) : null}
          <FieldError id={id(f)} errors={errors} field={f.name} />
        </div>
      ))}
      <div class="form-wide">
        <button type="submit">{props.submit}</button>
      </div>
    </form>
  );
}

/** What a posted form showed, to fill the form again after an error. */
export function postedValues(posted: PostedForm): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(posted).map(([k, v]) => {
      const list = strings(v);
      return [k, list.length === 1 ? list[0] : list];
    }),
  );
}
