/**
 * The demo's 1 July 2024 report as HTML (A4, self-contained, no script) and as Markdown: the
 * sections in order, the directive's items in Japanese or English, the Gantt as inline SVG, the
 * changes since 1 April, the outsourcing decisions — and text that cannot break the markup.
 */
import { describe, expect, it } from 'vitest';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import { renderHtml } from '../../src/reports/html.tsx';
import { renderMarkdown } from '../../src/reports/markdown.ts';
import { reportText } from '../../src/reports/text.ts';
import { DEMO_TEXT, demoJulyReport } from '../support/builders.ts';

const parsed = parseProgramText(DEMO_TEXT);
if (!parsed.ok) throw new Error('the demo does not parse');
const model = demoJulyReport();

describe('the report as HTML', () => {
  it('is one printable A4 document with the sections in order, in Japanese', () => {
    const html = renderHtml(model, 'ja');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('size: A4');
    expect(html).not.toMatch(/<script|<link|src="http/);
    const x = reportText(model, 'ja');
    const at = x.sections.map((s) => html.indexOf(`id="h-${s.id}"`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html).toContain('本事案を踏まえた安全管理措置及び委託先管理の抜本的な見直し・強化の加速');
    expect(html).toContain('LINEとNAVER Cloudのデータセンター間ネットワークの分離');
    expect(html).toMatch(/<svg[^>]*>/);
    // Every change since 1 April is a line of its own.
    expect(html.match(/<li data-kind="/g)?.length).toBe(model.changes.length);
    expect(html).toContain('91日前倒し');
  });

  it('escapes what the program says, so text cannot become markup', () => {
    const evil = structuredClone(model);
    evil.measures[0]!.title = '<img src=x onerror=alert(1)>';
    evil.measures[0]!.titleJa = undefined;
    const html = renderHtml(evil, 'en');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('the report as Markdown', () => {
  it('has a table of contents, the items, a table of decisions and every change', () => {
    const md = renderMarkdown(model, 'en');
    expect(md).toMatch(/^# Report on the implementation of measures/);
    expect(md).toContain('- [1. Measures by item of the guidance](#items)');
    expect(md).toContain('Separate the networks');
    expect(md).toMatch(
      /\| R-NAVER-CLOUD-INFRA Internal system and network operation by NAVER Cloud \| NAVER Cloud Corporation \| Internal system operation \| Terminate \| 1 Jul 2024 \| 31 Dec 2025 \|/,
    );
    for (const c of model.changes)
      expect(md).toContain(
        reportText(model, 'en')
          .change(c)
          .replace(/([\\|*_`[\]<>#])/g, '\\$1'),
      );
    expect(md).toContain(
      '**Brought forward**: MS-NETSEP of M-NETSEP, 30 Jun 2026 → 31 Mar 2026 (91 days earlier)',
    );
  });

  it('keeps a pipe or a line break in the data from breaking a table', () => {
    const odd = structuredClone(model);
    odd.relationships[0]!.title = 'A | B\nC';
    const md = renderMarkdown(odd, 'en');
    expect(md).toContain('A \\| B C');
  });
});
