/**
 * The words of a report, shared by every format: headings, labels, dates, statuses and the
 * sentence for each change, in Japanese or English. A renderer lays these out; it never words
 * anything itself, so the HTML, PDF, DOCX and Markdown of one report say the same.
 */
import { findingMessage } from '../i18n/findings.ts';
import { formatDate, titleIn } from '../i18n/format.ts';
import { type Language, translator } from '../i18n/index.ts';
import type { ReportChange } from './changes.ts';
import type { Named, ReportItem, ReportMeasure, ReportModel } from './model.ts';

export interface ReportText {
  lang: Language;
  /** A message of the report (`rpt.*`) or of the shared vocabularies (`status.*`, `decision.*`…). */
  t: (key: string, params?: Record<string, unknown>) => string;
  date: (d: string | null | undefined) => string;
  /** A signed day count in words: 91 days earlier / 30 days later. */
  shift: (days: number | null | undefined) => string;
  name: (n: Named) => string;
  measureTitle: (m: Pick<ReportMeasure, 'title' | 'titleJa'>) => string;
  itemText: (i: Pick<ReportItem, 'text' | 'textJa'>) => string;
  /** The directive's title in the report's language (its own title where it has no Japanese one). */
  directiveTitle: string;
  change: (c: ReportChange) => string;
  finding: (f: ReportModel['findings'][number]) => string;
  /** The sections in order, with their headings: for a table of contents. */
  sections: Array<{ id: string; title: string }>;
  /** The program's cover text for the directive in this language (empty when it has none). */
  cover: string;
}

/** The cover text in the report's language; the other language's where only that one is written. */
export function coverIn(model: ReportModel, lang: Language): string {
  const c = model.cover;
  if (!c) return '';
  return (lang === 'ja' ? (c.ja ?? c.en) : (c.en ?? c.ja)) ?? '';
}

export const SECTION_KEYS = [
  ['items', 'rpt.sectionItems'],
  ['changes', 'rpt.sectionChanges'],
  ['plan', 'rpt.sectionPlan'],
  ['relationships', 'rpt.sectionRelationships'],
  ['governance', 'rpt.sectionGovernance'],
  ['damage', 'rpt.sectionDamage'],
  ['findings', 'rpt.sectionFindings'],
] as const;

export function reportText(model: ReportModel, lang: Language): ReportText {
  const fixed = translator(lang);
  const tr = (key: string, params?: Record<string, unknown>) => fixed(key, params ?? {});
  const date = (d: string | null | undefined) => (d ? formatDate(lang, d) : tr('rpt.undated'));
  const shift = (days: number | null | undefined) =>
    days === null || days === undefined
      ? '—'
      : days < 0
        ? tr('rpt.daysEarlier', { count: -days })
        : days > 0
          ? tr('rpt.daysLater', { count: days })
          : tr('rpt.days', { count: 0 });
  const name = (n: Named) => (lang === 'ja' && n.nameJa ? n.nameJa : n.name);
  const measures = new Map(model.measures.map((m) => [m.code, m]));
  const measureTitle = (m: Pick<ReportMeasure, 'title' | 'titleJa'>) =>
    lang === 'ja' && m.titleJa ? m.titleJa : m.title;
  const titleOf = (code: string) => {
    const m = measures.get(code) ?? model.titles[code];
    return m ? measureTitle(m) : '';
  };
  const change = (c: ReportChange): string => {
    switch (c.kind) {
      case 'directive_issued':
        return tr('rpt.change.directive_issued', { directive: c.directive, on: date(c.on) });
      case 'measure_added':
      case 'measure_completed':
        return tr(`rpt.change.${c.kind}`, { measure: c.measure, title: titleOf(c.measure) });
      case 'milestone_added':
        return tr('rpt.change.milestone_added', { ...c, planned: date(c.planned) });
      case 'milestone_done':
        return tr('rpt.change.milestone_done', { ...c, actual: date(c.actual) });
      case 'brought_forward':
      case 'slipped':
      case 'dated':
      case 'undated':
        return tr(`rpt.change.${c.kind}`, {
          measure: c.measure,
          milestone: c.milestone,
          from: date(c.from),
          to: date(c.to),
          days: shift(c.days),
        });
      case 'verified':
        return tr('rpt.change.verified', {
          ...c,
          on: date(c.on),
          result: c.result ? tr(`result.${c.result}`) : tr('rpt.notYet'),
        });
      case 'decision':
        return tr('rpt.change.decision', {
          relationship: c.relationship,
          from: c.from ? tr(`decision.${c.from}`) : '—',
          to: tr(`decision.${c.to}`),
          on: date(c.on),
          target: c.targetDate ? tr('rpt.target', { date: date(c.targetDate) }) : '',
        });
    }
  };
  return {
    lang,
    t: tr,
    date,
    shift,
    name,
    measureTitle,
    itemText: (i) => (lang === 'ja' && i.textJa ? i.textJa : i.text),
    directiveTitle: titleIn(lang, model.directive),
    change,
    finding: (f) => findingMessage(lang, f),
    sections: SECTION_KEYS.map(([id, key]) => ({ id, title: tr(key) })),
    cover: coverIn(model, lang),
  };
}

/** The file name a report is saved under: LY-2024_MIC-2024-04-16_2024-07-01_ja.pdf. */
export function reportFileName(model: ReportModel, lang: Language, extension: string): string {
  return `${model.program.code}_${model.directive.code}_${model.asOf}_${lang}.${extension}`;
}
