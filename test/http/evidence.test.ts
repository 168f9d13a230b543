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

    it('attaches, lists and serves evidence through the API, with a clear problem for a bad request', async () => {
      const A = '/api/v1/programs/LY-2024/evidence';
      const csv = Buffer.from('control,result\nfirewall,passed\n');
      const posted = await app.request(`${A}?kind=milestone&code=MS-NETSEP&filename=checks.csv`, {
        method: 'POST',
        headers: { ...api.as('manager'), 'content-type': 'text/csv' },
        body: csv,
      });
      expect(posted.status, await posted.clone().text()).toBe(201);
      const { id, sha256 } = (await posted.json()) as { id: string; sha256: string };
      expect(sha256).toBe(sha256Of(csv));
      const list = (await (
        await app.request(`${A}?code=MS-NETSEP`, { headers: api.as('auditor') })
      ).json()) as Array<{
        id: string;
        kind: string;
        filename: string;
      }>;
      expect(list).toContainEqual(expect.objectContaining({ id, kind: 'milestone', filename: 'checks.csv' }));
      const back = await app.request(`${A}/${id}`, { headers: api.as('auditor') });
      expect(back.status).toBe(200);
      // The regulator sees submitted reports, not the program's files.
      expect((await app.request(`${A}/${id}`, { headers: api.as('regulator') })).status).toBe(403);
      expect(Buffer.from(await back.arrayBuffer()).equals(csv)).toBe(true);
      // A PNG that is not one, an unknown kind, a record that does not exist, a user who may not.
      const fake = await app.request(`${A}?kind=measure&code=M-NETSEP&filename=x.png`, {
        method: 'POST',
        headers: { ...api.as('manager'), 'content-type': 'image/png' },
        body: 'not a picture',
      });
      expect(fake.status).toBe(422);
      expect(((await fake.json()) as { errors: Array<{ path: string }> }).errors[0]!.path).toBe('file');
      const kind = await app.request(`${A}?kind=system&code=M-NETSEP&filename=x.txt`, {
        method: 'POST',
        headers: { ...api.as('manager'), 'content-type': 'text/plain' },
        body: 'x',
      });
      expect(kind.status).toBe(400);
      const missing = await app.request(`${A}?kind=measure&code=M-NOPE&filename=x.txt`, {
        method: 'POST',
        headers: { ...api.as('manager'), 'content-type': 'text/plain' },
        body: 'x',
      });
      expect([404, 422]).toContain(missing.status);
      const owner = await app.request(`${A}?kind=measure&code=M-2FA&filename=x.txt`, {
        method: 'POST',
        headers: { ...api.as('owner'), 'content-type': 'text/plain' },
        body: 'x',
      });
      expect(owner.status).toBe(403);
      expect((await app.request(`${A}/not-an-id`, { headers: api.as('manager') })).status).toBe(404);
    });

    it("gives an auditor an event's inclusion proof through the API, for the program's own events only", async () => {
      const { checkpointNow } = await import('../../src/services/audit-log.service.ts');
      const { ephemeralSigner } = await import('../../src/services/log-key.ts');
      await checkpointNow(api.t.db, ephemeralSigner());
      const proof = await app.request('/api/v1/programs/LY-2024/audit/1/proof', {
        headers: api.as('auditor'),
      });
      expect(proof.status, await proof.clone().text()).toBe(200);
      const body = (await proof.json()) as {
        seq: number;
        leafIndex: number;
        proof: string[];
        checkpoint: string;
      };
      expect(body).toMatchObject({ seq: 1, leafIndex: 0 });
      expect(body.checkpoint).toMatch(/^oversight/);
      expect(
        (await app.request('/api/v1/programs/LY-2024/audit/1/proof', { headers: api.as('owner') })).status,
      ).toBe(403);
      for (const bad of ['0', 'x', '99999999'])
        expect(
          (await app.request(`/api/v1/programs/LY-2024/audit/${bad}/proof`, { headers: api.as('auditor') }))
            .status,
          bad,
        ).toBe(404);
    });
  });
}
