/** Lint findings in words, in either language. */
import type { Finding } from '../domain/lint/index.ts';
import { type Language, t } from './index.ts';

export function findingMessage(lang: Language, f: Pick<Finding, 'rule' | 'params'>): string {
  const params: Record<string, unknown> = { ...f.params };
  for (const key of ['declared', 'derived'] as const)
    if (typeof params[key] === 'string') params[key] = t(lang, `status.${params[key]}`);
  for (const [key, value] of Object.entries(params))
    if (typeof value === 'boolean') params[key] = t(lang, value ? 'ui.yes' : 'ui.no');
  return t(lang, `lint.${f.rule}`, params);
}

export function withMessages<T extends { findings: Finding[] }>(result: T, lang: Language) {
  return { ...result, findings: result.findings.map((f) => ({ ...f, message: findingMessage(lang, f) })) };
}
