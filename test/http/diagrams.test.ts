/**
 * The group diagrams: the text measure they rest on, the SVG they draw from plain data, and the
 * group page on the demo program (control chain, exposure paths by view and day, bad input).
 */
import { describe, expect, it } from 'vitest';
import { todayIn } from '../../src/domain/dates.ts';
import { ControlChainDiagram, ExposureDiagram } from '../../src/http/web/diagrams.tsx';
import { DIAGRAM_FONT, textWidth, wrapText } from '../../src/http/web/svg-text.ts';
import { useDemoApi } from '../support/api.ts';
import { backends } from '../support/backends.ts';

const fromHtml = (s: string) =>
  s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The `<svg>` whose title has the id `${id}-title`. */
function svgOf(html: string, id: string): string {
  const m = new RegExp(`<svg[^>]*aria-labelledby="${id}-title"[\\s\\S]*?</svg>`).exec(html);
  if (!m) throw new Error(`no ${id} diagram in the page`);
  return m[0];
}

/** The tooltips of the nodes (name — code — tag) and of the edges of an SVG. */
const titles = (svg: string, kind: 'node' | 'edge') =>
  [...svg.matchAll(new RegExp(`<g class="${kind}"><title>([^<]*)</title>`, 'g'))].map((m) => fromHtml(m[1]!));

const chainLabels = {
  title: 'Chain',
  desc: 'Who owns whom',
  holding: (h: { share: number; voting: number }) =>
    `${h.share}%${h.voting !== h.share ? ` / ${h.voting}%` : ''}`,
  legend: {
    regulated: 'Regulated',
    controller: 'Controls',
    holder: 'Holds',
    group: 'Group',
    other: 'Other',
    flagged: 'Flagged',
    controlling: 'Majority',
    minority: 'Minority',
  },
  tags: { regulated: 'regulated', flagged: 'tied by capital' },
  empty: 'Nothing',
};

describe('text in diagrams', () => {
  it('counts a Japanese character as one em and a Latin letter as about 0.6 em', () => {
    expect(textWidth('日本語', 10)).toBe(30);
    expect(textWidth('abcdefghkm', 10)).toBeGreaterThan(50);
    expect(textWidth('abcdefghkm', 10)).toBeLessThan(70);
  });

  it('wraps Latin text between words and Japanese between characters, within the width', () => {
    const latin = wrapText('Common authentication system shared with NAVER Cloud', 120, 12, 5);
    expect(latin.length).toBeGreaterThan(1);
    expect(latin.join(' ')).toBe('Common authentication system shared with NAVER Cloud');
    for (const line of latin) expect(textWidth(line, 12)).toBeLessThanOrEqual(120);
    const japanese = wrapText('LINEヤフー株式会社の共通認証基盤', 96, 12, 5);
    expect(japanese.join('')).toBe('LINEヤフー株式会社の共通認証基盤');
    for (const line of japanese) expect(textWidth(line, 12)).toBeLessThanOrEqual(96);
  });

  it('cuts text beyond the last line with an ellipsis that still fits', () => {
    const lines = wrapText('one two three four five six seven eight nine ten', 60, 12, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.endsWith('…')).toBe(true);
    expect(textWidth(lines[1]!, 12)).toBeLessThanOrEqual(60);
  });
});

describe('diagrams from plain data', () => {
  it('sizes the viewBox to the layout so that every node lies inside it, with fonts for Japanese', () => {
    const svg = String(
      ControlChainDiagram({
        id: 't',
        organizations: [
          {
            code: 'P',
            name: 'Parent holding company with a rather long name',
            role: 'controller',
            flagged: false,
          },
          { code: 'R', name: '規制対象株式会社', role: 'regulated', flagged: false },
          { code: 'S', name: 'Subsidiary', role: 'group', flagged: true },
        ],
        holdings: [
          { owner: 'P', owned: 'R', share: 60, voting: 70 },
          { owner: 'R', owned: 'S', share: 100, voting: 100 },
        ],
        labels: chainLabels,
      }),
    );
    const [, , , w, h] = /viewBox="([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)"/.exec(svg)!.map(Number) as number[];
    const rects = [
      ...svg.matchAll(/<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)" rx="6"/g),
    ];
    expect(rects).toHaveLength(3);
    for (const [, x, y, rw, rh] of rects) {
      expect(Number(x)).toBeGreaterThanOrEqual(0);
      expect(Number(y)).toBeGreaterThanOrEqual(0);
      expect(Number(x) + Number(rw)).toBeLessThanOrEqual(w!);
      expect(Number(y) + Number(rh)).toBeLessThanOrEqual(h!);
    }
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="t-title"');
    expect(svg).toContain('<title id="t-title">Chain</title>');
    expect(svg).toContain('IPAGothic');
    expect(svg).toContain('Noto Sans JP');
    expect(DIAGRAM_FONT).toMatch(/Noto Sans JP.*IPAGothic/);
    expect(titles(svg, 'edge')).toContain(
      'Parent holding company with a rather long name → 規制対象株式会社: 60% / 70%',
    );
    expect(titles(svg, 'node')).toContain('Subsidiary — S — tied by capital');
  });

  it('says so in words when no outside organization reaches anything', () => {
    const svg = String(
      ExposureDiagram({
        id: 'x',
        nodes: [],
        edges: [],
        labels: {
          title: 'Exposure',
          desc: 'None',
          empty: 'Nobody reaches the group',
          legend: { organization: 'o', system: 's', critical: 'c', outside: 'x', access: 'a', link: 'l' },
          tags: { critical: 'critical', outside: 'outside' },
          how: (via: string) => via,
        },
      }),
    );
    expect(svg).toContain('Nobody reaches the group');
    expect(titles(svg, 'node')).toEqual([]);
  });
});

describe.each(backends())('group page on $name', (backend) => {
  const api = useDemoApi(backend);
  const page = async (
    query: string,
    path = '/programs/LY-2024/group',
    user: 'manager' | 'admin' = 'manager',
  ) => {
    const res = await api.app.request(`${path}${query}`, { headers: api.as(user) });
    return { status: res.status, html: await res.text() };
  };

  it('draws the control chain: NAVER with its 50% share in A Holdings, LY marked regulated, NAVER and NAVER Cloud flagged', async () => {
    const { status, html } = await page('?lang=en');
    expect(status).toBe(200);
    const svg = svgOf(html, 'chain');
    const nodes = titles(svg, 'node');
    expect(nodes).toContain('LY Corporation — LY — regulated');
    expect(nodes).toContain('NAVER Corporation — NAVER — provider tied by capital');
    expect(nodes).toContain('NAVER Cloud Corporation — NAVER-CLOUD — provider tied by capital');
    expect(nodes).toContain('SoftBank Corp. — SOFTBANK');
    expect(titles(svg, 'edge')).toContain('NAVER Corporation → A Holdings Corporation: 50%');
    expect(titles(svg, 'edge')).toContain('A Holdings Corporation → LY Corporation: 64.5%');
    // The same facts as a table.
    expect(html).toMatch(
      /<td><span>NAVER Corporation <code class="muted">NAVER<\/code><\/span><\/td><td><span>A Holdings Corporation/,
    );
  });

  it('shows the NAVER Cloud route into the LINE network in the actual view of 2024, ending with the separation', async () => {
    const { html } = await page('?lang=en&view=actual&asOf=2024-06-01');
    const svg = svgOf(html, 'exposure');
    expect(titles(svg, 'edge')).toContain(
      'AX-NC-LINE-NET: NAVER Cloud Corporation → LINE data center network (network route, until 30 Jun 2026)',
    );
    expect(titles(svg, 'node')).toContain('LINE data center network — SYS-NET-LINE-DC — critical');
    expect(html).toContain('Exposure paths on 1 Jun 2024 (as done)');
  });

  it('drops the route after the separation as now planned, but not as baselined', async () => {
    const planned = svgOf((await page('?lang=en&view=planned&asOf=2026-04-15')).html, 'exposure');
    expect(titles(planned, 'node').some((t) => t.startsWith('NAVER Cloud Corporation'))).toBe(false);
    expect(titles(planned, 'edge').some((t) => t.startsWith('AX-NC-LINE-NET'))).toBe(false);
    const baseline = svgOf((await page('?lang=en&view=baseline&asOf=2026-04-15')).html, 'exposure');
    expect(titles(baseline, 'edge')).toContain(
      'AX-NC-LINE-NET: NAVER Cloud Corporation → LINE data center network (network route, until 30 Jun 2026)',
    );
  });

  it('keeps the route open in the actual view while the separation is overdue, and says so', async () => {
    const { html } = await page('?lang=en&view=actual&asOf=2026-06-01');
    expect(titles(svgOf(html, 'exposure'), 'edge')).toContain(
      'AX-NC-LINE-NET: NAVER Cloud Corporation → LINE data center network (network route, due to end 31 Mar 2026, still open)',
    );
  });

  it('shows the exposure of today in the program time zone when no day is asked for', async () => {
    const { html } = await page('?lang=en');
    expect(html).toContain(`name="asOf" value="${todayIn('Asia/Tokyo')}"`);
    expect(html).toMatch(/<option value="actual" selected="">/);
  });

  it('answers a view it does not know with 400, naming the parameter and the allowed values', async () => {
    const { status, html } = await page('?view=everything&lang=en');
    expect(status).toBe(400);
    expect(html).toContain('<code>query.view</code>');
    expect(fromHtml(html)).toContain('must be one of actual, planned, baseline (got "everything")');
  });

  it('answers a day that does not exist with 400, naming the parameter', async () => {
    const { status, html } = await page('?asOf=2024-02-30&lang=en');
    expect(status).toBe(400);
    expect(html).toContain('<code>query.asOf</code>');
    expect(fromHtml(html)).toContain('not a date (expected YYYY-MM-DD, got "2024-02-30")');
  });

  it('answers an unknown program with 404 and a malformed one with 400', async () => {
    // An admin learns the program does not exist; anyone else is refused before it is looked up.
    expect((await page('?lang=en', '/programs/NOPE/group', 'admin')).status).toBe(404);
    expect((await page('?lang=en', '/programs/NOPE/group')).status).toBe(403);
    expect((await page('?lang=en', '/programs/%3Cscript%3E/group')).status).toBe(400);
  });

  it('speaks Japanese for ?lang=ja: headings, names, tags, dates and edge words', async () => {
    const { status, html } = await page('?lang=ja&asOf=2024-06-01');
    expect(status).toBe(200);
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('グループ: 支配関係と外部からの到達経路');
    expect(titles(svgOf(html, 'chain'), 'node')).toContain('LINEヤフー株式会社 — LY — 規制対象');
    expect(html).toContain('2024年6月1日時点の到達経路（実績）');
    expect(titles(svgOf(html, 'exposure'), 'edge')).toContain(
      'AX-NC-LINE-NET: NAVER Cloud Corporation → LINE data center network (ネットワーク経路、2026年6月30日まで)',
    );
  });
});
