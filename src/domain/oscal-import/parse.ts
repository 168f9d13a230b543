/**
 * Reads the text of an OSCAL POA&M (JSON) into a document that passed NIST's OSCAL 1.0.6 POA&M
 * schema, or into a failure that says what is wrong and where: not JSON (line and column), not a
 * POA&M (what the top level holds instead), or every schema problem with its JSON pointer.
 *
 * The schema is a module import, not a file read, so this stays free of I/O; it is compiled once,
 * on first use (about a quarter of a second).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { type ParseError, parse as parseJsonc, printParseErrorCode, visit } from 'jsonc-parser';
import schema from '../../../schema/oscal/oscal_poam_schema.json' with { type: 'json' };
import type { FieldIssue } from '../errors.ts';
import { inputSafetyIssues } from '../input-safety.ts';
import { at, type OscalDocument } from './oscal-types.ts';

export interface OscalFailure {
  ok: false;
  /** i18n key of the message (errors.oscal_*). */
  key: string;
  params: Record<string, unknown>;
  /** Each problem, its path a JSON pointer into the document. */
  issues: FieldIssue[];
}

export type ParsedPoam = { ok: true; document: OscalDocument } | OscalFailure;

/** Schema problems shown at most; the count says how many there were. */
const MAX_ISSUES = 100;

const fail = (
  key: string,
  params: Record<string, unknown> = {},
  issues: FieldIssue[] = [],
): OscalFailure => ({
  ok: false,
  key,
  params,
  issues,
});

export function parsePoamText(text: string): ParsedPoam {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (cause) {
    // JSON.parse says where only in English prose; jsonc-parser gives the offset of the first error.
    const errors: ParseError[] = [];
    parseJsonc(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    const { line, column } = first ? position(body, first.offset) : { line: 1, column: 1 };
    return fail('errors.oscal_not_json', {
      line,
      column,
      detail: first ? printParseErrorCode(first.error) : (cause as Error).message,
    });
  }

  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return fail('errors.oscal_not_poam', { found: Array.isArray(data) ? 'array' : JSON.stringify(data) });
  const top = data as Record<string, unknown>;
  if (!('plan-of-action-and-milestones' in top)) {
    if ('oversight' in top && 'program' in top) return fail('errors.oscal_program_file');
    const keys = Object.keys(top);
    return fail('errors.oscal_not_poam', {
      found: keys.length === 0 ? '{}' : keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', …' : ''),
    });
  }

  const duplicates = duplicateKeys(body);
  const unsafe = inputSafetyIssues(data).map(({ rawPath, ...issue }) => ({
    ...issue,
    path: at('', ...(rawPath as Array<string | number>)),
  }));
  const invalid = schemaIssues(data);
  const issues = [...duplicates, ...unsafe, ...invalid];
  if (issues.length > 0)
    return fail(
      'errors.oscal_invalid',
      { count: issues.length, shown: Math.min(issues.length, MAX_ISSUES) },
      issues.slice(0, MAX_ISSUES),
    );
  return { ok: true, document: data as OscalDocument };
}

/** 1-based line and column of an offset. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  return { line, column: offset - start + 1 };
}

/** A key named twice in one object: JSON.parse would keep the last one silently. */
function duplicateKeys(text: string): FieldIssue[] {
  const open: Array<Set<string>> = [];
  const out: FieldIssue[] = [];
  visit(text, {
    onObjectBegin: () => {
      open.push(new Set());
    },
    onObjectEnd: () => {
      open.pop();
    },
    onObjectProperty: (key, _offset, _length, line, column, pathOf) => {
      const keys = open[open.length - 1];
      if (keys?.has(key))
        out.push({
          path: at('', ...pathOf(), key),
          key: 'oscal.schema.duplicate',
          params: { field: key, line: line + 1, column: column + 1 },
        });
      keys?.add(key);
    },
  });
  return out;
}

let validator: ValidateFunction | undefined;

function schemaIssues(data: unknown): FieldIssue[] {
  if (!validator) {
    // Every problem at once, as the program-file import does, not the first one only.
    const ajv = new Ajv({ allErrors: true });
    ajvFormats.default(ajv);
    validator = ajv.compile(schema);
  }
  if (validator(data)) return [];
  // One problem per place: the most telling error at each pointer (a wrong token fails both the
  // token pattern and the enumeration of an `anyOf`; say it once).
  const byPath = new Map<string, FieldIssue & { rank: number }>();
  for (const e of validator.errors ?? []) {
    const issue = describe(e);
    const known = byPath.get(issue.path);
    if (!known || issue.rank < known.rank) byPath.set(issue.path, issue);
  }
  return [...byPath.values()].map(({ rank: _rank, ...issue }) => issue);
}

/** The datatypes of NIST's schema, by definition name, and what each wants. */
const DATATYPES: Record<string, string> = {
  UUIDDatatype: 'oscal.schema.uuid',
  DateTimeWithTimezoneDatatype: 'oscal.schema.dateTime',
  TokenDatatype: 'oscal.schema.token',
  StringDatatype: 'oscal.schema.string',
  URIDatatype: 'oscal.schema.uri',
  URIReferenceDatatype: 'oscal.schema.uri',
  EmailAddressDatatype: 'oscal.schema.email',
};

function describe(e: ErrorObject): FieldIssue & { rank: number } {
  const path = e.instancePath;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { rank: 0, path: `${path}/${params.missingProperty}`, key: 'oscal.schema.required' };
    case 'additionalProperties':
      return {
        rank: 0,
        path: `${path}/${params.additionalProperty}`,
        key: 'oscal.schema.unknown',
        params: { field: params.additionalProperty },
      };
  }
  const datatype = /definitions\/(\w+Datatype)\//.exec(e.schemaPath)?.[1];
  const typeKey = datatype ? DATATYPES[datatype] : undefined;
  if (typeKey) return { rank: 1, path, key: typeKey };
  switch (e.keyword) {
    case 'enum':
      return {
        rank: 2,
        path,
        key: 'oscal.schema.enum',
        params: { allowed: (params.allowedValues as unknown[]).join(', ') },
      };
    case 'type':
      return { rank: 2, path, key: 'oscal.schema.type', params: { expected: String(params.type) } };
    case 'minItems':
      return { rank: 2, path, key: 'oscal.schema.empty' };
    case 'anyOf':
    case 'oneOf':
    case 'allOf':
      return { rank: 9, path, key: 'oscal.schema.other', params: { detail: e.message ?? e.keyword } };
    default:
      return { rank: 3, path, key: 'oscal.schema.other', params: { detail: e.message ?? e.keyword } };
  }
}
