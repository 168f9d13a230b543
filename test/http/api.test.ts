import { describe, expect, it } from 'vitest';
import { DEMO_TEXT, type Doc, useDemoApi } from '../support/api.ts';
import { backends } from '../support/backends.ts';

const readJson = async (res: Response): Promise<Doc> => res.json();

describe.each(backends())('JSON API on $name', (backend) => {
  const api = useDemoApi(backend);

  // The API's own behaviour, as an admin (who may do anything): the roles have tests of their own.
  const json = (path: string, init: RequestInit = {}) =>
    api.app.request(path, {
      ...init,
      headers: { ...api.as('admin'), ...(init.headers as Record<string, string>) },
    });
  const send = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    api.app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...api.as('admin'), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('lists the programs', async () => {
    const res = await json('/api/v1/programs');
    expect(res.status).toBe(200);
    const body = await readJson(res);
    expect(body).toEqual([expect.objectContaining({ code: 'LY-2024', regulatedOrganization: 'LY' })]);
    expect(body[0].counts.measures).toBe(19);
  });

  it('reads records by code, with id and version', async () => {
    const res = await json('/api/v1/programs/LY-2024/milestones/MS-NETSEP');
    expect(res.status).toBe(200);
    expect(await readJson(res)).toMatchObject({
      code: 'MS-NETSEP',
      measure: 'M-NETSEP',
      planned: '2026-03-31',
      baseline: '2026-06-30',
      slippageDays: -91,
      version: 1,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('creates, edits and re-plans through the write path, answering 409 on a stale version', async () => {
    const created = await send('POST', '/api/v1/programs/LY-2024/measures/M-SOC/milestones', {
      code: 'MS-SOC-DRILL',
      title: 'First detection drill by the new SOC',
      committedOn: '2024-10-01',
      planned: '2025-01-31',
    });
    expect(created.status).toBe(201);
    const replanned = await send('POST', '/api/v1/programs/LY-2024/milestones/MS-SOC-DRILL/replan', {
      version: 1,
      to: '2025-02-28',
      reason: 'Drill scenario extended to the new provider',
      on: '2024-12-01',
    });
    expect(replanned.status).toBe(200);
    expect(await readJson(replanned)).toMatchObject({ version: 2, from: '2025-01-31', to: '2025-02-28' });
    const stale = await send('PATCH', '/api/v1/programs/LY-2024/milestones/MS-SOC-DRILL', {
      version: 1,
      title: 'Too late',
    });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect(await readJson(stale)).toMatchObject({ code: 'conflict', status: 409 });
  });

  it('clears optional fields with null, and clearing the illustrative flag means not illustrative', async () => {
    const before = await readJson(await json('/api/v1/programs/LY-2024/measures/M-NETSEP'));
    const res = await send('PATCH', '/api/v1/programs/LY-2024/measures/M-NETSEP', {
      version: before.version,
      illustrative: null,
      owner: null,
    });
    expect(res.status).toBe(200);
    const after = await readJson(await json('/api/v1/programs/LY-2024/measures/M-NETSEP'));
    expect(after.owner).toBeUndefined();
    expect(after.illustrative ?? false).toBe(false);
  });

  it('writes nothing for a patch of the program that changes nothing', async () => {
    const program = await readJson(await json('/api/v1/programs/LY-2024'));
    const count = async () =>
      Number(
        (
          await api.t.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    expect((await send('PATCH', '/api/v1/programs/LY-2024', { version: program.version })).status).toBe(200);
    expect(await count()).toBe(before);
    expect((await send('PATCH', '/api/v1/programs/LY-2024', { version: program.version + 7 })).status).toBe(
      409,
    );
  });

  it('lists a program’s audit log to an auditor, filtered by who, what and which record, and to no contractor', async () => {
    const m = await readJson(await json('/api/v1/programs/LY-2024/measures/M-2FA'));
    await send('PATCH', '/api/v1/programs/LY-2024/measures/M-2FA', {
      version: m.version,
      description: 'Audited change',
    });
    const as = (user: 'auditor' | 'contractor', query: string) =>
      api.app.request(`/api/v1/programs/LY-2024/audit?${query}`, { headers: api.as(user) });
    const all = await readJson(await as('auditor', 'limit=1000'));
    expect(all.length).toBeGreaterThan(1);
    expect(all[0].id).toBeGreaterThan(all.at(-1).id);
    const updates = await readJson(await as('auditor', 'action=measure.&code=M-2FA'));
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((e: Doc) => e.action.startsWith('measure.') && e.code === 'M-2FA')).toBe(true);
    const byAdmin = await readJson(await as('auditor', 'actor=user:admin&action=measure.updated'));
    expect(byAdmin.map((e: Doc) => e.code)).toContain('M-2FA');
    expect((await readJson(await as('auditor', 'action=%25'))).length).toBe(0);
    expect((await as('contractor', '')).status).toBe(403);
  });

  it('answers invalid fields with 422 problem+json listing each field path', async () => {
    const res = await send('POST', '/api/v1/programs/LY-2024/measures', {
      code: 'M X',
      title: '',
      category: 'nope',
      kind: 'permanent',
      milestones: [{ code: 'A', title: 'A', committedOn: '2024-02-30' }],
    });
    expect(res.status).toBe(422);
    const body = await readJson(res);
    expect(body.type).toBe('urn:oversight:problem:validation');
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'category',
      'code',
      'milestones[0].committedOn',
      'title',
    ]);
  });

  it('speaks Japanese when asked', async () => {
    const res = await api.app.request('/api/v1/programs/LY-2024/measures/NOPE', {
      headers: { 'accept-language': 'ja,en;q=0.5' },
    });
    expect(res.status).toBe(404);
    expect((await readJson(res)).detail).toBe('measure NOPE は見つかりません。');
  });

  it('never answers 500 to malformed input', async () => {
    const cases: Array<[string, Response | Promise<Response>, number]> = [
      ['malformed JSON', send('POST', '/api/v1/programs/LY-2024/systems', '{"code": "S",'), 400],
      ['JSON that is not an object', send('PATCH', '/api/v1/programs/LY-2024/measures/M-2FA', '[1,2]'), 422],
      ['a body that is null', send('PATCH', '/api/v1/programs/LY-2024/measures/M-2FA', 'null'), 422],
      [
        'no content type',
        api.app.request('/api/v1/programs/LY-2024/systems', { method: 'POST', body: '{}' }),
        400,
      ],
      ['a malformed id', json('/api/v1/programs/LY-2024/measures/%00%20bad'), 400],
      ['a very long id', json(`/api/v1/programs/LY-2024/measures/${'x'.repeat(500)}`), 400],
      ['an unknown program', json('/api/v1/programs/NOPE/measures'), 404],
      ['an unknown route', json('/api/v1/nothing/here'), 404],
      ['a bad date in the query', json('/api/v1/programs/LY-2024/plan?asOf=2024-02-30'), 400],
      ['a missing query parameter', json('/api/v1/programs/LY-2024/plan'), 400],
      ['an unknown export format', json('/api/v1/programs/LY-2024/export?format=pdf'), 400],
      [
        'a version that is a string',
        send('PATCH', '/api/v1/programs/LY-2024/measures/M-2FA', { version: '1' }),
        422,
      ],
      ['a huge number', send('PATCH', '/api/v1/programs/LY-2024/measures/M-2FA', { version: 1e308 }), 422],
      [
        'a prototype key',
        send('PATCH', '/api/v1/programs/LY-2024/measures/M-2FA', '{"__proto__": {"x": 1}, "version": 1}'),
        422,
      ],
    ];
    for (const [what, response, status] of cases) {
      const res = await response;
      expect(res.status, what).toBe(status);
      expect(res.headers.get('content-type'), what).toContain('application/problem+json');
      const problem = await readJson(res);
      expect(problem.detail, what).toBeTruthy();
      expect(JSON.stringify(problem), what).not.toMatch(/\bat \S+\.ts:\d+/);
    }
  });

  it('imports a program file posted as YAML, all or nothing', async () => {
    const yaml = DEMO_TEXT.replace('code: LY-2024', 'code: LY-COPY');
    const res = await api.app.request('/api/v1/programs', {
      method: 'POST',
      headers: { 'content-type': 'application/yaml', ...api.as('admin') },
      body: yaml,
    });
    expect(res.status).toBe(201);
    const broken = await api.app.request('/api/v1/programs', {
      method: 'POST',
      headers: { 'content-type': 'application/yaml', ...api.as('admin') },
      body: yaml
        .replace('code: LY-COPY', 'code: LY-BROKEN')
        .replace('planned: 2024-08-31', 'planned: 2024-08-32'),
    });
    expect(broken.status).toBe(422);
    const body = await readJson(broken);
    expect(body.errors).toEqual([
      expect.objectContaining({ path: 'measures[5].milestones[0].planned', line: expect.any(Number) }),
    ]);
    expect((await json('/api/v1/programs/LY-BROKEN')).status).toBe(404);
  });

  it('exports the program as YAML and as JSON', async () => {
    const yaml = await json('/api/v1/programs/LY-2024/export');
    expect(yaml.headers.get('content-type')).toContain('application/yaml');
    expect(await yaml.text()).toContain('code: LY-2024');
    const asJson = await json('/api/v1/programs/LY-2024/export?format=json');
    expect((await readJson(asJson)).program.code).toBe('LY-2024');
  });

  it('publishes an OpenAPI document that describes every route', async () => {
    const res = await json('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = await readJson(res);
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/programs',
      '/api/v1/programs/{program}/measures/{code}',
      '/api/v1/programs/{program}/milestones/{code}/replan',
      '/api/v1/programs/{program}/relationships/{code}/decisions',
      '/api/v1/programs/{program}/plan',
    ])
      expect(Object.keys(doc.paths), path).toContain(path);
    expect(doc.paths['/api/v1/programs/{program}/measures/{code}'].patch.responses['409']).toBeDefined();
  });

  it("lints a program as of a day, with messages in the caller's language", async () => {
    const april = await readJson(await json('/api/v1/programs/LY-2024/lint?asOf=2024-04-01'));
    expect(april.asOf).toBe('2024-04-01');
    expect(april.counts.error).toBeGreaterThan(0);
    const undecided = april.findings.find(
      (f: Doc) => f.rule === 'relationship-undecided' && f.code === 'R-NAVER-CLOUD-INFRA',
    );
    expect(undecided).toMatchObject({ severity: 'error', path: 'relationships/R-NAVER-CLOUD-INFRA' });
    expect(undecided.message).toContain('reduce, terminate or maintain');
    const ja = await readJson(
      await api.app.request('/api/v1/programs/LY-2024/lint?asOf=2024-04-01', {
        headers: { 'accept-language': 'ja' },
      }),
    );
    expect(ja.findings.find((f: Doc) => f.code === 'R-NAVER-CLOUD-INFRA').message).toContain(
      '縮小・終了・維持',
    );
    const july = await readJson(await json('/api/v1/programs/LY-2024/lint?asOf=2024-07-01'));
    expect(july.findings.some((f: Doc) => f.rule === 'relationship-undecided')).toBe(false);
  });

  it('serves the dashboard as figures that agree with the schedule and the lint, and follow a change at once', async () => {
    const before = await readJson(await json('/api/v1/programs/LY-2024/dashboard'));
    const schedule = await readJson(await json('/api/v1/programs/LY-2024/schedule'));
    const lint = await readJson(await json('/api/v1/programs/LY-2024/lint'));
    expect(before.today).toBe(schedule.asOf);
    expect(before.lint).toEqual(lint.counts);
    const total = (d: Doc) => d.measures.reduce((n: number, m: Doc) => n + m.count, 0);
    expect(total(before)).toBe(schedule.measures.length);
    expect(before.late.map((m: Doc) => m.code)).toEqual(
      schedule.milestones
        .filter((m: Doc) => m.late)
        .sort((a: Doc, b: Doc) => a.planned.localeCompare(b.planned) || a.code.localeCompare(b.code))
        .map((m: Doc) => m.code),
    );
    const created = await send('POST', '/api/v1/programs/LY-2024/measures', {
      code: 'M-DASH',
      title: 'Counted at once',
      category: 'governance',
      kind: 'permanent',
      milestones: [
        {
          code: 'MS-DASH',
          title: 'Overdue from the start',
          committedOn: '2024-01-10',
          planned: '2024-02-01',
        },
      ],
    });
    expect(created.status).toBe(201);
    const after = await readJson(await json('/api/v1/programs/LY-2024/dashboard'));
    expect(total(after)).toBe(total(before) + 1);
    expect(after.late).toContainEqual(
      expect.objectContaining({ code: 'MS-DASH', measure: 'M-DASH', planned: '2024-02-01' }),
    );
    expect((await json('/api/v1/programs/NOPE/dashboard')).status).toBe(404);
  });

  it('adds an item to a directive under a parent of that directive only, at the end of its list', async () => {
    const path = '/api/v1/programs/LY-2024/directives/MIC-2024-04-16/items';
    const elsewhere = await send('POST', path, { parent: 'P-1', item: { code: 'G2-X', text: 'Misplaced' } });
    expect(elsewhere.status).toBe(422);
    expect((await readJson(elsewhere)).errors).toEqual([
      expect.objectContaining({ path: 'parent', message: expect.stringContaining('MIC-2024-04-16') }),
    ]);
    const added = await send('POST', path, { parent: 'G2-2', item: { code: 'G2-2d', text: 'Added last' } });
    expect(added.status).toBe(201);
    const file = await readJson(await json('/api/v1/programs/LY-2024/export?format=json'));
    const g22 = file.directives
      .find((d: Doc) => d.code === 'MIC-2024-04-16')
      .items.find((i: Doc) => i.code === 'G2-2');
    expect(g22.items.map((i: Doc) => i.code)).toEqual(['G2-2a', 'G2-2b', 'G2-2c', 'G2-2d']);
  });

  it('serves the schedule and the traceability matrix as of a day', async () => {
    const schedule = await readJson(await json('/api/v1/programs/LY-2024/schedule?asOf=2024-07-01'));
    expect(schedule.milestones.find((m: Doc) => m.code === 'MS-NETSEP')).toMatchObject({
      planned: '2026-03-31',
      slipDays: -91,
      late: false,
    });
    expect(schedule.criticalPaths.length).toBeGreaterThan(0);
    const trace = await readJson(await json('/api/v1/programs/LY-2024/traceability?asOf=2024-04-01'));
    expect(trace.directives.map((d: Doc) => d.directive)).toEqual(['MIC-2024-03-05', 'PPC-2024-03-28']);
    expect((await json('/api/v1/programs/LY-2024/lint?asOf=2024-13-01')).status).toBe(400);
  });

  it('flags NAVER as both outsourcing provider and co-controlling owner', async () => {
    const control = await readJson(await json('/api/v1/programs/LY-2024/control'));
    const naver = control.holders.find((h: Doc) => h.holder === 'NAVER');
    expect(naver).toMatchObject({ effective: 32.25, controls: true });
    expect(naver.chain).toEqual([
      { owner: 'NAVER', owned: 'AHD', share: 50, voting: 50 },
      { owner: 'AHD', owned: 'LY', share: 64.5, voting: 64.5 },
    ]);
    expect(control.providersInChain).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          relationship: 'R-NAVER-DEV',
          provider: 'NAVER',
          through: null,
          controls: true,
        }),
        expect.objectContaining({
          relationship: 'R-NAVER-CLOUD-INFRA',
          provider: 'NAVER-CLOUD',
          through: 'NAVER',
        }),
      ]),
    );
  });

  it('answers exposure queries as of a day, for one organization, and month by month', async () => {
    const april = await readJson(
      await json('/api/v1/programs/LY-2024/exposure?asOf=2024-04-01&organization=COMPANY-A'),
    );
    expect(april.organizations).toHaveLength(1);
    expect(april.organizations[0].systems.map((s: Doc) => s.system)).toContain('SYS-LINE-MSG');
    const timeline = await readJson(
      await json('/api/v1/programs/LY-2024/exposure/timeline?from=2024-01-01&to=2026-12-31'),
    );
    expect(timeline.months[0]).toBe('2024-01-31');
    expect(timeline.series.map((s: Doc) => s.organization)).toContain('NAVER-CLOUD');
    expect((await json('/api/v1/programs/LY-2024/exposure?organization=NOBODY')).status).toBe(404);
    expect((await json('/api/v1/programs/LY-2024/exposure?view=sometimes')).status).toBe(400);
  });

  it('serves the register grouped, as files, and what changed since a day', async () => {
    const byQuarter = await readJson(await json('/api/v1/programs/LY-2024/register?groupBy=quarter'));
    expect(byQuarter.map((g: Doc) => g.key)).toEqual(expect.arrayContaining(['2024-Q3', '2025-Q4', 'none']));
    expect(byQuarter.at(-1).key).toBe('none');
    const byDecision = await readJson(await json('/api/v1/programs/LY-2024/register?groupBy=decision'));
    expect(byDecision.find((g: Doc) => g.key === 'maintain').rows.map((r: Doc) => r.reference)).toContain(
      'R-NAVER-CS-KR',
    );
    const xlsx = await json('/api/v1/programs/LY-2024/register?format=xlsx');
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    const changes = await readJson(await json('/api/v1/programs/LY-2024/register/changes?since=2024-07-01'));
    const infra = changes.changes.find((c: Doc) => c.reference === 'R-NAVER-CLOUD-INFRA');
    expect(infra).toMatchObject({
      kind: 'decided',
      on: '2024-07-01',
      from: { decision: 'undecided' },
      to: { decision: 'terminate', targetDate: '2025-12-31' },
    });
    const junk = await api.app.request('/api/v1/programs/LY-2024/register', {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      body: 'not a workbook',
    });
    expect(junk.status).toBe(422);
    expect((await readJson(junk)).errors[0]).toMatchObject({ path: 'file', message: 'not an XLSX workbook' });
  });

  it('reports its health', async () => {
    expect(await readJson(await json('/healthz'))).toEqual({ status: 'ok', database: backend.name });
  });

  it('serves a home page that lists the programs in either language', async () => {
    const en = await (await json('/')).text();
    expect(en).toContain('LY-2024');
    expect(en).toContain('href="/api/openapi.json"');
    const ja = await (await json('/?lang=ja')).text();
    expect(ja).toContain('LINEヤフー株式会社 再発防止策');
    expect(ja).toContain('<html lang="ja">');
  });
});
