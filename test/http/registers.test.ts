/**
 * The registers as pages: every register lists the demo in both languages, filters and sorts by
 * its query, shows a long one a page at a time, exports every row its filters select as CSV,
 * answers htmx with the register alone, and its forms create and edit records through the
 * services, with errors next to the fields and nothing written when a form is refused.
 */
import { describe, expect, it } from 'vitest';
import { generateProgram } from '../../src/domain/generate.ts';
import { importProgram } from '../../src/services/program-file.service.ts';
import { useDemoApi } from '../support/api.ts';
import { backends } from '../support/backends.ts';

const P = '/programs/LY-2024';
const ORIGIN = 'http://localhost';
const UNTRANSLATED =
  /\b(ui|fields|status|decision|scope|category|kind|severity|systemKind|criticality|via|damage|recordStatus)\.[a-z][\w-]*\b/;

/** The text of a page without its markup, to look for words as a reader sees them. */
const textOf = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ');

/** Codes in the first column of a register's table, in order. */
const firstColumn = (html: string) =>
  [...html.matchAll(/<tr><td[^>]*>(?:<a [^>]*>)?<code>([^<]+)<\/code>/g)].map((m) => m[1]);

for (const backend of backends()) {
  describe(`registers as pages (${backend.name})`, () => {
    const api = useDemoApi(backend);
    const get = (path: string, headers: Record<string, string> = {}) =>
      api.app.request(`${ORIGIN}${path}`, { headers });
    const post = (path: string, form: Record<string, string | string[]>) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) body.append(k, x);
      return api.app.request(`${ORIGIN}${path}`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    };
    const versionIn = (html: string) => Number(/name="version" value="(\d+)"/.exec(html)?.[1]);

    it('shows a long register 200 rows at a time, with links between pages, and exports every row', async () => {
      await importProgram(api.t.ctx, generateProgram({ scale: 1, seed: 1 }));
      const admin = api.as('admin');
      const path = '/programs/GEN-1-1/milestones';
      const first = await (await get(`${path}?sort=planned&dir=asc`, admin)).text();
      expect(firstColumn(first)).toHaveLength(200);
      expect(textOf(first)).toContain('Rows 1–200 of 1500');
      expect(/<a href="([^"]+)"[^>]*rel="next"/.exec(first)?.[1]).toBe(
        '/programs/GEN-1-1/milestones?sort=planned&amp;dir=asc&amp;page=2',
      );
      expect(first).not.toContain('rel="prev"');
      const last = await (await get(`${path}?sort=planned&dir=asc&page=8`, admin)).text();
      expect(firstColumn(last)).toHaveLength(100);
      expect(textOf(last)).toContain('Rows 1401–1500 of 1500');
      expect(last).not.toContain('rel="next"');
      // The pages hold every row once, in the order asked for.
      const codes: Array<string | undefined> = [];
      for (let page = 1; page <= 8; page++)
        codes.push(
          ...firstColumn(await (await get(`${path}?sort=planned&dir=asc&page=${page}`, admin)).text()),
        );
      expect(new Set(codes).size).toBe(1500);
      // Past the last page: the last page.
      expect(firstColumn(await (await get(`${path}?sort=planned&dir=asc&page=99`, admin)).text())).toEqual(
        firstColumn(last),
      );
      const ja = await (await get(`${path}?lang=ja`, admin)).text();
      expect(textOf(ja)).toContain('1500件中 1〜200件目');
      const csv = await (await get(`${path}?format=csv`, admin)).text();
      expect(csv.trim().split('\n')).toHaveLength(1501);
      for (const bad of ['0', 'abc', '-1', '1.5', '9999999']) {
        const res = await get(`${path}?page=${bad}`, admin);
        expect(res.status, bad).toBe(400);
        expect(await res.text(), bad).toContain('not a page number');
      }
    });

    for (const lang of ['en', 'ja'] as const)
      it(`lists every register of the demo in ${lang}, with no untranslated word`, async () => {
        const expected: Record<string, string> = {
          measures: 'M-NETSEP',
          milestones: 'MS-NETSEP',
          relationships: 'R-NAVER-CLOUD-INFRA',
          systems: '<code>',
          access: '<code>',
          incidents: '<code>',
          'secondary-damage': '<td',
          findings: 'milestone-overdue',
        };
        for (const [path, text] of Object.entries(expected)) {
          const res = await get(`${P}/${path}?lang=${lang}`);
          expect(res.status, path).toBe(200);
          const html = await res.text();
          expect(html, path).toContain(text);
          expect(textOf(html), `${path} in ${lang}`).not.toMatch(UNTRANSLATED);
          expect(html).toContain(`lang="${lang}"`);
        }
      });

    it('links every number on the dashboard to a register showing exactly that many records', async () => {
      const html = await (await get(`${P}?lang=en`)).text();
      const links = [
        ...html.matchAll(
          /<a (?:class="[^"]*" )?href="([^"]+\?[^"]+)"[^>]*>(?:<b>)?(?:<span[^>]*>[^<]*<\/span> )?(\d+)(?:<\/b>)?(?:<| )/g,
        ),
      ].map((m) => ({ href: m[1]!.replaceAll('&amp;', '&'), count: Number(m[2]) }));
      const kinds = new Set(links.map((l) => l.href.split('?')[0]!.split('/').pop()));
      expect([...kinds].sort()).toEqual(['findings', 'measures', 'relationships']);
      expect(links.length).toBeGreaterThan(15);
      for (const link of links) {
        const page = await (await get(`${link.href}&lang=en`)).text();
        expect(/role="status">(\d+) of /.exec(page)?.[1], link.href).toBe(String(link.count));
      }
    });

    it('filters by a column and by search text, and says how many of how many are shown', async () => {
      const all = await (await get(`${P}/milestones?lang=en`)).text();
      const late = await (await get(`${P}/milestones?lang=en&state=late`)).text();
      const total = firstColumn(all).length;
      const lateCodes = firstColumn(late);
      expect(lateCodes.length).toBeGreaterThan(0);
      expect(lateCodes.length).toBeLessThan(total);
      expect(late).toContain(`${lateCodes.length} of ${total} shown`);
      expect(late.match(/badge s-late/g)?.length).toBe(lateCodes.length);
      const searched = firstColumn(await (await get(`${P}/milestones?q=netsep`)).text());
      expect(searched.length).toBeGreaterThan(0);
      expect(searched.every((c) => c?.includes('NETSEP'))).toBe(true);
    });

    it('sorts by a column either way, with empty values last', async () => {
      const html = await (await get(`${P}/measures?sort=forecast&dir=desc&lang=en`)).text();
      expect(html).toContain('aria-sort="descending"');
      const asc = firstColumn(await (await get(`${P}/measures?sort=code&dir=asc`)).text());
      const desc = firstColumn(await (await get(`${P}/measures?sort=code&dir=desc`)).text());
      expect(asc).toEqual([...asc].sort((a, b) => a!.localeCompare(b!, 'en', { numeric: true })));
      expect(desc).toEqual([...asc].reverse());
    });

    it('exports exactly the rows shown as CSV, headers in the reader’s language', async () => {
      const res = await get(`${P}/relationships?format=csv&decision=terminate&lang=ja`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      expect(res.headers.get('content-disposition')).toMatch(
        /attachment; filename="LY-2024-relationships-\d{4}-\d{2}-\d{2}\.csv"/,
      );
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\n');
      expect(lines[0]).toContain('委託先');
      const page = firstColumn(await (await get(`${P}/relationships?decision=terminate`)).text());
      expect(lines.length - 1).toBe(page.length);
      for (const line of lines.slice(1)) expect(line).toContain('終了');
    });

    it('answers htmx with the register alone, and a history restore with the whole page', async () => {
      const fragment = await (await get(`${P}/systems?sort=name`, { 'hx-request': 'true' })).text();
      expect(fragment.startsWith('<div id="register">')).toBe(true);
      expect(fragment).not.toContain('<html');
      const page = await (
        await get(`${P}/systems`, { 'hx-request': 'true', 'hx-history-restore-request': 'true' })
      ).text();
      expect(page).toContain('<html');
    });

    it('refuses an unknown column, direction, filter value or format with a page saying which', async () => {
      for (const [query, path] of [
        ['sort=nothing', 'query.sort'],
        ['dir=sideways', 'query.dir'],
        ['state=asleep', 'query.state'],
        ['format=pdf', 'query.format'],
        [`q=${'x'.repeat(201)}`, 'query.q'],
      ]) {
        const res = await get(`${P}/milestones?${query}&lang=en`);
        expect(res.status, query).toBe(400);
        const html = await res.text();
        expect(html, query).toContain(`<code>${path}</code>`);
        expect(html).not.toMatch(/at \S+\.tsx?:\d+/);
      }
    });

    it('creates a system from the form, and keeps a refused form as typed with the error by its field', async () => {
      const before = firstColumn(await (await get(`${P}/systems`)).text()).length;
      const bad = await post(`${P}/systems/new?lang=en`, {
        code: 'S-WEB',
        name: 'Partner portal',
        kind: 'application',
        criticality: 'sideways',
        dataClasses: 'contracts\ninvoices',
      });
      expect(bad.status).toBe(422);
      const html = await bad.text();
      expect(html).toMatch(/id="f-criticality-error"[^>]*>[^<]+/);
      expect(html).toContain('value="Partner portal"');
      expect(html).toContain('aria-invalid="true"');
      expect(firstColumn(await (await get(`${P}/systems`)).text()).length).toBe(before);
      const ok = await post(`${P}/systems/new`, {
        code: 'S-WEB',
        name: 'Partner portal',
        kind: 'application',
        criticality: 'high',
        dataClasses: 'contracts, invoices',
      });
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe(`${P}/systems?q=S-WEB`);
      const record = await (await api.app.request(`${ORIGIN}/api/v1${P}/systems/S-WEB`)).json();
      expect(record).toMatchObject({
        name: 'Partner portal',
        criticality: 'high',
        dataClasses: ['contracts', 'invoices'],
      });
      const duplicate = await post(`${P}/systems/new?lang=en`, {
        code: 'S-WEB',
        name: 'Again',
        kind: 'application',
        criticality: 'high',
      });
      expect(duplicate.status).toBe(409);
      expect(await duplicate.text()).toContain('role="alert"');
    });

    it('edits a record with the version it read; a stale version is refused and changes nothing', async () => {
      const form = await (await get(`${P}/measures/M-NETSEP/edit?lang=en`)).text();
      const version = versionIn(form);
      expect(version).toBeGreaterThan(0);
      expect(form).toMatch(/<option value="[^"]+" selected="">/);
      const current = await (await api.app.request(`${ORIGIN}/api/v1${P}/measures/M-NETSEP`)).json();
      const fields = {
        title: current.title,
        category: current.category,
        kind: current.kind,
        status: current.status,
        answers: current.answers,
        concerns: current.concerns,
        owner: 'Network engineering',
      };
      const stale = await post(`${P}/measures/M-NETSEP/edit?lang=en`, {
        ...fields,
        version: String(version - 1 || 99),
      });
      expect(stale.status).toBe(409);
      expect(await stale.text()).toContain('field-error');
      const ok = await post(`${P}/measures/M-NETSEP/edit`, { ...fields, version: String(version) });
      expect(
        ok.status,
        (await ok.clone().text()).match(/field-error[^<]*<|role="alert">[^<]*/g)?.join(' | '),
      ).toBe(303);
      const after = await (await api.app.request(`${ORIGIN}/api/v1${P}/measures/M-NETSEP`)).json();
      expect(after.owner).toBe('Network engineering');
      expect(after.answers).toEqual(current.answers);
      expect(after.version).toBe(version + 1);
      // The measure's history says who changed the owner, from what to what.
      const page = textOf(await (await get(`${P}/measures/M-NETSEP?lang=en`)).text()).replace(/\s+/g, ' ');
      expect(page).toContain('History');
      expect(page).toMatch(
        /measure\.updated .*owner ?: Network engineering \(illustrative\) → Network engineering/,
      );
    });

    it('records a decision on a relationship; a decision without a reason is refused by its field', async () => {
      const path = `${P}/relationships/R-NAVER-CLOUD-INFRA/edit`;
      const version = versionIn(await (await get(path)).text());
      const bad = await post(`${P}/relationships/R-NAVER-CLOUD-INFRA/decision?lang=en`, {
        version: String(version),
        decision: 'terminate',
        targetDate: '2026-03-31',
        reason: '  ',
      });
      expect(bad.status).toBe(422);
      expect(await bad.text()).toMatch(/id="d-reason-error"[^>]*>is required/);
      const ok = await post(`${P}/relationships/R-NAVER-CLOUD-INFRA/decision`, {
        version: String(version),
        decision: 'terminate',
        targetDate: '2026-03-31',
        on: '2026-11-01',
        reason: 'Board confirmed the full exit',
      });
      expect(ok.status).toBe(303);
      expect(textOf(await (await get(`${path}?lang=en`)).text())).toContain('Board confirmed the full exit');
    });

    it('reports secondary damage against an incident chosen in advance by the link', async () => {
      const incidents = await (await api.app.request(`${ORIGIN}/api/v1${P}/incidents`)).json();
      const incident = incidents[0].code as string;
      const form = await (await get(`${P}/secondary-damage/new?incident=${incident}`)).text();
      expect(form).toContain(`<option value="${incident}" selected="">`);
      const ok = await post(`${P}/secondary-damage/new`, {
        incident,
        reportedOn: '2026-11-20',
        kind: 'phishing',
        count: '12',
        description: 'Phishing mails citing the leak',
      });
      expect(ok.status).toBe(303);
      const list = await (
        await get(`${P}/secondary-damage?incident=${incident}&kind=phishing&lang=en`)
      ).text();
      expect(list).toContain('Phishing mails citing the leak');
      const bad = await post(`${P}/secondary-damage/new?lang=en`, {
        incident,
        reportedOn: '2026-11-20',
        kind: 'phishing',
        count: 'many',
        description: 'x',
      });
      expect(bad.status).toBe(422);
      expect(await bad.text()).toMatch(/id="f-count-error"/);
    });

    it('answers a forged id, an unknown record or a body that is no form with a clear page, never a stack trace', async () => {
      const forged = await get(`${P}/systems/%3Cx%3E/edit`);
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain('path.code');
      expect((await get(`${P}/systems/NOPE/edit`)).status).toBe(404);
      const junk = await api.app.request(`${ORIGIN}${P}/systems/new?lang=en`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'multipart/form-data; boundary=zzz' },
        body: '--zzz\r\nnonsense',
      });
      expect(junk.status).toBe(422);
      const html = await junk.text();
      expect(html).toContain('is required');
      expect(html).not.toMatch(/at \S+\.tsx?:\d+/);
    });
  });
}
