/** Lint findings in words, in either language. */
import type { Finding } from '../domain/lint/index.ts';
import { formatDate } from './format.ts';
import { type Language, t } from './index.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function findingMessage(lang: Language, f: Pick<Finding, 'rule' | 'params'>): string {
  const params: Record<string, unknown> = { ...f.params };
  for (const key of ['declared', 'derived'] as const)
    if (typeof params[key] === 'string') params[key] = t(lang, `status.${params[key]}`);
  if (typeof params.recurrence === 'string') params.recurrence = t(lang, `recurrence.${params.recurrence}`);
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'boolean') params[key] = t(lang, value ? 'ui.yes' : 'ui.no');
    // Dates read as the reader writes them: 2026年3月31日, 31 Mar 2026.
    if (typeof value === 'string' && ISO_DATE.test(value)) params[key] = formatDate(lang, value);
  }
  return t(lang, `lint.${f.rule}`, params);
}

export function withMessages<T extends { findings: Finding[] }>(result: T, lang: Language) {
  return { ...result, findings: result.findings.map((f) => ({ ...f, message: findingMessage(lang, f) })) };
}
