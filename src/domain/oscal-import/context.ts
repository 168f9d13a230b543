/**
 * What every step of the OSCAL mapping shares: the POA&M, whether it is Oversight's own export, the
 * pointers read so far, the report being written, the document's day, and the codes taken.
 */
import type { z } from 'zod';
import { type CalendarDate, isCalendarDate } from '../dates.ts';
import { markdownUnescape, OVERSIGHT_NS } from '../oscal.ts';
import { codeSchema, type measureSchema, type milestoneSchema } from '../program-file/schema.ts';
import type { OscalPoam, OscalProp } from './oscal-types.ts';
import { at } from './oscal-types.ts';
import type { MappedEntry, ReportNote, SuppliedEntry, UnmappedEntry, Usage } from './report.ts';

/**
 * Records as the mapping writes them: the program-file schema's input, so that fields with defaults
 * (and fields added later) are filled in by the schema the result is checked with.
 */
export type MilestoneDraft = z.input<typeof milestoneSchema> & { code: string; dependsOn: string[] };
export type MeasureDraft = z.input<typeof measureSchema> & {
  milestones: MilestoneDraft[];
  answers: string[];
};

export interface MapContext {
  poam: OscalPoam;
  /** Oversight's own export: its props carry codes and dates, its prose is generated and skipped. */
  ours: boolean;
  usage: Usage;
  mapped: MappedEntry[];
  supplied: SuppliedEntry[];
  unmapped: UnmappedEntry[];
  /**
   * The day the POA&M speaks for: Oversight's `as-of`, else the day of its last-modified. What it
   * holds was known then, so its milestones are committed on that day.
   */
  day: CalendarDate;
}

/** Oversight's own prop `name` (ns OVERSIGHT_NS) in `props` at `base`, each with its pointer; marks them read. */
export function ownEntries(
  ctx: MapContext,
  props: readonly OscalProp[] | undefined,
  base: string,
  name: string,
): Array<{ value: string; path: string }> {
  const out: Array<{ value: string; path: string }> = [];
  (props ?? []).forEach((p, i) => {
    if (p.ns !== OVERSIGHT_NS || p.name !== name) return;
    const path = at(base, 'props', i);
    ctx.usage.use(path);
    out.push({ value: p.value, path });
  });
  return out;
}

/** The value of Oversight's own prop `name`; marks it read. */
export const own = (ctx: MapContext, props: readonly OscalProp[] | undefined, base: string, name: string) =>
  ownEntries(ctx, props, base, name)[0]?.value;

/** A prop value that must be a calendar date; anything else is reported and ignored. */
export function ownDate(
  ctx: MapContext,
  props: readonly OscalProp[] | undefined,
  base: string,
  name: string,
): CalendarDate | undefined {
  const entry = ownEntries(ctx, props, base, name)[0];
  if (entry === undefined) return undefined;
  if (isCalendarDate(entry.value)) return entry.value;
  ctx.unmapped.push({
    path: entry.path,
    key: 'oscal.unmapped.badProp',
    params: { name, value: entry.value },
  });
  return undefined;
}

export const isCode = (value: string | undefined): value is string =>
  value !== undefined && codeSchema.safeParse(value).success;

/**
 * Text for a field of at most `max` characters, spaces trimmed, cut with an ellipsis when longer (a
 * note says so); empty text gives undefined. A one-line field (a title) gets Markdown's escapes
 * undone; a description keeps its Markdown.
 */
export function fitText(
  text: string | undefined,
  max: number,
  field: string,
  notes: ReportNote[],
  markdown: 'unescape' | 'keep' = 'unescape',
): string | undefined {
  const plain = (markdown === 'unescape' ? markdownUnescape(text ?? '') : (text ?? '')).trim();
  if (plain === '') return undefined;
  if (plain.length <= max) return plain;
  notes.push({ key: 'oscal.note.shortened', params: { field, max } });
  return `${plain.slice(0, max - 1)}…`;
}

/** Hands out codes: the wanted one when it is free and valid, else `fallback`, else `fallback-2`… */
export function codeKeeper() {
  const taken = new Set<string>();
  return {
    has: (code: string) => taken.has(code),
    take(wanted: string | undefined, fallback: string): string {
      let code = isCode(wanted) && !taken.has(wanted) ? wanted : fallback;
      for (let n = 2; taken.has(code); n++) code = `${fallback}-${n}`;
      taken.add(code);
      return code;
    },
  };
}
