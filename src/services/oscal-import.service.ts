/**
 * OSCAL POA&M import: the document is read and mapped whole first (domain/oscal-import), then the
 * program it makes is imported through `importProgram` — one transaction, audited like any program
 * import, refusing a program code that exists unless `replace` — so a document that cannot be read
 * or mapped changes nothing.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import {
  type ImportSettings,
  type OscalFailure,
  type OscalImportReport,
  readOscalPoam,
} from '../domain/oscal-import/index.ts';
import type { ProgramFile } from '../domain/program-file/schema.ts';
import type { ServiceContext } from './context.ts';
import { listedAttachments } from './import-attachments.ts';
import {
  exportProgram,
  type ImportOptions,
  type ImportResult,
  importProgram,
} from './program-file.service.ts';

export interface OscalImportOptions extends ImportSettings, Pick<ImportOptions, 'replace'> {}

export interface OscalImportResult {
  result: ImportResult;
  report: OscalImportReport;
}

/** A document that cannot be read or mapped: a validation error, each problem at its JSON pointer. */
const problem = (failure: OscalFailure) =>
  new AppError('validation', failure.key, failure.params, failure.issues);

/** What importing the POA&M would make, and its mapping report, without touching the database. */
export function mapOscalPoam(
  text: string,
  options: ImportSettings = {},
): { file: ProgramFile; report: OscalImportReport } {
  const read = readOscalPoam(text, options);
  if (!read.ok) throw problem(read);
  return { file: read.file, report: read.report };
}

/** Imports an OSCAL POA&M as a program, all or nothing; returns the import and the mapping report. */
export async function importOscalPoam(
  ctx: ServiceContext,
  text: string,
  options: OscalImportOptions = {},
): Promise<OscalImportResult> {
  const { file, report } = mapOscalPoam(text, options);
  if (options.replace) await refuseLossyReplace(ctx, file);
  const sha256 = createHash('sha256').update(text).digest('hex');
  // The program holds no attachments (an OSCAL POA&M carries no files), so no evidence store is asked.
  const result = await importProgram(ctx, file, {
    replace: options.replace ?? false,
    sha256,
    origin: 'oscal-poam',
  });
  return { result, report };
}

/**
 * A POA&M carries measures and milestones only. Replacing a program that holds more — Oversight's
 * own export names the program it came from, so `--replace` would land on it — would delete what
 * the document cannot carry: refused, naming what would go, unless the program holds nothing more.
 */
async function refuseLossyReplace(ctx: ServiceContext, file: ProgramFile): Promise<void> {
  const exists = await ctx.db
    .selectFrom('programs')
    .select('id')
    .where('code', '=', file.program.code)
    .executeTakeFirst();
  if (!exists) return;
  const held = await exportProgram(ctx, file.program.code);
  const count = (f: ProgramFile) => {
    return {
      verifications: f.measures.reduce((n, m) => n + m.verifications.length, 0),
      attachments: listedAttachments(f).length,
      systems: f.systems.length,
      access: f.access.length,
      links: f.links.length,
      relationships: f.relationships.length,
      incidents: f.incidents.length,
      ownerships: f.ownerships.length,
    };
  };
  const now = count(held);
  const then = count(file);
  const lost = (Object.keys(now) as Array<keyof typeof now>)
    .filter((k) => now[k] > then[k])
    // Named as the program file names them (as a field path is), in either language.
    .map((k) => `${k}: ${now[k] - then[k]}`);
  if (lost.length > 0)
    throw new AppError('conflict', 'errors.oscal_replace_loses', {
      code: file.program.code,
      lost: lost.join(', '),
    });
}
