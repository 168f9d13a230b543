/**
 * Checks on raw input before any schema sees it: text PostgreSQL cannot store (NUL characters,
 * lone UTF-16 surrogates), and nesting deep enough to exhaust a recursive validator. Iterative, so
 * no input can overflow the stack here.
 */
import type { FieldIssue } from './errors.ts';
import { formatPath } from './errors.ts';

export const MAX_DEPTH = 32;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);

export function inputSafetyIssues(
  value: unknown,
  maxDepth = MAX_DEPTH,
): Array<FieldIssue & { rawPath: PropertyKey[] }> {
  const issues: Array<FieldIssue & { rawPath: PropertyKey[] }> = [];
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value, path: [] }];
  const add = (rawPath: PropertyKey[], key: string, params?: Record<string, unknown>) =>
    issues.push({ rawPath, path: formatPath(rawPath), key, ...(params ? { params } : {}) });
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) add(path, 'validation.text_nul');
      else if (!wellFormed(v)) add(path, 'validation.text_surrogate');
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    // Containers count: a directive item nests as an object inside an `items` list.
    if (path.length > maxDepth * 2) {
      add(path, 'validation.too_deep', { max: maxDepth });
      continue;
    }
    if (Array.isArray(v)) v.forEach((item, i) => stack.push({ value: item, path: [...path, i] }));
    else
      for (const [k, item] of Object.entries(v)) {
        if (!wellFormed(k) || k.includes('\u0000')) add([...path, k], 'validation.text_surrogate');
        stack.push({ value: item, path: [...path, k] });
      }
  }
  return issues.reverse();
}
