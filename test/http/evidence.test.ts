/**
 * Evidence: a file attached to a measure or one of its milestones is kept by its SHA-256 (the same
 * file twice, once), listed on the measure page, downloaded only when its hash still holds, and
 * recorded in the audit log; a file whose bytes are not what it claims, or a user who may not
 * change the measure, is refused.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { diskEvidenceStore, sha256Of } from '../../src/services/evidence-store.ts';
import { type TestUser, useDemoApi } from '../support/api.ts';
import { backends } from '../support/backends.ts';

const P = '/programs/LY-2024';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

for (const backend of backends()) {
  describe(`evidence (${backend.name})`, () => {
    const api = useDemoApi(backend);
    const dir = mkdtempSync(join(tmpdir(), 'oversight-evidence-test-'));
    let app: ReturnType<typeof createApp>;
    beforeAll(() => {
      app = createApp({ database: api.t, evidence: diskEvidenceStore(dir) });
    });
    const attach = (user: TestUser, measure: string, target: string, file: Blob, name = 'report.pdf') => {
      const body = new FormData();
      body.set('target', target);
      body.set('description', 'Penetration test report');
      body.set('file', file, name);
      return app.request(`http://localhost${P}/measures/${measure}/evidence`, {
        method: 'POST',
        headers: api.as(user),
        body,
      });
    };

    it('attaches a file, lists it, serves it back unchanged, and logs its hash', async () => {
      const res = await attach(
        'manager',
        'M-NETSEP',
        'measure:M-NETSEP',
        new Blob([PDF], { type: 'application/pdf' }),
      );
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`${P}/measures/M-NETSEP#evidence`);
      const page = await (
        await app.request(`${P}/measures/M-NETSEP?lang=en`, { headers: api.as('manager') })
      ).text();
      expect(page).toContain('report.pdf');
      const id = /href="\/programs\/LY-2024\/evidence\/([0-9a-f-]{36})"/.exec(page)![1]!;
      const download = await app.request(`${P}/evidence/${id}`, { headers: api.as('auditor') });
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
      expect(download.headers.get('repr-digest')).toBe(
        `sha-256=:${Buffer.from(sha256Of(PDF), 'hex').toString('base64')}:`,
      );
      const events = await api.t.db
        .selectFrom('audit_events')
        .select(['payload'])
        .where('action', '=', 'evidence.attached')
        .execute();
      expect(events.map((e) => (e.payload as { sha256: string }).sha256)).toContain(sha256Of(PDF));
    });

    it('keeps the same file once, however often it is attached', async () => {
      const res = await attach(
        'owner',
        'M-NETSEP',
        'milestone:MS-NETSEP',
        new Blob([PDF], { type: 'application/pdf' }),
        'again.pdf',
      );
      expect(res.status).toBe(303);
      const files = readdirSync(dir, { recursive: true }).filter((f) => String(f).length > 60);
      expect(files).toHaveLength(1);
    });

    it('refuses a file whose bytes are not its media type, a type it does not take, and an empty file', async () => {
      const fake = await attach(
        'manager',
        'M-NETSEP',
        'measure:M-NETSEP',
        new Blob(['not a pdf'], { type: 'application/pdf' }),
      );
      expect(fake.status).toBe(422);
      expect(await fake.text()).toContain('are not those of application/pdf');
      const exe = await attach(
        'manager',
        'M-NETSEP',
        'measure:M-NETSEP',
        new Blob(['MZ'], { type: 'application/x-msdownload' }),
      );
      expect(exe.status).toBe(422);
      const empty = await attach(
        'manager',
        'M-NETSEP',
        'measure:M-NETSEP',
        new Blob([], { type: 'text/plain' }),
      );
      expect(empty.status).toBe(422);
      const elsewhere = await attach(
        'manager',
        'M-NETSEP',
        'milestone:NOPE',
        new Blob(['x'], { type: 'text/plain' }),
      );
      expect(elsewhere.status).toBe(404);
    });

    it('lets only the measure’s owner or the program office attach', async () => {
      const file = () => new Blob(['minutes of the review'], { type: 'text/plain' });
      expect((await attach('owner', 'M-2FA', 'measure:M-2FA', file())).status).toBe(403);
      expect((await attach('auditor', 'M-NETSEP', 'measure:M-NETSEP', file())).status).toBe(403);
      expect((await attach('contractor', 'M-NETSEP', 'measure:M-NETSEP', file())).status).toBe(403);
    });

    it('refuses to serve a file changed on disk', async () => {
      const text = Buffer.from('The firewall rules were reviewed on 1 July.\n');
      expect(
        (
          await attach(
            'manager',
            'M-NETSEP',
            'measure:M-NETSEP',
            new Blob([text], { type: 'text/plain' }),
            'rules.txt',
          )
        ).status,
      ).toBe(303);
      const sha = sha256Of(text);
      writeFileSync(join(dir, sha.slice(0, 2), sha), 'The firewall rules were never reviewed.\n');
      const page = await (await app.request(`${P}/measures/M-NETSEP`, { headers: api.as('manager') })).text();
      const id = [
        ...page.matchAll(/href="\/programs\/LY-2024\/evidence\/([0-9a-f-]{36})">rules\.txt/g),
      ][0]![1]!;
      const res = await app.request(`${P}/evidence/${id}?lang=en`, { headers: api.as('manager') });
      expect(res.status).toBe(409);
      expect(await res.text()).toContain('was changed on disk');
    });
  });
}
