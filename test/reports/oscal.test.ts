/**
 * The OSCAL POA&M export of the demo's 1 July 2024 report: it validates against NIST's OSCAL 1.0.6
 * schema, carries every measure as a poam-item and a risk with one task per milestone, is the same
 * bytes every time, and its UUIDs are unique, valid and resolve.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
// The draft-07 Ajv class. Under NodeNext, TypeScript types the default imports of these CommonJS
// packages as their whole module, so the class is taken by name and the plugin by its `default`.
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import type { ReportModel } from '../../src/reports/model.ts';
import { nameUuid, renderOscalPoam, zonedDay } from '../../src/reports/oscal.ts';
import { DEMO_TEXT, demoJulyReport } from '../support/builders.ts';

const parsed = parseProgramText(DEMO_TEXT);
if (!parsed.ok) throw new Error('the demo does not parse');
const _demo = parsed.file;

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const EVIDENCE = [
  { kind: 'milestone', code: 'MS-NETSEP-FW', filename: 'firewall rules_2024-08 [v2].pdf', sha256: sha('fw') },
  { kind: 'measure', code: 'M-OUTSOURCING-PLAN', filename: '委託見直し計画.pdf', sha256: sha('plan') },
];

function july(): ReportModel {
  return demoJulyReport(EVIDENCE);
}

const GENERATED_AT = '2024-07-01T01:30:00.000Z';

const schema = JSON.parse(
  readFileSync(new URL('../../schema/oscal/oscal_poam_schema.json', import.meta.url), 'utf8'),
);
const ajv = new Ajv({ allErrors: true });
ajvFormats.default(ajv);
const validate = ajv.compile(schema);

function errorsOf(doc: unknown): string[] {
  return validate(doc)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

interface Prop {
  name: string;
  value: string;
}
interface Task {
  uuid: string;
  type: string;
  title: string;
  props?: Prop[];
  timing?: { 'on-date': { date: string } };
  remarks?: string;
}
interface Risk {
  uuid: string;
  status: string;
  remediations: Array<{ lifecycle: string; tasks?: Task[]; remarks?: string }>;
  'related-observations'?: Array<{ 'observation-uuid': string }>;
}
interface PoamItem {
  uuid: string;
  title: string;
  description: string;
  props?: Prop[];
  links?: Array<{ href: string; rel?: string }>;
  'related-risks'?: Array<{ 'risk-uuid': string }>;
  'related-observations'?: Array<{ 'observation-uuid': string }>;
}
interface Poam {
  uuid: string;
  metadata: {
    title: string;
    'last-modified': string;
    version: string;
    props: Prop[];
    parties: Array<{ uuid: string; name: string }>;
    'responsible-parties': Array<{ 'role-id': string; 'party-uuids': string[] }>;
  };
  observations: Array<{ uuid: string; description: string; props: Prop[] }>;
  risks: Risk[];
  'poam-items': PoamItem[];
  'back-matter': {
    resources: Array<{
      uuid: string;
      title: string;
      rlinks: Array<{ href: string; hashes: Array<{ algorithm: string; value: string }> }>;
    }>;
  };
}

const poamOf = (text: string) =>
  (JSON.parse(text) as { 'plan-of-action-and-milestones': Poam })['plan-of-action-and-milestones'];
const propOf = (x: { props?: Prop[] }, name: string) => x.props?.find((p) => p.name === name)?.value;

/** Every value of a key anywhere in a JSON value. */
function valuesOf(value: unknown, key: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) valuesOf(v, key, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === key) out.push(v);
      valuesOf(v, key, out);
    }
  return out;
}

const V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('the OSCAL POA&M export of a report', () => {
  const model = july();
  const en = renderOscalPoam(model, { lang: 'en', generatedAt: GENERATED_AT });
  const ja = renderOscalPoam(model, { lang: 'ja', generatedAt: GENERATED_AT });

  it("validates against NIST's OSCAL 1.0.6 POA&M schema, in English and in Japanese", () => {
    expect(en.endsWith('}\n')).toBe(true);
    expect(en.split('\n')[1]).toBe('  "plan-of-action-and-milestones": {');
    expect(errorsOf(JSON.parse(en))).toEqual([]);
    expect(errorsOf(JSON.parse(ja))).toEqual([]);
  });

  it('fails validation when a document is broken, so passing means something', () => {
    const broken = JSON.parse(en) as { 'plan-of-action-and-milestones': Poam };
    delete (broken['plan-of-action-and-milestones']['poam-items'][0] as Partial<PoamItem>).title;
    expect(errorsOf(broken).join('\n')).toContain("must have required property 'title'");

    const badUuid = JSON.parse(en) as { 'plan-of-action-and-milestones': Poam };
    badUuid['plan-of-action-and-milestones'].risks[0]!.uuid = 'not-a-uuid';
    expect(errorsOf(badUuid).length).toBeGreaterThan(0);

    const badDate = JSON.parse(en) as { 'plan-of-action-and-milestones': Poam };
    badDate['plan-of-action-and-milestones'].metadata['last-modified'] = '2024-07-01';
    expect(errorsOf(badDate).length).toBeGreaterThan(0);
  });

  it('has a poam-item and a risk for every measure, with one milestone task per milestone', () => {
    const poam = poamOf(en);
    const risks = new Map(poam.risks.map((r) => [r.uuid, r]));
    expect(poam['poam-items']).toHaveLength(model.measures.length);
    for (const m of model.measures) {
      const item = poam['poam-items'].find((i) => propOf(i, 'measure') === m.code);
      expect(item, m.code).toBeDefined();
      expect(item!.title.startsWith(`${m.code}: `)).toBe(true);
      expect(propOf(item!, 'category')).toBe(m.category);
      expect(propOf(item!, 'declared-status')).toBe(m.declared);
      expect(propOf(item!, 'derived-status')).toBe(m.derived);
      // Which directive items it answers, by code.
      for (const i of model.items.filter((x) => x.measures.includes(m.code)))
        expect(item!.description).toContain(i.code);
      const risk = risks.get(item!['related-risks']![0]!['risk-uuid'])!;
      expect(risk, m.code).toBeDefined();
      const tasks = risk.remediations[0]!.tasks ?? [];
      expect(tasks.map((t) => propOf(t, 'milestone'))).toEqual(m.milestones.map((ms) => ms.code));
      expect(tasks.every((t) => t.type === 'milestone')).toBe(true);
      const done = m.milestones.length > 0 && m.milestones.every((ms) => ms.actual !== null);
      expect(risk.status).toBe(done ? 'closed' : 'open');
    }
    expect(poam.risks).toHaveLength(model.measures.length);
  });

  it('dates MS-NETSEP on 31 March 2026, the start of that day in Tokyo, with its re-plan and reason', () => {
    const tasks = poamOf(en).risks.flatMap((r) => r.remediations.flatMap((x) => x.tasks ?? []));
    const netsep = tasks.find((t) => propOf(t, 'milestone') === 'MS-NETSEP')!;
    expect(netsep.timing!['on-date'].date).toBe('2026-03-31T00:00:00+09:00');
    expect(propOf(netsep, 'baseline-date')).toBe('2026-06-30');
    expect(propOf(netsep, 'slip-days')).toBe('-91');
    expect(netsep.remarks).toContain('March 2026');
    // A milestone done is dated when it was done; one not dated has no timing.
    const plan = tasks.find((t) => propOf(t, 'milestone') === 'MS-OUTSOURCING-PLAN')!;
    expect(plan.timing!['on-date'].date).toBe('2024-07-01T00:00:00+09:00');
    expect(tasks.find((t) => propOf(t, 'milestone') === 'MS-CAPITAL-OUTCOME')!.timing).toBeUndefined();
  });

  it('writes calendar dates at the start of the day with the offset the zone has then', () => {
    expect(zonedDay('2024-07-01', 'America/New_York')).toBe('2024-07-01T00:00:00-04:00');
    expect(zonedDay('2024-01-15', 'America/New_York')).toBe('2024-01-15T00:00:00-05:00');
    expect(zonedDay('2024-07-01', 'Asia/Kolkata')).toBe('2024-07-01T00:00:00+05:30');
    expect(zonedDay('2024-07-01', 'UTC')).toBe('2024-07-01T00:00:00Z');
    expect(poamOf(en).metadata['last-modified']).toBe('2024-07-01T10:30:00+09:00');
  });

  it('is the same bytes for the same model and options, and differs only where it should', () => {
    expect(renderOscalPoam(model, { lang: 'en', generatedAt: GENERATED_AT })).toBe(en);
    expect(renderOscalPoam(july(), { lang: 'en', generatedAt: GENERATED_AT })).toBe(en);
    const later = renderOscalPoam(model, { lang: 'en', generatedAt: '2024-07-02T00:00:00Z' });
    expect(later).not.toBe(en);
    // UUIDs name subjects, not renderings: the same in either language and at any time.
    expect(valuesOf(JSON.parse(later), 'uuid')).toEqual(valuesOf(JSON.parse(en), 'uuid'));
    expect(valuesOf(JSON.parse(ja), 'uuid')).toEqual(valuesOf(JSON.parse(en), 'uuid'));
  });

  it('has unique, valid version-5 UUIDs, and every reference points at one of them', () => {
    const doc = JSON.parse(en);
    const uuids = valuesOf(doc, 'uuid') as string[];
    expect(uuids.length).toBeGreaterThan(model.measures.length * 2);
    for (const u of uuids) expect(u).toMatch(V5);
    expect(new Set(uuids).size).toBe(uuids.length);
    const defined = new Set(uuids);
    const refs = [
      ...(valuesOf(doc, 'risk-uuid') as string[]),
      ...(valuesOf(doc, 'observation-uuid') as string[]),
      ...(valuesOf(doc, 'party-uuids') as string[][]).flat(),
      ...(valuesOf(doc, 'href') as string[]).filter((h) => h.startsWith('#')).map((h) => h.slice(1)),
    ];
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(defined.has(r), r).toBe(true);
  });

  it('derives UUIDs by RFC 9562 version 5', () => {
    // RFC 9562, appendix A.4: the DNS namespace and www.example.com.
    expect(nameUuid('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('names the directive, the parties and their roles in the metadata', () => {
    const poam = poamOf(en);
    expect(poam.metadata.title).toContain('MIC-2024-04-16');
    expect(poam.metadata.version).toBe('2024-07-01');
    expect(propOf(poam.metadata, 'directive')).toBe('MIC-2024-04-16');
    expect(propOf(poam.metadata, 'directive-issued')).toBe('2024-04-16');
    expect(propOf(poam.metadata, 'report-due')).toBe('2024-07-01');
    const party = (role: string) => {
      const id = poam.metadata['responsible-parties'].find((r) => r['role-id'] === role)!['party-uuids'][0];
      return poam.metadata.parties.find((p) => p.uuid === id)!.name;
    };
    expect(party('regulated-organization')).toBe('LY Corporation');
    expect(party('regulator')).toBe('Ministry of Internal Affairs and Communications');
    const jaPoam = poamOf(ja);
    expect(jaPoam.metadata.parties.map((p) => p.name)).toEqual(['LINEヤフー株式会社', '総務省']);
  });

  it('makes an observation of every open finding and relates those on a measure to its item and risk', () => {
    const poam = poamOf(en);
    expect(poam.observations).toHaveLength(model.findings.length);
    const soc = model.findings.find((f) => f.rule === 'status-mismatch' && f.code === 'M-SOC')!;
    const obs = poam.observations.find(
      (o) => propOf(o, 'rule') === 'status-mismatch' && propOf(o, 'record-code') === 'M-SOC',
    )!;
    expect(obs.description.startsWith('status-mismatch: ')).toBe(true);
    expect(soc).toBeDefined();
    const item = poam['poam-items'].find((i) => propOf(i, 'measure') === 'M-SOC')!;
    expect(item['related-observations']).toContainEqual({ 'observation-uuid': obs.uuid });
    const risk = poam.risks.find((r) => r.uuid === item['related-risks']![0]!['risk-uuid'])!;
    expect(risk['related-observations']).toContainEqual({ 'observation-uuid': obs.uuid });
    // A finding on an organization concerns no measure.
    const tier = poam.observations.find((o) => propOf(o, 'rule') === 'provider-tier-unmet')!;
    const related = poam['poam-items'].flatMap((i) => i['related-observations'] ?? []);
    expect(related).not.toContainEqual({ 'observation-uuid': tier.uuid });
  });

  it('lists evidence files in the back-matter with their SHA-256, linked from the measure', () => {
    const poam = poamOf(en);
    const resources = poam['back-matter'].resources;
    expect(resources.map((r) => r.rlinks[0]!.hashes[0])).toEqual(
      EVIDENCE.map((e) => ({ algorithm: 'SHA-256', value: e.sha256 })),
    );
    expect(resources[1]!.title).toBe('委託見直し計画.pdf');
    const item = poam['poam-items'].find((i) => propOf(i, 'measure') === 'M-NETSEP')!;
    expect(item.links).toEqual([
      { href: `#${resources[0]!.uuid}`, rel: 'evidence', text: resources[0]!.title },
    ]);
  });

  it('still validates with no finding, no evidence and no measure', () => {
    const bare: ReportModel = { ...model, findings: [], measures: [] };
    const doc = JSON.parse(renderOscalPoam(bare, { lang: 'ja', generatedAt: GENERATED_AT }));
    expect(errorsOf(doc)).toEqual([]);
    expect(doc['plan-of-action-and-milestones']['poam-items']).toHaveLength(1);
  });
});
