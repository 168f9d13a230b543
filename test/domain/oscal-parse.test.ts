/**
 * What the OSCAL import says about a document it cannot import: not JSON (where), not a POA&M (what
 * it holds instead), each schema problem once at its JSON pointer, a key given twice, and options
 * that are not a code or a time zone.
 */
import { describe, expect, it } from 'vitest';
import { readOscalPoam } from '../../src/domain/oscal-import/index.ts';
import { NIST_POAM } from '../support/oscal.ts';

// biome-ignore lint/suspicious/noExplicitAny: test documents are edited freely, field by field
type Doc = any;

const P = '/plan-of-action-and-milestones';

/** NIST's example, changed by `edit`. */
function nistWith(edit: (doc: Doc) => void): string {
  const doc = JSON.parse(NIST_POAM) as Doc;
  edit(doc);
  return JSON.stringify(doc, null, 2);
}

describe('a document that cannot be imported', () => {
  const failure = (text: string, options = {}) => {
    const result = readOscalPoam(text, options);
    if (result.ok) throw new Error('expected a failure');
    return result;
  };

  it('says where a file is not JSON', () => {
    expect(failure('{\n  "plan-of-action-and-milestones": {,\n}')).toMatchObject({
      key: 'errors.oscal_not_json',
      params: { line: 2, column: 37, detail: 'ValueExpected' },
    });
  });

  it('says what a JSON document that is not a POA&M holds instead', () => {
    expect(failure('{"catalog": {}}')).toMatchObject({
      key: 'errors.oscal_not_poam',
      params: { found: 'catalog' },
    });
    expect(failure('[1, 2]')).toMatchObject({ key: 'errors.oscal_not_poam', params: { found: 'array' } });
    expect(failure('{"oversight": 1, "program": {}}').key).toBe('errors.oscal_program_file');
  });

  it('lists each schema problem once, at its JSON pointer', () => {
    const text = nistWith((doc) => {
      const poam = doc['plan-of-action-and-milestones'];
      delete poam['poam-items'][0].title;
      poam.risks[0].status = 'not a token';
      poam.risks[1].deadline = '2024-01-01';
      poam.risks[1].uuid = 'not-a-uuid';
      poam.metadata.colour = 'red';
    });
    const result = failure(text);
    expect(result.key).toBe('errors.oscal_invalid');
    expect(result.params).toEqual({ count: 5, shown: 5 });
    expect(result.issues.map((i) => [i.path, i.key]).sort()).toEqual([
      [`${P}/metadata/colour`, 'oscal.schema.unknown'],
      [`${P}/poam-items/0/title`, 'oscal.schema.required'],
      [`${P}/risks/0/status`, 'oscal.schema.token'],
      [`${P}/risks/1/deadline`, 'oscal.schema.dateTime'],
      [`${P}/risks/1/uuid`, 'oscal.schema.uuid'],
    ]);
  });

  it('refuses a key given twice, which JSON.parse would silently settle', () => {
    const text = NIST_POAM.replace('"version": "1.2.1",', '"version": "1.2.1",\n      "version": "9",');
    const result = failure(text);
    expect(result.issues).toEqual([
      {
        path: `${P}/metadata/version`,
        key: 'oscal.schema.duplicate',
        params: { field: 'version', line: 9, column: 7 },
      },
    ]);
  });

  it('refuses a program code or time zone that is not one', () => {
    expect(failure(NIST_POAM, { program: 'no spaces' }).key).toBe('errors.oscal_bad_program');
    expect(failure(NIST_POAM, { timeZone: 'Mars/Olympus' }).key).toBe('errors.oscal_bad_zone');
  });
});
