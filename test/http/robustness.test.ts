/**
 * Malformed and hostile input through the API: always a 4xx that says what and where, never a
 * 500, and nothing changed. Also the races two clients can run against one program.
 */
import { describe, expect, it } from 'vitest';
import { type Doc, useDemoApi } from '../support/api.ts';
import { backends } from '../support/backends.ts';

const P = '/api/v1/programs/LY-2024';

describe.each(backends())('hostile input on $name', (backend) => {
  const api = useDemoApi(backend);

  const send = async (method: string, path: string, body: unknown, type = 'application/json') => {
    const res = await api.app.request(path, {
      method,
      headers: { 'content-type': type, ...api.as('admin') },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Doc };
  };
  const get = async (path: string) =>
    (await api.app.request(path, { headers: api.as('admin') })).json() as Promise<Doc>;
  const paths = (body: Doc) => (body.errors ?? []).map((e: Doc) => e.path);

  it('refuses text the database cannot store, naming the field', async () => {
    const nul = await send('POST', `${P}/organizations`, { code: 'X1', name: 'a\u0000b', kind: 'other' });
    expect(nul.status).toBe(422);
    expect(paths(nul.body)).toEqual(['name']);
    const surrogate = await send(
      'POST',
      `${P}/organizations`,
      '{"code":"X2","name":"a\\ud800b","kind":"other"}',
    );
    expect(surrogate.status).toBe(422);
    expect(paths(surrogate.body)).toEqual(['name']);
    expect((await api.app.request(`${P}/organizations/X1`, { headers: api.as('admin') })).status).toBe(404);
  });

  it('refuses absurd nesting before any validator recurses into it', async () => {
    let items: Doc[] = [];
    for (let i = 0; i < 2000; i++) items = [{ code: `N${i}`, text: 'x', items }];
    const res = await send('POST', `${P}/directives`, {
      code: 'DEEP',
      issuer: 'MIC',
      issuedOn: '2024-05-01',
      title: 't',
      items,
    });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].message).toContain('nested deeper than');
  });

  it('refuses a version beyond the column, and dates that do not exist', async () => {
    const big = await send('PATCH', `${P}/measures/M-2FA`, { version: 2147483648, title: 'x' });
    expect(big.status).toBe(422);
    expect(paths(big.body)).toEqual(['version']);
    const year0 = await send('POST', `${P}/directives`, {
      code: 'Y0',
      issuer: 'MIC',
      issuedOn: '0000-03-05',
      title: 't',
    });
    expect(year0.status).toBe(422);
    expect(year0.body.errors).toEqual([
      expect.objectContaining({ path: 'issuedOn', message: expect.stringContaining('not a date') }),
    ]);
  });

  it('applies the checks of the file import to single records too', async () => {
    const cases: Array<[string, string, string, unknown, string]> = [
      [
        'POST',
        `${P}/directives`,
        'report before issue',
        { code: 'D9', issuer: 'MIC', issuedOn: '2024-05-01', reportDue: '2024-04-01', title: 't' },
        'reportDue',
      ],
      [
        'POST',
        `${P}/incidents`,
        'contained before detected',
        { code: 'I9', title: 't', detectedOn: '2024-05-01', containedOn: '2024-04-01' },
        'containedOn',
      ],
      [
        'POST',
        `${P}/access`,
        'until before from',
        {
          code: 'A9',
          organization: 'NAVER',
          system: 'SYS-SOC',
          via: 'admin',
          from: '2024-05-01',
          until: '2024-04-01',
        },
        'until',
      ],
      ['POST', `${P}/ownerships`, 'own yourself', { owner: 'LY', owned: 'LY', share: 10 }, 'owned'],
      [
        'POST',
        `${P}/measures`,
        'duplicate milestone codes',
        {
          code: 'M9',
          title: 't',
          category: 'governance',
          kind: 'permanent',
          milestones: [
            { code: 'Q1', title: 'a', committedOn: '2024-05-01' },
            { code: 'Q1', title: 'b', committedOn: '2024-05-01' },
          ],
        },
        'milestones[1].code',
      ],
      [
        'POST',
        `${P}/directives`,
        'duplicate item codes',
        {
          code: 'D8',
          issuer: 'MIC',
          issuedOn: '2024-05-01',
          title: 't',
          items: [{ code: 'Z1', text: 'a', items: [{ code: 'Z1', text: 'b' }] }],
        },
        'items[0].items[0].code',
      ],
    ];
    for (const [method, path, what, body, field] of cases) {
      const res = await send(method, path, body);
      expect(res.status, what).toBe(422);
      expect(paths(res.body), what).toEqual([field]);
    }
    const d = await get(`${P}/directives/MIC-2024-04-16`);
    const self = await send('PATCH', `${P}/directives/MIC-2024-04-16`, {
      version: d.version,
      followsUp: 'MIC-2024-04-16',
    });
    expect(paths(self.body)).toEqual(['followsUp']);
    const first = await get(`${P}/directives/MIC-2024-03-05`);
    const cycle = await send('PATCH', `${P}/directives/MIC-2024-03-05`, {
      version: first.version,
      followsUp: 'MIC-2024-04-16',
    });
    expect(cycle.status).toBe(422);
    expect(cycle.body.errors[0].message).toContain('cycle');
  });

  it('says which code is taken without showing database internals', async () => {
    const res = await send('POST', `${P}/organizations`, { code: 'LY', name: 'again', kind: 'other' });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('LY');
    expect(JSON.stringify(res.body)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|Key \(|program_id/);
  });

  it('reports the line and column of a mistake in a JSON program file', async () => {
    const doc = JSON.parse(
      JSON.stringify({ oversight: 1, program: { code: 'J', name: 'J', regulatedOrganization: 'O' } }),
    );
    doc.organizations = [{ code: 'O', name: 'O', kind: 'regulated' }];
    const text = JSON.stringify(doc, null, 2).replace('"kind": "regulated"', '"kind": "regulatedd"');
    const line = text.split('\n').findIndex((l) => l.includes('regulatedd')) + 1;
    const res = await send('POST', '/api/v1/programs', text);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'organizations[0].kind', line })]);
  });

  it('clears an optional field sent as null, and refuses null for a required one', async () => {
    const m = await get(`${P}/measures/M-2FA`);
    expect(m.owner).toBeDefined();
    const cleared = await send('PATCH', `${P}/measures/M-2FA`, { version: m.version, owner: null });
    expect(cleared.status).toBe(200);
    expect(await get(`${P}/measures/M-2FA`)).not.toHaveProperty('owner');
    const required = await send('PATCH', `${P}/measures/M-2FA`, { version: m.version + 1, title: null });
    expect(required.status).toBe(422);
    expect(paths(required.body)).toEqual(['title']);
  });

  it('writes nothing for a patch that changes nothing, but still checks its version', async () => {
    const m = await get(`${P}/measures/M-ACCESS`);
    const same = await send('PATCH', `${P}/measures/M-ACCESS`, { version: m.version });
    expect(same).toMatchObject({ status: 200, body: { version: m.version } });
    expect((await get(`${P}/measures/M-ACCESS`)).version).toBe(m.version);
    expect((await send('PATCH', `${P}/measures/M-ACCESS`, { version: m.version + 5 })).status).toBe(409);
  });

  it('lists directive items with their versions, so that they can be edited', async () => {
    const item = await get(`${P}/items/G2-1a`);
    expect(item).toMatchObject({ directive: 'MIC-2024-04-16', parent: 'G2-1', label: '•', version: 1 });
    const res = await send('PATCH', `${P}/items/G2-1a`, {
      version: item.version,
      text: 'Formulate a clear plan for the network separation',
    });
    expect(res.status).toBe(200);
    expect((await get(`${P}/items/G2-1a`)).text).toBe('Formulate a clear plan for the network separation');
  });

  it('lets two clients that close a dependency cycle from both ends not both succeed', async () => {
    const a = await get(`${P}/milestones/MS-END-SEARCH`);
    const b = await get(`${P}/milestones/MS-END-DEV`);
    const results = await Promise.all([
      send('PATCH', `${P}/milestones/MS-END-SEARCH`, { version: a.version, dependsOn: ['MS-END-DEV'] }),
      send('PATCH', `${P}/milestones/MS-END-DEV`, { version: b.version, dependsOn: ['MS-END-SEARCH'] }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    const lint = await get(`${P}/export?format=json`);
    expect(lint).toBeTruthy();
  });

  it('gives milestones added at the same time distinct places in their list', async () => {
    const add = (code: string) =>
      send('POST', `${P}/measures/M-SOC/milestones`, {
        code,
        title: code,
        committedOn: '2024-10-01',
        planned: '2025-01-31',
      });
    const results = await Promise.all([add('MS-SOC-P1'), add('MS-SOC-P2'), add('MS-SOC-P3')]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    const rows = await api.t.db
      .selectFrom('milestones as ms')
      .innerJoin('measures as m', 'm.id', 'ms.measure_id')
      .select('ms.position')
      .where('m.code', '=', 'M-SOC')
      .execute();
    expect(new Set(rows.map((r) => r.position)).size).toBe(rows.length);
  });
});
