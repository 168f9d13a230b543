/** Dates and numbers as a person reads them, in Japanese or English. */
import type { Language } from './index.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A calendar date: 2024年7月1日 / 1 Jul 2024; an empty mark when there is none. */
export function formatDate(lang: Language, date: string | null | undefined): string {
  if (!date) return '—';
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return lang === 'ja' ? `${y}年${m}月${d}日` : `${d} ${MONTHS[m - 1]} ${y}`;
}

/** Days as a signed count: +12 d / −30 d (ja: +12日 / −30日). */
export function formatDays(lang: Language, days: number | null | undefined): string {
  if (days === null || days === undefined) return '—';
  const sign = days > 0 ? '+' : days < 0 ? '−' : '±';
  return `${sign}${Math.abs(days)}${lang === 'ja' ? '日' : ' d'}`;
}

/** An instant in a time zone (the program's; Tokyo by default): 2026年11月26日 19:32 / 26 Nov 2026, 19:32 JST. */
export function formatInstant(lang: Language, at: Date | string, timeZone = 'Asia/Tokyo'): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone,
    year: 'numeric',
    month: lang === 'ja' ? 'long' : 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(d);
}

/** A record's title in the reader's language: its Japanese title for a Japanese reader, where it has one. */
export const titleIn = (lang: Language, r: { title: string; titleJa?: string | null | undefined }): string =>
  (lang === 'ja' && r.titleJa) || r.title;
