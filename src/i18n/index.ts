/**
 * User-facing text in Japanese and English, from locales/{en,ja}.json, through i18next.
 */
import { readFileSync } from 'node:fs';
import i18next, { type TFunction } from 'i18next';

export const LANGUAGES = ['en', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

const localesDir = new URL('../../locales/', import.meta.url);
const load = (lng: Language) => JSON.parse(readFileSync(new URL(`${lng}.json`, localesDir), 'utf8'));

const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  resources: { en: { translation: load('en') }, ja: { translation: load('ja') } },
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
});

export function translator(lng: Language): TFunction {
  return instance.getFixedT(lng);
}

export function t(lng: Language, key: string, params?: Record<string, unknown>): string {
  return instance.getFixedT(lng)(key, params ?? {});
}

/** Picks a language from an Accept-Language header or a locale such as `ja_JP.UTF-8`. */
export function pickLanguage(value: string | undefined | null): Language {
  if (!value) return 'en';
  const ranked = value
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((r) => r.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split(/[-_.]/)[0];
    if (base === 'ja') return 'ja';
    if (base === 'en') return 'en';
  }
  return 'en';
}
