/**
 * A program's own DOCX template: checked when uploaded, filled when a report is rendered as DOCX.
 *
 * The check refuses, with a message that names what and where: a file that is not a Word document
 * (a zip with word/document.xml, within the size limits, packed and unpacked), a tag docxtemplater
 * cannot parse (an unclosed loop, a stray closing tag…), and any placeholder the vocabulary
 * (`template-vocabulary.ts`) does not name or uses as another kind (a text as a loop, a list as a
 * text, raw XML `{@…}`). What passes is filled by docxtemplater with exactly the data that
 * vocabulary describes (`templateData`), so a checked template cannot meet a name the renderer
 * does not fill. Pure: bytes in, bytes out.
 */
import { inflateRawSync } from 'node:zlib';
import Docxtemplater from 'docxtemplater';
import PizZip from 'pizzip';
import { AppError, type FieldIssue, validationFailed } from '../domain/errors.ts';
import type { Language } from '../i18n/index.ts';
import { stampZip } from './docx.ts';
import type { ReportModel } from './model.ts';
import { templateData } from './template-data.ts';
import { resolveName, type Scope } from './template-vocabulary.ts';

/** The largest template accepted, as uploaded. */
export const MAX_TEMPLATE_BYTES = 5 * 1024 * 1024;
/** The most its parts may unpack to: a template is text and a few images, never a zip bomb. */
export const MAX_TEMPLATE_UNPACKED = 50 * 1024 * 1024;
/** At most this many problems are told at once. */
const MAX_ISSUES = 20;

const issue = (key: string, params: Record<string, unknown> = {}): FieldIssue => ({
  path: 'file',
  key,
  params,
});
const refuse = (key: string, params: Record<string, unknown> = {}) => validationFailed([issue(key, params)]);

/**
 * The zip's entries from its central directory, each inflated once with a bound on its output, so
 * that neither a lying size field nor a bomb costs more than the limit. Throws a validation error.
 */
function checkZip(bytes: Uint8Array): Set<string> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notDocx = () => refuse('validation.template_not_docx');
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) throw notDocx();
  let eocd = buf.length - 22;
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  while (eocd >= stop && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < stop) throw notDocx();
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const names = new Set<string>();
  let unpacked = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw notDocx();
    const method = buf.readUInt16LE(at + 10);
    const packedSize = buf.readUInt32LE(at + 20);
    const declared = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    // ZIP64 (sizes of 4 GB) has no place in a template.
    if (packedSize === 0xffffffff || declared === 0xffffffff || local + 30 > buf.length) throw notDocx();
    unpacked += declared;
    if (unpacked > MAX_TEMPLATE_UNPACKED)
      throw refuse('validation.template_unpacked_too_big', { limit: MAX_TEMPLATE_UNPACKED });
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + packedSize > buf.length) throw notDocx();
    if (method === 8) {
      try {
        const out = inflateRawSync(buf.subarray(start, start + packedSize), {
          maxOutputLength: Math.max(1, MAX_TEMPLATE_UNPACKED - (unpacked - declared)),
        });
        if (out.length !== declared) throw notDocx();
      } catch (err) {
        if (err instanceof AppError) throw err;
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw refuse('validation.template_unpacked_too_big', { limit: MAX_TEMPLATE_UNPACKED });
        throw notDocx();
      }
    } else if (method !== 0) throw notDocx();
    names.add(name);
  }
  if (!names.has('word/document.xml') || !names.has('[Content_Types].xml')) throw notDocx();
  return names;
}

/** Records what docxtemplater parsed in each part of the document (its InspectModule needs lodash, which it does not declare). */
class ParsedParts {
  readonly name = 'OversightParsedParts';
  readonly parts = new Map<string, unknown[]>();
  private file = '';
  set(options: { inspect?: { filePath?: string; postparsed?: unknown[] } }) {
    if (options.inspect?.filePath) this.file = options.inspect.filePath;
    if (options.inspect?.postparsed) this.parts.set(this.file, options.inspect.postparsed);
  }
  clone() {
    return new ParsedParts();
  }
}

interface Part {
  type: string;
  value: string;
  module?: string;
  inverted?: boolean;
  subparsed?: Part[];
}

const TEMPLATE_OPTIONS = {
  paragraphLoop: true,
  linebreaks: true,
  errorLogging: false,
  // Every name a checked template uses is filled; should one not be, nothing is better than "undefined".
  nullGetter: () => '',
} as const;

interface TemplateError {
  properties?: {
    id?: string;
    xtag?: string;
    file?: string;
    explanation?: string;
    openingtag?: string;
    closingtag?: string;
    errors?: TemplateError[];
  };
}

/** docxtemplater's parse errors as issues in the user's words. */
function syntaxIssues(err: unknown): FieldIssue[] {
  const all = (err as TemplateError).properties?.errors ?? [err as TemplateError];
  return all.slice(0, MAX_ISSUES).map((e) => {
    const p = e.properties ?? {};
    const where = p.file ?? 'word/document.xml';
    switch (p.id) {
      case 'unclosed_loop':
      case 'unopened_loop':
      case 'unclosed_tag':
      case 'unopened_tag':
        return issue(`validation.template_${p.id}`, { tag: p.xtag ?? '', where });
      case 'closing_tag_does_not_match_opening_tag':
        return issue('validation.template_loop_mismatch', {
          open: p.openingtag ?? '',
          close: p.closingtag ?? '',
          where,
        });
      default:
        return issue('validation.template_syntax', { detail: p.explanation ?? String(err), where });
    }
  });
}

function compile(bytes: Uint8Array, modules: object[] = []): Docxtemplater {
  let zip: PizZip;
  try {
    zip = new PizZip(bytes);
  } catch {
    throw refuse('validation.template_not_docx');
  }
  try {
    return new Docxtemplater(zip, { ...TEMPLATE_OPTIONS, modules });
  } catch (err) {
    const id = (err as TemplateError).properties?.id;
    if (id === 'multi_error' || (err as { name?: string }).name === 'TemplateError')
      throw validationFailed(syntaxIssues(err));
    throw refuse('validation.template_not_docx');
  }
}

/** Walks the parsed tags against the vocabulary: the names used, and a problem for each tag that is not right. */
function checkTags(parts: Map<string, unknown[]>): { used: string[]; issues: FieldIssue[] } {
  const used = new Set<string>();
  const issues: FieldIssue[] = [];
  const told = new Set<string>();
  const tell = (key: string, tag: string, where: string) => {
    if (told.has(`${key} ${tag} ${where}`)) return;
    told.add(`${key} ${tag} ${where}`);
    issues.push(issue(key, { tag, where }));
  };
  const walk = (list: Part[], stack: Array<{ name: string; scope: Scope }>, file: string) => {
    for (const part of list) {
      if (part.type !== 'placeholder') continue;
      const name = part.value.trim();
      const loop = part.module === 'loop';
      const shown = loop
        ? `{${part.inverted ? '^' : '#'}${name}}`
        : `{${part.module === 'rawxml' ? '@' : ''}${name}}`;
      const where = [file, ...stack.map((s) => `{#${s.name}}`)].join(' › ');
      if (part.module !== undefined && !loop) {
        tell('validation.template_tag_kind', shown, where);
        continue;
      }
      const slot = resolveName(stack, name);
      if (!slot) tell('validation.template_unknown_placeholder', shown, where);
      else if (loop && slot.kind === 'text') tell('validation.template_not_a_list', shown, where);
      else if (!loop && slot.kind !== 'text') tell('validation.template_not_a_text', shown, where);
      else used.add(name);
      // An inverted list ({^list}) shows its content once, in the scope around it, when the list is empty.
      if (part.subparsed)
        walk(
          part.subparsed,
          slot?.kind === 'list' && !part.inverted ? [...stack, { name, scope: slot.of }] : stack,
          file,
        );
    }
  };
  for (const [file, list] of parts) walk(list as Part[], [], file);
  return { used: [...used].sort(), issues: issues.slice(0, MAX_ISSUES) };
}

export interface CheckedTemplate {
  /** The vocabulary's names the template uses, sorted. */
  placeholders: string[];
}

/** Checks an uploaded template; throws a validation error (path `file`) naming every problem. */
export function checkTemplate(bytes: Uint8Array): CheckedTemplate {
  if (bytes.length === 0) throw refuse('validation.required');
  if (bytes.length > MAX_TEMPLATE_BYTES)
    throw refuse('validation.file_too_big', { limit: MAX_TEMPLATE_BYTES });
  checkZip(bytes);
  const parsed = new ParsedParts();
  compile(bytes, [parsed]);
  const { used, issues } = checkTags(parsed.parts);
  if (issues.length > 0) throw validationFailed(issues);
  if (used.length === 0) throw refuse('validation.template_empty');
  return { placeholders: used };
}

/**
 * The report as a DOCX laid out by a program's template (checked on upload). Dated to the
 * report's day, as the built-in layout is: the same template and model give the same bytes.
 */
export function renderTemplate(template: Uint8Array, model: ReportModel, lang: Language): Buffer {
  const doc = compile(template);
  doc.render(templateData(model, lang));
  const out = doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
  return stampZip(out, model.asOf);
}
