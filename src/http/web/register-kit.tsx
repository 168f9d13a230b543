/** @jsxImportSource hono/jsx */
/** What every register is made of: its rows, columns and forms; and the columns and options they share. */

import type { Child } from 'hono/jsx';
import type { TFunction } from 'i18next';
import type { Permission } from '../../domain/access.ts';
import { AppError } from '../../domain/errors.ts';
import type { DirectiveItemInput } from '../../domain/program-file/schema.ts';
import { formatDate } from '../../i18n/format.ts';
import type { Language } from '../../i18n/index.ts';
import type { ServiceContext } from '../../services/context.ts';
import type { ProgramView } from '../../services/view.service.ts';
import type { FieldErrors } from './forms.tsx';
import type { FieldSpec, Option } from './record-form.tsx';
import type { Column } from './register-table.tsx';

export interface Kit {
  lang: Language;
  t: TFunction;
  view: ProgramView;
  /** `/programs/CODE`. */
  base: string;
  /** Whether the reader holds a permission in this program: forms they may not use are not shown. */
  may: (permission: Permission) => boolean;
}

/** A form that came back with errors: which one, what was posted and the messages by field. */
export interface FormState {
  action: string;
  errors: FieldErrors;
  values: Record<string, unknown>;
}

export interface EditTarget {
  values: Record<string, unknown>;
  version: number;
  /** The page's heading. */
  title: string;
}

export interface RegisterDef<R> {
  /** The URL segment under the program, and the navigation key. */
  path: string;
  /** i18n key of the page title. */
  title: string;
  rows: (view: ProgramView) => R[];
  columns: (kit: Kit) => Column<R>[];
  /** Links beside the count (an XLSX export…). */
  actions?: (kit: Kit) => Child;
  create?: {
    label: string;
    /** Who may create one: the button is shown to them only. */
    permission: Permission;
    fields: (kit: Kit) => FieldSpec[];
    run: (ctx: ServiceContext, program: string, input: Record<string, unknown>, kit: Kit) => Promise<unknown>;
    /** Where to go once created, under the program. */
    next: (input: Record<string, unknown>) => string;
  };
  edit?: {
    fields: (kit: Kit) => FieldSpec[];
    record: (view: ProgramView, code: string) => EditTarget | undefined;
    run: (
      ctx: ServiceContext,
      program: string,
      code: string,
      input: Record<string, unknown>,
    ) => Promise<unknown>;
    /** Where to go once saved, under the program. */
    next: (code: string) => string;
    /** What else the edit page shows that the program view does not hold (attestations…). */
    related?: (ctx: ServiceContext, program: string, code: string) => Promise<Related>;
    /** More on the edit page: history, related records, the forms of `actions`. */
    extra?: (kit: Kit, code: string, state: FormState | undefined, related: Related) => Child;
    /** More forms on the edit page, each posted to `<code>/<path>` (a decision, an attestation). */
    actions?: Array<{
      path: string;
      fields: (kit: Kit) => FieldSpec[];
      run: (
        ctx: ServiceContext,
        program: string,
        code: string,
        input: Record<string, unknown>,
      ) => Promise<unknown>;
      /** Where to go once done, under the program. */
      next: (code: string) => string;
    }>;
  };
}

/** What an edit page loaded besides the program view. */
export type Related = Record<string, unknown>;

/** A register of some row type, stored beside registers of other row types. */
// biome-ignore lint/suspicious/noExplicitAny: the row type is private to each register's own functions
export type AnyRegister = RegisterDef<any>;

export const enc = encodeURIComponent;

/** The current version of a record, as the forms that edit it must send. */
export const versionOf = (view: ProgramView, kind: string, code: string): number =>
  view.meta.get(`${kind}:${code}`)?.version ?? 0;

/** A column of a closed vocabulary, read through `ns.value`, with a filter of its values. */
export function vocabColumn<R>(
  kit: Kit,
  key: string,
  label: string,
  ns: string,
  values: readonly string[],
  get: (r: R) => string | null | undefined,
): Column<R> {
  const word = (v: string) => kit.t(`${ns}.${v}`);
  return {
    key,
    label,
    value: (r) => get(r) ?? null,
    text: (r) => {
      const v = get(r);
      return v ? word(v) : '';
    },
    filter: values,
    option: word,
  };
}

export function dateColumn<R>(
  kit: Kit,
  key: string,
  label: string,
  get: (r: R) => string | null | undefined,
): Column<R> {
  return {
    key,
    label,
    value: (r) => get(r) ?? null,
    text: (r) => (get(r) ? formatDate(kit.lang, get(r)) : ''),
    align: 'd',
  };
}

export function numberColumn<R>(key: string, label: string, get: (r: R) => number | null): Column<R> {
  return { key, label, value: get, align: 'n' };
}

/** A code that links to its record. */
export function linkColumn<R>(
  key: string,
  label: string,
  get: (r: R) => string,
  href: (r: R) => string,
): Column<R> {
  return {
    key,
    label,
    value: get,
    cell: (r) => (
      <a href={href(r)}>
        <code>{get(r)}</code>
      </a>
    ),
  };
}

export const vocabOptions = (t: TFunction, ns: string, values: readonly string[]): Option[] =>
  values.map((v) => ({ value: v, label: t(`${ns}.${v}`) }));

const named = (code: string, name?: string) => ({ value: code, label: name ? `${code} — ${name}` : code });

export const organizationOptions = (kit: Kit): Option[] =>
  kit.view.file.organizations.map((o) => named(o.code, kit.lang === 'ja' && o.nameJa ? o.nameJa : o.name));

export const systemOptions = (kit: Kit): Option[] => kit.view.file.systems.map((s) => named(s.code, s.name));

export const measureOptions = (kit: Kit): Option[] =>
  kit.view.file.measures.map((m) => named(m.code, kit.lang === 'ja' && m.titleJa ? m.titleJa : m.title));

export const milestoneOptions = (kit: Kit): Option[] =>
  kit.view.file.measures.flatMap((m) => m.milestones.map((ms) => named(ms.code, ms.title)));

/** Directive items, labelled with their directive, label and the start of their text. */
export function itemOptions(kit: Kit): Option[] {
  return kit.view.file.directives.flatMap((d) => {
    const out: Option[] = [];
    const walk = (items: DirectiveItemInput[]) =>
      items.forEach((i) => {
        const text = i.text.length > 60 ? `${i.text.slice(0, 60)}…` : i.text;
        out.push({ value: i.code, label: `${d.code} ${i.label ?? ''} ${i.code} — ${text}` });
        walk(i.items);
      });
    walk(d.items);
    return out;
  });
}

/** The provenance fields every record has. */
export const provenanceFields: FieldSpec[] = [
  { name: 'source', label: 'fields.source', type: 'text' },
  { name: 'illustrative', label: 'fields.illustrative', type: 'checkbox', hint: 'fields.illustrativeHint' },
];

/** The first fields of a record created under a measure (a milestone, a verification): the measure, then its code. */
export const underMeasureFields = (kit: Kit): FieldSpec[] => [
  {
    name: 'measure',
    label: 'fields.measure',
    type: 'select',
    required: true,
    createOnly: true,
    options: measureOptions(kit),
  },
  {
    name: 'code',
    label: 'fields.code',
    type: 'text',
    required: true,
    createOnly: true,
    hint: 'fields.codeHint',
  },
];

/** Creates a record under the measure the form chose: the rest of the input goes to `create`. */
export const underMeasure =
  <T,>(create: (ctx: ServiceContext, program: string, measure: string, input: unknown) => Promise<T>) =>
  (ctx: ServiceContext, program: string, { measure, ...rest }: Record<string, unknown>): Promise<T> => {
    if (!measure)
      throw new AppError('validation', 'errors.validation', { count: 1 }, [
        { path: 'measure', key: 'validation.required' },
      ]);
    return create(ctx, program, String(measure), rest);
  };
