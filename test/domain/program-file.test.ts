import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { programFileJsonSchema } from '../../src/domain/program-file/json-schema.ts';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import { DEMO_TEXT, minimalProgram } from '../support/builders.ts';

// biome-ignore lint/suspicious/noExplicitAny: test documents are edited freely, field by field
type Doc = any;

function problems(text: string) {
  const result = parseProgramText(text);
  if (result.ok) throw new Error('expected problems');
  return result.issues;
}

/** The minimal program as YAML, changed by `edit`. */
function yamlWith(edit: (doc: Doc) => void): string {
  const doc = JSON.parse(JSON.stringify(minimalProgram())) as Doc;
  edit(doc);
  return stringify(doc);
}

describe('program files', () => {
  it('reads the demo program', () => {
    const result = parseProgramText(DEMO_TEXT);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.file.program.code).toBe('LY-2024');
    expect(result.file.directives.map((d) => d.code)).toContain('MIC-2024-04-16');
  });

  it('reads JSON as well as YAML, to the same program', () => {
    const demo = parseProgramText(DEMO_TEXT);
    if (!demo.ok) throw new Error('demo does not parse');
    const json = parseProgramText(JSON.stringify(demo.file, null, 2));
    expect(json).toEqual(demo);
  });

  it('refuses a JSON file that names a key twice, with its line, like a YAML file', () => {
    const text = JSON.stringify(minimalProgram(), null, 2).replace(
      '"code": "MINI"',
      '"code": "MINI",\n    "code": "Q"',
    );
    expect(text).toContain('"code": "Q"');
    const [issue] = problems(text);
    expect(issue).toMatchObject({ key: 'validation.not_yaml', line: 5 });
  });

  it('locates a mistake in a JSON file by line and column', () => {
    const doc = JSON.parse(JSON.stringify(minimalProgram())) as Doc;
    doc.measures[0].kind = 'forever';
    const text = JSON.stringify(doc, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"forever"')) + 1;
    expect(problems(text)).toEqual([expect.objectContaining({ path: 'measures[0].kind', line })]);
  });

  it('reports every mistake at once, each with line, column and field path', () => {
    const text = [
      'oversight: 1',
      'program:',
      '  code: P',
      '  name: P',
      '  regulatedOrganization: ORG',
      'organizations:',
      '  - code: ORG',
      '    name: Org',
      '    kind: regulated',
      '  - code: ORG',
      '    name: Org again',
      '    kind: regulator',
      'measures:',
      '  - code: M1',
      '    title: One',
      '    category: safety_management',
      '    kind: permanent',
      '    milestones:',
      '      - code: A',
      '        title: A',
      '        committedOn: 2024-04-01',
      '        planned: 2024-02-30',
      '        dependsOn: [B]',
      '      - code: B',
      '        title: B',
      '        committedOn: 2024-04-01',
      '        dependsOn: [A, NOPE]',
    ].join('\n');
    const found = problems(text).map((i) => `${i.line}:${i.column} ${i.path} ${i.key}`);
    expect(found).toEqual([
      '10:11 organizations[1].code validation.duplicate_code',
      '22:18 measures[0].milestones[0].planned validation.not_a_date',
      '23:20 measures[0].milestones[0].dependsOn validation.dependency_cycle',
      '27:24 measures[0].milestones[1].dependsOn[1] validation.unknown_code',
    ]);
  });

  it('says when a text is not YAML at all', () => {
    const [issue] = problems('program: [\n  oops: }\n');
    expect(issue?.key).toBe('validation.not_yaml');
    expect(issue?.line).toBe(2);
  });

  it('says when a YAML document is not a program', () => {
    expect(problems('- just\n- a list\n')[0]?.key).toBe('validation.not_a_program');
    expect(problems('hello: world\n').map((i) => i.path)).toEqual(
      expect.arrayContaining(['oversight', 'program', 'hello']),
    );
  });

  it('gives each kind of mistake its own message', () => {
    const keyOf = (edit: (doc: Doc) => void) => problems(yamlWith(edit)).map((i) => [i.path, i.key]);
    expect(keyOf((d) => (d.measures[0].milestones[0].planned = '2023-02-29'))).toEqual([
      ['measures[0].milestones[0].planned', 'validation.not_a_date'],
    ]);
    expect(keyOf((d) => (d.measures[0].organization = 'GHOST'))).toEqual([
      ['measures[0].organization', 'validation.unknown_code'],
    ]);
    expect(keyOf((d) => d.measures.push({ ...d.measures[0], milestones: [] }))).toEqual([
      ['measures[1].code', 'validation.duplicate_code'],
    ]);
    expect(keyOf((d) => (d.measures[0].milestones[0].dependsOn = ['MS-1']))).toEqual([
      ['measures[0].milestones[0].dependsOn[0]', 'validation.self_reference'],
    ]);
    expect(keyOf((d) => (d.measures[0].kind = 'temporary'))).toEqual([
      ['measures[0].kind', 'validation.invalid_value'],
    ]);
    expect(keyOf((d) => (d.oversight = 2))).toEqual([['oversight', 'validation.format_version']]);
  });

  it('checks that a re-plan history adds up to the planned date', () => {
    const issues = problems(
      yamlWith((d) => {
        d.measures[0].milestones[0].replans = [
          { on: '2024-05-01', from: '2024-05-31', to: '2024-06-15', reason: 'first' },
          { on: '2024-04-20', from: '2024-06-01', to: '2024-06-30', reason: 'second' },
        ];
      }),
    ).map((i) => `${i.path} ${i.key}`);
    expect(issues).toEqual([
      'measures[0].milestones[0].replans[1].on validation.history_order',
      'measures[0].milestones[0].replans[1].from validation.replan_chain',
    ]);
  });

  it('accepts a decision to terminate before its date is known (the lint reports it)', () => {
    const text = yamlWith((d) => {
      d.relationships = [
        {
          code: 'R',
          title: 'R',
          customer: 'ORG',
          provider: 'REG',
          scope: 'other',
          decisions: [{ on: '2024-04-01', decision: 'terminate' }],
        },
      ];
    });
    expect(parseProgramText(text).ok).toBe(true);
  });

  it('checks that decisions are kept in date order', () => {
    const issues = problems(
      yamlWith((d) => {
        d.relationships = [
          {
            code: 'R',
            title: 'R',
            customer: 'ORG',
            provider: 'REG',
            scope: 'other',
            decisions: [
              { on: '2024-07-01', decision: 'terminate', targetDate: '2025-12-31' },
              { on: '2024-04-01', decision: 'undecided' },
            ],
          },
        ];
      }),
    );
    expect(issues.map((i) => `${i.path} ${i.key}`)).toEqual([
      'relationships[0].decisions[1].on validation.history_order',
    ]);
  });

  it('finds directives that follow each other up in a cycle, and dates the database cannot hold', () => {
    const issues = problems(
      yamlWith((d) => {
        d.organizations.push({ code: 'AUTH', name: 'Authority', kind: 'regulator' });
        d.directives = [
          { code: 'A', issuer: 'AUTH', issuedOn: '2024-01-01', title: 'A', followsUp: 'B' },
          { code: 'B', issuer: 'AUTH', issuedOn: '0000-01-01', title: 'B', followsUp: 'A' },
        ];
        d.ownerships = [{ owner: 'REG', owned: 'ORG', share: 33.333333 }];
      }),
    ).map((i) => `${i.path} ${i.key}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        'directives[0].followsUp validation.follows_up_cycle',
        'directives[1].issuedOn validation.not_a_date',
        'ownerships[0].share validation.four_decimals',
      ]),
    );
  });

  it('refuses two ownership edges for one pair', () => {
    const issues = problems(
      yamlWith((d) => {
        d.ownerships = [
          { owner: 'REG', owned: 'ORG', share: 40 },
          { owner: 'REG', owned: 'ORG', share: 45 },
        ];
      }),
    );
    expect(issues.map((i) => `${i.path} ${i.key}`)).toEqual(['ownerships[1] validation.duplicate_ownership']);
  });

  it('reports a malformed date once, not once per check', () => {
    const issues = problems(yamlWith((d) => (d.measures[0].milestones[0].planned = 'soon')));
    expect(issues.map((i) => i.path)).toEqual(['measures[0].milestones[0].planned']);
  });

  it('refuses text that cannot be stored, and nesting beyond reason, with a clear message', () => {
    const nul = problems(yamlWith((d) => (d.program.name = 'a\u0000b')));
    expect(nul.map((i) => `${i.path} ${i.key}`)).toEqual(['program.name validation.text_nul']);
    let items = '[]';
    for (let i = 0; i < 40; i++) items = `[{code: N${i}, text: x, items: ${items}}]`;
    const deep = problems(
      yamlWith((d) => {
        d.organizations.push({ code: 'AUTH', name: 'Authority', kind: 'regulator' });
        d.directives = [
          { code: 'D', issuer: 'AUTH', issuedOn: '2024-01-01', title: 'D', items: '__ITEMS__' },
        ];
      })
        .replace("'__ITEMS__'", items)
        .replace('__ITEMS__', items),
    );
    expect(deep[0]?.key).toBe('validation.too_deep');
  });

  it('is described by the published JSON Schema, which matches the code', () => {
    const published = JSON.parse(
      readFileSync(new URL('../../schema/program.schema.json', import.meta.url), 'utf8'),
    );
    expect(published, 'schema/program.schema.json is out of date: run npm run schema').toEqual(
      programFileJsonSchema(),
    );
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(published);
    const demo = parseProgramText(DEMO_TEXT);
    expect(demo.ok).toBe(true);
    const raw = JSON.parse(JSON.stringify((demo as { file: unknown }).file));
    expect(validate(raw), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...raw, oversight: 7 })).toBe(false);
  });
});
