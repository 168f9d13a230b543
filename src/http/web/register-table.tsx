/** @jsxImportSource hono/jsx */
/**
 * A register as a page: a filter form, a sortable table shown PAGE_SIZE rows at a time, and a CSV
 * export of every row the filters select. The query (`?q=…&status=late&sort=forecast&dir=desc&page=2`)
 * is the whole state, so a filtered view is a link one can share; htmx swaps only the register
 * when the filter changes.
 */
import { stringify } from 'csv-stringify/sync';
import type { Child } from 'hono/jsx';
import { compareCodes } from '../../domain/codes.ts';
import { type Language, translator } from '../../i18n/index.ts';
import { badParameter, oneOfValues } from './params.ts';

export type CellValue = string | number | null;

export interface Column<R> {
  /** The column's name in the query (`sort=`, filter) and in the CSV. */
  key: string;
  /** i18n key of the header. */
  label: string;
  /** The value sorted, filtered on and (for dates and numbers) exported. */
  value: (row: R) => CellValue;
  /** How the value reads: a translated word, a formatted date. Defaults to the value. */
  text?: (row: R) => string;
  /** What the cell shows when text is not enough: a link, a badge. */
  cell?: (row: R) => Child;
  /** `n` numbers (right-aligned), `d` dates (exported as YYYY-MM-DD), `wide` running text that needs room. */
  align?: 'n' | 'd' | 'wide';
  /** Offer a filter on this column: from a closed list of values, or from the values in the data. */
  filter?: readonly string[] | 'values';
  /** How a filter option reads. */
  option?: (value: string) => string;
  /** For a column of several values (the items a measure answers): the values a row has, any of which a filter matches. */
  values?: (row: R) => readonly string[];
}

const valuesOf = <R,>(c: Column<R>, row: R): readonly string[] =>
  c.values ? c.values(row) : [String(c.value(row) ?? '')];

export interface RegisterQuery {
  q: string;
  sort: string | undefined;
  dir: 'asc' | 'desc';
  filters: Record<string, string>;
  /** Which PAGE_SIZE rows to show, from 1. */
  page: number;
}

const MAX_QUERY_TEXT = 200;

/** Rows on one page of a register: at ten times the case a register holds 15,000 milestones. */
export const PAGE_SIZE = 200;

/** Reads a register's query; an unknown column, direction or filter value is a bad request that says which. */
export function parseRegisterQuery<R>(
  query: Record<string, string>,
  columns: ReadonlyArray<Column<R>>,
): RegisterQuery {
  const text = (name: string): string => {
    const value = query[name] ?? '';
    if (value.length > MAX_QUERY_TEXT)
      throw badParameter(`query.${name}`, 'validation.too_big', { maximum: MAX_QUERY_TEXT });
    return value;
  };
  const oneOf = (name: string, allowed: readonly string[]) => oneOfValues(name, text(name), allowed);
  const filters: Record<string, string> = {};
  for (const c of columns) {
    if (!c.filter) continue;
    const value = c.filter === 'values' ? text(c.key) : oneOf(c.key, c.filter);
    if (value) filters[c.key] = value;
  }
  return {
    q: text('q').trim(),
    sort: oneOf(
      'sort',
      columns.map((c) => c.key),
    ),
    dir: (oneOf('dir', ['asc', 'desc']) ?? 'asc') as 'asc' | 'desc',
    filters,
    page: pageOf(text('page')),
  };
}

/** A page number from the query (`?page=N`, 1 when absent); else a 400 naming the parameter. */
export function pageOf(value: string): number {
  if (value === '') return 1;
  const n = Number(value);
  if (!/^\d{1,6}$/.test(value) || n < 1)
    throw badParameter('query.page', 'validation.not_a_page', { input: value });
  return n;
}

const textOf = <R,>(c: Column<R>, row: R): string => (c.text ? c.text(row) : String(c.value(row) ?? ''));

/** The rows that pass the filters and the search, in the order asked for (empty values last). */
export function selectRows<R>(
  rows: readonly R[],
  columns: ReadonlyArray<Column<R>>,
  query: RegisterQuery,
  lang: Language,
): R[] {
  const needle = query.q.toLocaleLowerCase(lang);
  const filtered = rows.filter(
    (row) =>
      columns.every((c) => {
        const wanted = query.filters[c.key];
        return wanted === undefined || valuesOf(c, row).includes(wanted);
      }) &&
      (needle === '' ||
        columns.some(
          (c) =>
            textOf(c, row).toLocaleLowerCase(lang).includes(needle) ||
            String(c.value(row) ?? '')
              .toLocaleLowerCase(lang)
              .includes(needle),
        )),
  );
  const column = columns.find((c) => c.key === query.sort);
  if (!column) return filtered;
  const collator = new Intl.Collator(lang, { numeric: true });
  const sign = query.dir === 'desc' ? -1 : 1;
  return filtered
    .map((row) => ({ row, value: column.value(row) }))
    .sort((a, b) => {
      if (a.value === null || a.value === '') return b.value === null || b.value === '' ? 0 : 1;
      if (b.value === null || b.value === '') return -1;
      const order =
        typeof a.value === 'number' && typeof b.value === 'number'
          ? a.value - b.value
          : collator.compare(String(a.value), String(b.value));
      return sign * order;
    })
    .map((x) => x.row);
}

/** The rows as CSV, headers in the reader's language, with a byte-order mark so Excel reads UTF-8. */
export function registerCsv<R>(
  rows: readonly R[],
  columns: ReadonlyArray<Column<R>>,
  lang: Language,
): string {
  const t = translator(lang);
  // A cell that starts like a formula is quoted, so a spreadsheet opening the file does not run it.
  const safe = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
  const body = stringify([
    columns.map((c) => t(c.label)),
    ...rows.map((row) =>
      columns.map((c) => {
        const v = c.value(row);
        if (typeof v === 'number') return String(v);
        return safe(c.align === 'd' ? (v ?? '') : textOf(c, row));
      }),
    ),
  ]);
  return `\uFEFF${body}`;
}

/** A link to this register with some of the query changed (an empty value drops the parameter). */
function withQuery(path: string, query: RegisterQuery, change: Record<string, string>): string {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  for (const [k, v] of Object.entries(query.filters)) params.set(k, v);
  if (query.sort) {
    params.set('sort', query.sort);
    params.set('dir', query.dir);
  }
  for (const [k, v] of Object.entries(change)) {
    if (v === '') params.delete(k);
    else params.set(k, v);
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export interface RegisterViewProps<R> {
  lang: Language;
  /** The register's own path, without query. */
  path: string;
  columns: ReadonlyArray<Column<R>>;
  /** Every row, before filtering: the filter options come from them. */
  all: readonly R[];
  rows: readonly R[];
  query: RegisterQuery;
  /** A caption for the table, read by screen readers. */
  caption: string;
  /** Links beside the count: XLSX, a create button. */
  actions?: Child;
}

/** The filter form and the table; the part htmx swaps. */
export function RegisterView<R>(props: RegisterViewProps<R>) {
  const t = translator(props.lang);
  const { query, columns, path } = props;
  const filterable = columns.filter((c) => c.filter);
  const optionsOf = (c: Column<R>): string[] =>
    c.filter === 'values'
      ? [...new Set(props.all.flatMap((r) => valuesOf(c, r)).filter(Boolean))].sort(compareCodes)
      : [...(c.filter ?? [])];
  const swap = {
    'hx-target': '#register',
    'hx-select': '#register',
    'hx-swap': 'outerHTML',
    'hx-push-url': 'true',
  };
  // A page past the last shows the last.
  const pages = Math.max(1, Math.ceil(props.rows.length / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const shown = props.rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const pageLink = (to: number, label: string, rel: string) => {
    const href = withQuery(path, query, { page: to === 1 ? '' : String(to) });
    return (
      <a href={href} hx-get={href} rel={rel} {...swap}>
        {label}
      </a>
    );
  };
  return (
    <div id="register">
      <form
        method="get"
        action={path}
        class="filters"
        aria-label={t('ui.register.filters')}
        hx-get={path}
        hx-trigger="change, input delay:400ms from:find input[type=search], submit"
        {...swap}
      >
        <div>
          <label for="register-q">{t('ui.register.search')}</label>
          <input id="register-q" type="search" name="q" value={query.q} maxlength={MAX_QUERY_TEXT} />
        </div>
        {filterable.map((c) => (
          <div>
            <label for={`register-${c.key}`}>{t(c.label)}</label>
            <select id={`register-${c.key}`} name={c.key}>
              <option value="">{t('ui.register.any')}</option>
              {optionsOf(c).map((v) => (
                <option value={v} selected={query.filters[c.key] === v}>
                  {c.option ? c.option(v) : v}
                </option>
              ))}
            </select>
          </div>
        ))}
        {query.sort ? (
          <>
            <input type="hidden" name="sort" value={query.sort} />
            <input type="hidden" name="dir" value={query.dir} />
          </>
        ) : null}
        <div class="filter-actions">
          <button type="submit">{t('ui.register.apply')}</button>{' '}
          <a href={path} hx-get={path} {...swap}>
            {t('ui.register.clear')}
          </a>
        </div>
      </form>
      <p class="sub register-bar">
        <span role="status">
          {t('ui.register.shown', { count: props.rows.length, total: props.all.length })}
        </span>
        {' · '}
        <a href={withQuery(path, query, { format: 'csv' })} download>
          CSV
        </a>
        {props.actions}
      </p>
      {pages > 1 ? (
        <nav class="sub register-pages" aria-label={t('ui.register.pages')}>
          {page > 1 ? pageLink(page - 1, t('ui.register.previous'), 'prev') : null}{' '}
          <span>
            {t('ui.register.page', {
              from: (page - 1) * PAGE_SIZE + 1,
              to: (page - 1) * PAGE_SIZE + shown.length,
              count: props.rows.length,
            })}
          </span>{' '}
          {page < pages ? pageLink(page + 1, t('ui.register.next'), 'next') : null}
        </nav>
      ) : null}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{props.caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => {
                const sorted = query.sort === c.key;
                const next = sorted && query.dir === 'asc' ? 'desc' : 'asc';
                const href = withQuery(path, query, { sort: c.key, dir: next });
                return (
                  <th
                    scope="col"
                    class={c.align}
                    aria-sort={sorted ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    <a class="sort" href={href} hx-get={href} {...swap}>
                      {t(c.label)}
                      <span aria-hidden="true">{sorted ? (query.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                    </a>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {props.rows.length === 0 ? (
              <tr>
                <td colspan={columns.length} class="muted">
                  {t('ui.register.empty')}
                </td>
              </tr>
            ) : null}
            {shown.map((row) => (
              <tr>
                {columns.map((c) => (
                  <td class={c.align}>{c.cell ? c.cell(row) : textOf(c, row) || '—'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
