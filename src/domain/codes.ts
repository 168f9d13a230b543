/** Codes sort the way a person reads them: `M-2` before `M-10`. */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

export const compareCodes = (a: string, b: string): number =>
  collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

export function sortByCode<T extends { code: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => compareCodes(a.code, b.code));
}
