/**
 * Traceability: which measures answer which directive items. A leaf item is covered when a measure
 * answers it; an item with sub-items is covered when a measure answers it or every sub-item is
 * covered. Coverage per directive counts its leaf items.
 */
import type { DirectiveItemInput, ProgramFile } from './program-file/schema.ts';

export interface TraceRow {
  directive: string;
  item: string;
  label: string | null;
  text: string;
  depth: number;
  leaf: boolean;
  measures: string[];
  covered: boolean;
}

export interface DirectiveCoverage {
  directive: string;
  leaves: number;
  covered: number;
  /** covered / leaves, 1 when the directive has no items. */
  coverage: number;
}

export interface Traceability {
  rows: TraceRow[];
  directives: DirectiveCoverage[];
  /** Items nobody answers: uncovered leaves. */
  unanswered: TraceRow[];
  /** Measures that answer no directive item. */
  answersNothing: string[];
}

export function traceability(file: ProgramFile): Traceability {
  const answeredBy = new Map<string, string[]>();
  for (const m of file.measures)
    for (const code of m.answers) {
      const list = answeredBy.get(code);
      if (list) list.push(m.code);
      else answeredBy.set(code, [m.code]);
    }

  const rows: TraceRow[] = [];
  const directives: DirectiveCoverage[] = [];
  for (const d of file.directives) {
    let leaves = 0;
    let covered = 0;
    const visit = (item: DirectiveItemInput, depth: number): boolean => {
      const row: TraceRow = {
        directive: d.code,
        item: item.code,
        label: item.label ?? null,
        text: item.text,
        depth,
        leaf: item.items.length === 0,
        measures: answeredBy.get(item.code) ?? [],
        covered: false,
      };
      rows.push(row);
      const children = item.items.map((child) => visit(child, depth + 1));
      row.covered = row.measures.length > 0 || (children.length > 0 && children.every(Boolean));
      if (row.leaf) {
        leaves++;
        if (row.covered) covered++;
      }
      return row.covered;
    };
    d.items.forEach((item) => visit(item, 0));
    directives.push({ directive: d.code, leaves, covered, coverage: leaves === 0 ? 1 : covered / leaves });
  }
  return {
    rows,
    directives,
    unanswered: rows.filter((r) => r.leaf && !r.covered),
    answersNothing: file.measures
      .filter((m) => m.answers.length === 0 && m.status !== 'cancelled')
      .map((m) => m.code),
  };
}
