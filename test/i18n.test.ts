import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { pickLanguage, t } from '../src/i18n/index.ts';

const root = new URL('..', import.meta.url).pathname;
const load = (lng: string) => JSON.parse(readFileSync(join(root, `locales/${lng}.json`), 'utf8'));

function keysOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('messages', () => {
  const en = keysOf(load('en')).sort();
  const ja = keysOf(load('ja')).sort();

  it('have no key twice in a file (JSON.parse would silently keep the last)', () => {
    for (const lng of ['en', 'ja']) {
      const doc = parseDocument(readFileSync(join(root, `locales/${lng}.json`), 'utf8'), {
        uniqueKeys: true,
      });
      expect(
        doc.errors.map((e) => e.message),
        lng,
      ).toEqual([]);
    }
  });

  it('exist in both English and Japanese', () => {
    expect(
      ja.filter((k) => !en.includes(k)),
      'only in ja',
    ).toEqual([]);
    expect(
      en.filter((k) => !ja.includes(k)),
      'only in en',
    ).toEqual([]);
  });

  it('cover every key the code names', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(
        /'((?:errors|validation|app|problems|ui|fields|register|exposure|control|tiering|analysis|rpt|pub|cli|oscal)\.[a-zA-Z_-]+(?:\.[a-zA-Z_-]+)*)'/g,
      ))
        if (!/\.(css|js|json|ts|tsx)$/.test(m[1]!)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(150);
    expect([...used].filter((k) => !en.includes(k)).sort()).toEqual([]);
  });

  it('use the same placeholders in both languages', () => {
    const enJson = load('en');
    const jaJson = load('ja');
    const at = (obj: Record<string, unknown>, key: string) =>
      key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj) as string;
    for (const key of en) {
      const names = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
      expect(names(at(jaJson, key)), key).toEqual(names(at(enJson, key)));
    }
  });

  it('are chosen from Accept-Language and locale names', () => {
    expect(pickLanguage('ja-JP,ja;q=0.9,en;q=0.8')).toBe('ja');
    expect(pickLanguage('fr-FR,en;q=0.5,ja;q=0.9')).toBe('ja');
    expect(pickLanguage('ja_JP.UTF-8')).toBe('ja');
    expect(pickLanguage('de-DE')).toBe('en');
    expect(pickLanguage(undefined)).toBe('en');
    expect(t('ja', 'errors.not_found', { entity: 'measure', code: 'M-1' })).toBe(
      'measure M-1 は見つかりません。',
    );
  });
});
