/**
 * A program's report layout over HTTP: the API takes a DOCX as the body and answers a refused one
 * with a problem naming the placeholder; the page's multipart form shows the same refusal on the
 * form (not as an error page); versions download with their digest; the starter template is the
 * one the code makes; the DOCX preview of a draft is laid out with the template in use.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { starterTemplate } from '../../src/reports/starter-template.ts';
import { type Doc, useDemoApi } from '../support/api.ts';
import { backends } from '../support/backends.ts';
import { docxText, LETTERHEAD, programTemplate, templateWith } from '../support/templates.ts';

const A = '/api/v1/programs/LY-2024';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

for (const backend of backends()) {
  describe(`report templates over HTTP (${backend.name})`, () => {
    const api = useDemoApi(backend);
    const upload = (bytes: Uint8Array, user: 'manager' | 'owner' = 'manager') =>
      api.raw.request(`${A}/report-template?filename=ly.docx`, {
        method: 'POST',
        headers: { ...api.as(user), 'content-type': DOCX },
        body: new Uint8Array(bytes),
      });

    it('takes a template through the API, refuses an unknown placeholder by name, and lays out the DOCX preview with it', async () => {
      const bad = await upload(await templateWith('{budget}'));
      expect(bad.status).toBe(422);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      const problem = (await bad.json()) as Doc;
      expect(problem.errors[0].path).toBe('file');
      expect(problem.errors[0].message).toContain('{budget}');
      expect((await upload(await programTemplate(), 'owner')).status).toBe(403);

      const template = await programTemplate();
      const created = await upload(template);
      expect(created.status).toBe(201);
      const body = (await created.json()) as Doc;
      expect(body).toMatchObject({ version: 1, sha256: createHash('sha256').update(template).digest('hex') });
      const layout = (await (await api.app.request(`${A}/report-template`)).json()) as Doc;
      expect(layout.active).toBe(1);
      const file = await api.app.request(`${A}/report-template/versions/1`);
      expect(file.headers.get('repr-digest')).toBe(
        `sha-256=:${createHash('sha256').update(template).digest('base64')}:`,
      );
      expect((await api.app.request(`${A}/report-template/versions/0`)).status).toBe(404);
      expect((await api.app.request(`${A}/report-template/versions/7`)).status).toBe(404);

      const cover = await api.app.request(`${A}/report-covers/MIC-2024-04-16`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ en: 'To the Minister', ja: '総務大臣 殿', version: 0 }),
      });
      expect(cover.status).toBe(200);
      const preview = await api.app.request(
        `${A}/report-preview?directive=MIC-2024-04-16&asOf=2024-07-01&format=docx&lang=en`,
      );
      const text = docxText(Buffer.from(await preview.arrayBuffer()));
      expect(text).toContain(LETTERHEAD);
      expect(text).toContain('To the Minister');
    });

    it('offers the starter template the code makes', async () => {
      const r = await api.app.request(`${A}/report-template/starter`);
      expect(r.headers.get('content-type')).toBe(DOCX);
      expect(Buffer.from(await r.arrayBuffer()).equals(await starterTemplate())).toBe(true);
    });

    it('shows a refused upload on the page’s form, naming the placeholder, and lists what was accepted', async () => {
      const form = new FormData();
      form.set(
        'file',
        new File([new Uint8Array(await templateWith('Totals: {grandTotal}'))], 'mine.docx', { type: DOCX }),
      );
      const page = await api.app.request('/programs/LY-2024/report-template', { method: 'POST', body: form });
      expect(page.status).toBe(422);
      const html = await page.text();
      expect(html).toMatch(/id="upload-error"[^>]*>[^<]*\{grandTotal\} \(in word\/document.xml\)/);
      expect(html).toContain('ly.docx');
      const empty = await api.app.request('/programs/LY-2024/report-template', {
        method: 'POST',
        body: new FormData(),
      });
      expect(empty.status).toBe(422);
      expect(await empty.text()).toContain('id="upload-error"');
    });
  });
}
