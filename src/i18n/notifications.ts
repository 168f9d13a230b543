/**
 * A notification in words, in the reader's language: the same text in the web UI, an e-mail and
 * a webhook's body. Stored notifications hold facts (codes, dates, counts), never sentences, so a
 * person who changes language reads every notification in the new one.
 */
import type { NotificationKind } from '../domain/reminders.ts';
import { findingMessage } from './findings.ts';
import { formatDate, titleIn } from './format.ts';
import { type Language, t } from './index.ts';

export interface NotificationFacts {
  id: string;
  kind: NotificationKind;
  program: string | null;
  params: Record<string, unknown>;
}

export interface NotificationText {
  title: string;
  /** Paragraphs of the body. */
  lines: string[];
  /** Where in the app it leads, a path from the site's root. */
  path: string;
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

function when(lang: Language, days: number): string {
  if (days === 0) return t(lang, 'notify.today');
  return days > 0 ? t(lang, 'notify.inDays', { count: days }) : t(lang, 'notify.agoDays', { count: -days });
}

export function notificationText(lang: Language, n: NotificationFacts): NotificationText {
  const p = n.params;
  const program = n.program ?? '';
  const base = `/programs/${encodeURIComponent(program)}`;
  const date = (v: unknown) => (v ? formatDate(lang, str(v)) : t(lang, 'notify.never'));
  const words: Record<string, unknown> = {
    ...p,
    program,
    when: when(lang, num(p.days)),
    planned: date(p.planned),
    due: date(p.due),
    last: date(p.last),
    performed: date(p.performedOn),
  };
  let path = base;
  const lines: string[] = [];
  switch (n.kind) {
    case 'replan_approval':
      words.from = date(p.from);
      words.to = date(p.to);
      words.by = str(p.by) || '—';
      path = `${base}/measures/${encodeURIComponent(str(p.measure))}`;
      break;
    case 'reverification_due':
      words.recurrence = t(lang, `recurrence.${str(p.recurrence)}`);
      path = `${base}/measures/${encodeURIComponent(str(p.measure))}`;
      break;
    case 'milestone_due':
    case 'milestone_overdue':
    case 'verification_ineffective':
      path = `${base}/measures/${encodeURIComponent(str(p.measure))}`;
      if (n.kind === 'verification_ineffective')
        words.followUp = p.followUp
          ? t(lang, 'notify.followUp', { code: p.followUp })
          : t(lang, 'notify.noFollowUp');
      break;
    case 'report_due':
      words.title = titleIn(lang, {
        title: str(p.title),
        titleJa: typeof p.titleJa === 'string' ? p.titleJa : null,
      });
      path = `${base}/reports`;
      break;
    case 'report_approval':
      path = `${base}/reports/${encodeURIComponent(str(p.report))}`;
      break;
    case 'disclosure_due':
      path = `${base}/disclosures`;
      break;
    case 'lint_error':
      words.message = findingMessage(lang, {
        rule: p.rule as never,
        params: (p.findingParams ?? {}) as never,
      });
      break;
    case 'digest':
      break;
  }
  // A report or public update past its day is late, not "due 3 days ago".
  const late =
    (n.kind === 'report_due' || n.kind === 'disclosure_due' || n.kind === 'reverification_due') &&
    num(p.days) < 0;
  if (late) words.days = -num(p.days);
  if (late || n.kind === 'milestone_overdue')
    words.overdue = t(lang, 'notify.overdueDays', { count: Math.abs(num(p.days)) });
  const key = `${n.kind}${late ? '_late' : ''}`;
  lines.push(t(lang, `notify.body.${key}`, words));
  if (n.kind === 'digest') lines.push(...digestLines(lang, p));
  return { title: t(lang, `notify.title.${key}`, words), lines, path };
}

interface DigestLine {
  code: string;
  measure: string;
  title: string;
  planned: string;
}

function digestLines(lang: Language, p: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof p.lintErrors === 'number') out.push(t(lang, 'notify.digestLint', { count: p.lintErrors }));
  if (typeof p.inReview === 'number') out.push(t(lang, 'notify.digestReview', { count: p.inReview }));
  const list = (key: string, rows: unknown) => {
    if (!Array.isArray(rows) || rows.length === 0) return;
    out.push(
      [
        t(lang, key),
        ...(rows as DigestLine[]).map(
          (r) => `・${t(lang, 'notify.digestLine', { ...r, planned: formatDate(lang, r.planned) })}`,
        ),
      ].join('\n'),
    );
  };
  list('notify.digestLate', p.lateList);
  list('notify.digestSoon', p.dueSoonList);
  return out;
}
