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

/**
 * One translating function per language. A key asked without parameters always reads the same
 * (the resources never change), so its text is kept: a register or a directive page asks for the
 * same few status words thousands of times.
 */
const translators = new Map<Language, TFunction>();

export function translator(lng: Language): TFunction {
  let known = translators.get(lng);
  if (!known) {
    const fixed = instance.getFixedT(lng);
    const plain = new Map<string, string>();
    known = ((key: string, ...rest: unknown[]) => {
      if (rest.length > 0 || typeof key !== 'string')
        return (fixed as unknown as (...a: unknown[]) => string)(key, ...rest);
      let text = plain.get(key);
      if (text === undefined) {
        text = fixed(key);
        plain.set(key, text);
      }
      return text;
    }) as unknown as TFunction;
    translators.set(lng, known);
  }
  return known;
}

export function t(lng: Language, key: string, params?: Record<string, unknown>): string {
  return params ? translator(lng)(key, params) : translator(lng)(key);
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
