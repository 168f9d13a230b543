/**
 * Reports through the API and the pages: a preview in every format; the workflow with a second
 * person's approval; a regulator who sees only what was submitted, downloads it with its digest,
 * and records a finding; clear refusals for what is not allowed or not there.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type TestUser, useDemoApi } from '../support/api.ts';
import { backends } from '../support/backends.ts';

const A = '/api/v1/programs/LY-2024';

for (const backend of backends()) {
  describe(`reports over HTTP (${backend.name})`, () => {
    const api = useDemoApi(backend);
    const post = (path: string, body: unknown, user: TestUser = 'manager') =>
      api.raw.request(path, {
        method: 'POST',
        headers: { ...api.as(user), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const get = (path: string, user: TestUser = 'manager') =>
      api.raw.request(path, { headers: api.as(user) });

    it('previews a report in every format, and says clearly what is wrong with a bad request', async () => {
      const q = 'directive=MIC-2024-04-16&asOf=2024-07-01';
      const md = await get(`${A}/report-preview?${q}&format=md&lang=en`);
      expect(md.status).toBe(200);
      expect(await md.text()).toContain('# Report on the implementation of measures');
      const pdf = await get(`${A}/report-preview?${q}&format=pdf&lang=ja`);
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      const bad = await get(`${A}/report-preview?${q}&format=rtf`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { errors: Array<{ path: string }> }).errors[0]!.path).toContain('format');
      expect((await get(`${A}/report-preview?directive=NOPE&asOf=2024-07-01`)).status).toBe(404);
      expect((await get(`${A}/report-preview?${q}`, 'regulator')).status).toBe(403);
    });

    it('takes a report from draft to submitted with a second person, and shows the regulator only that', async () => {
      const created = await post(`${A}/reports`, { directive: 'MIC-2024-04-16', asOf: '2024-07-01' });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      // A draft is not the regulator's to see.
      expect(await (await get(`${A}/reports`, 'regulator')).json()).toEqual([]);
      expect((await get(`${A}/reports/${id}`, 'regulator')).status).toBe(404);
      const reviewed = (await (await post(`${A}/reports/${id}/review`, { version: 1 })).json()) as {
        version: number;
      };
      const self = await post(`${A}/reports/${id}/approve`, { version: reviewed.version });
      expect(self.status).toBe(403);
      expect(((await self.json()) as { detail: string }).detail).toContain('second person');
      expect(
        (await post(`${A}/reports/${id}/approve`, { version: reviewed.version }, 'auditor')).status,
      ).toBe(403);
      const approved = await post(`${A}/reports/${id}/approve`, { version: reviewed.version }, 'admin');
      expect(approved.status).toBe(200);
      const { version } = (await approved.json()) as { version: number };
      const submitted = await post(`${A}/reports/${id}/submit`, { version });
      expect(submitted.status, await submitted.clone().text()).toBe(200);
      const files = (
        (await submitted.json()) as { files: Array<{ format: string; lang: string; sha256: string }> }
      ).files;
      expect(files).toHaveLength(10);

      const seen = (await (await get(`${A}/reports`, 'regulator')).json()) as Array<{
        id: string;
        status: string;
      }>;
      expect(seen.map((r) => [r.id, r.status])).toEqual([[id, 'submitted']]);
      const pdf = files.find((f) => f.format === 'pdf' && f.lang === 'ja')!;
      const download = await get(`${A}/reports/${id}/files/pdf?lang=ja`, 'regulator');
      expect(download.status).toBe(200);
      const bytes = Buffer.from(await download.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(pdf.sha256);
      expect(download.headers.get('repr-digest')).toBe(
        `sha-256=:${Buffer.from(pdf.sha256, 'hex').toString('base64')}:`,
      );

      // Nothing moves a submitted report.
      for (const step of ['review', 'return', 'approve', 'submit'])
        expect((await post(`${A}/reports/${id}/${step}`, { version: version + 1 }, 'admin')).status).toBe(
          409,
        );

      // The regulator's finding becomes an item of the directive; only the regulator records one.
      expect((await post(`${A}/reports/${id}/findings`, { text: 'Too vague.' })).status).toBe(403);
      const finding = await post(
        `${A}/reports/${id}/findings`,
        { text: 'Give the dates for ending each overseas use of NAVER systems.', refersTo: 'G2-2b' },
        'regulator',
      );
      expect(finding.status).toBe(201);
      const item = (await finding.json()) as { item: string };
      const items = (await (await get(`${A}/items`)).json()) as Array<{
        code: string;
        parent: string | null;
      }>;
      expect(items).toContainEqual(expect.objectContaining({ code: item.item, parent: 'G2-2b' }));
      const empty = await post(`${A}/reports/${id}/findings`, { text: '   ' }, 'regulator');
      expect(empty.status).toBe(422);
    });

    it('shows reports as pages: the list, a report with its steps, and a finding form for the regulator', async () => {
      const list = await get('/programs/LY-2024/reports?lang=en');
      expect(list.status).toBe(200);
      const html = await list.text();
      expect(html).toContain('Start a report');
      const id = /href="\/programs\/LY-2024\/reports\/([0-9a-f-]{36})"/.exec(html)![1]!;
      const page = await (await get(`/programs/LY-2024/reports/${id}?lang=en`, 'regulator')).text();
      expect(page).toContain('Record the finding');
      expect(page).not.toContain('Start a report');
      const preview = await get(`/programs/LY-2024/reports/${id}/files/html?lang=en`, 'regulator');
      expect(preview.status).toBe(200);
      expect((await get(`/programs/LY-2024/reports/${id}/files/rtf`, 'regulator')).status).toBe(400);
      expect((await get('/programs/LY-2024/reports/not-an-id', 'regulator')).status).toBe(404);
      // A form that names no directive says so, next to the form, and creates nothing.
      const bad = await api.raw.request('/programs/LY-2024/reports?lang=en', {
        method: 'POST',
        headers: {
          ...api.as('manager'),
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'http://localhost',
        },
        body: 'directive=&asOf=2024-07-01',
      });
      expect([404, 422]).toContain(bad.status);
    });
  });
}
