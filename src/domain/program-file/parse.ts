/**
 * Reads a program file (YAML, or JSON, which YAML 1.2 reads too) into a checked ProgramFile, or
 * into every problem found, each with its field path and its line and column in the text.
 */
import { visit } from 'jsonc-parser';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { FieldIssue } from '../errors.ts';
import { formatPath } from '../errors.ts';
import { inputSafetyIssues, MAX_DEPTH } from '../input-safety.ts';
import { checkProgramFile } from './check.ts';
import { type ProgramFile, programFileSchema } from './schema.ts';

export type ParseResult = { ok: true; file: ProgramFile } | { ok: false; issues: FieldIssue[] };

export function parseProgramText(text: string): ParseResult {
  return parseJsonQuickly(text) ?? parseDocumentText(text);
}

/**
 * A valid JSON program file, read without the YAML library (which takes seconds on a file of
 * several megabytes). Anything else — YAML, broken JSON, a duplicated key, any problem in the
 * content — returns undefined, and the full YAML reading finds and locates every problem.
 */
function parseJsonQuickly(text: string): ParseResult | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data) || hasDuplicateKey(text))
    return undefined;
  if (inputSafetyIssues(data).length > 0) return undefined;
  const parsed = programFileSchema.safeParse(data);
  if (!parsed.success || checkProgramFile(data).length > 0) return undefined;
  return { ok: true, file: parsed.data };
}

/** Whether an object in the JSON text names a key twice (JSON.parse would keep the last silently). */
function hasDuplicateKey(text: string): boolean {
  const open: Array<Set<string>> = [];
  let duplicate = false;
  visit(text, {
    onObjectBegin: () => {
      open.push(new Set());
    },
    onObjectEnd: () => {
      open.pop();
    },
    onObjectProperty: (key) => {
      const keys = open[open.length - 1];
      if (keys?.has(key)) duplicate = true;
      keys?.add(key);
    },
  });
  return duplicate;
}

function parseDocumentText(text: string): ParseResult {
  const lineCounter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  let data: unknown;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: 'core' });
    data = doc.errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // Only absurd nesting makes the YAML library recurse this deep.
    if (err instanceof RangeError) return { ok: false, issues: [tooDeep()] };
    throw err;
  }
  if (doc.errors.some((e) => /call stack/i.test(e.message))) return { ok: false, issues: [tooDeep()] };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return {
          path: '',
          key: 'validation.not_yaml',
          params: { detail: e.message.split('\n')[0] },
          line: pos.line,
          column: pos.col,
        };
      }),
    };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, issues: [{ path: '', key: 'validation.not_a_program', line: 1, column: 1 }] };
  }

  const locate = (path: ReadonlyArray<PropertyKey>): { line: number; column: number } => {
    const node = nodeAt(doc.contents as Node | null, path);
    const pos = lineCounter.linePos(node?.range?.[0] ?? 0);
    return { line: pos.line, column: pos.col };
  };

  const unsafe = inputSafetyIssues(data);
  if (unsafe.length > 0) {
    return { ok: false, issues: unsafe.map(({ rawPath, ...i }) => ({ ...i, ...locate(rawPath) })) };
  }
  const parsed = programFileSchema.safeParse(data, { reportInput: true });
  const issues: FieldIssue[] = [
    ...(parsed.success
      ? []
      : zodIssues(parsed.error.issues).map(({ rawPath, ...i }) => ({ ...i, ...locate(rawPath) }))),
    ...checkProgramFile(data).map((i) => ({ ...i, path: formatPath(i.path), ...locate(i.path) })),
  ];
  if (!parsed.success || issues.length > 0) {
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    return { ok: false, issues };
  }
  return { ok: true, file: parsed.data };
}

function tooDeep(): FieldIssue {
  return { path: '', key: 'validation.too_deep', params: { max: MAX_DEPTH }, line: 1, column: 1 };
}

/** The deepest node of the document along `path` (the nearest existing ancestor if the rest is missing). */
function nodeAt(root: Node | null, path: ReadonlyArray<PropertyKey>): Node | null {
  let node: Node | null = root;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === part);
      if (!pair) return node;
      // Point at the value; for a null value point at the key.
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof part === 'number') {
      const next = node.items[part] as Node | undefined;
      if (!next) return node;
      node = next;
    } else {
      return node;
    }
  }
  return node;
}

export interface RawIssue extends FieldIssue {
  rawPath: PropertyKey[];
}

/** Turns zod issues into field issues with i18n keys; keeps zod's own detail as params. */
export function zodIssues(issues: readonly z.core.$ZodIssue[]): RawIssue[] {
  const out: RawIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const rawPath = [...issue.path, key];
        out.push({
          rawPath,
          path: formatPath(rawPath),
          key: 'validation.unknown_field',
          params: { field: key },
        });
      }
      continue;
    }
    if (issue.code === 'invalid_union') {
      out.push(...zodIssues(issue.errors.flat()));
      continue;
    }
    const rawPath = [...issue.path];
    out.push({ rawPath, path: formatPath(rawPath), ...describe(issue) });
  }
  return out;
}

function describe(issue: z.core.$ZodIssue): { key: string; params?: Record<string, unknown> } {
  if (issue.message.startsWith('validation.')) {
    return { key: issue.message, params: { input: show(issue.input) } };
  }
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? { key: 'validation.required' }
        : { key: 'validation.invalid_type', params: { expected: issue.expected, input: show(issue.input) } };
    case 'invalid_value':
      return {
        key: 'validation.invalid_value',
        params: { allowed: issue.values.map(String).join(', '), input: show(issue.input) },
      };
    case 'too_small':
      return {
        key: 'validation.too_small',
        params: { minimum: String(issue.minimum), origin: issue.origin },
      };
    case 'too_big':
      return { key: 'validation.too_big', params: { maximum: String(issue.maximum), origin: issue.origin } };
    case 'invalid_format':
      return { key: 'validation.invalid_format', params: { format: issue.format } };
    default:
      return { key: 'validation.invalid', params: { detail: issue.message } };
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
