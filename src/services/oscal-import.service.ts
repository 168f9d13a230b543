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
import { type ImportOptions, type ImportResult, importProgram } from './program-file.service.ts';

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
  const sha256 = createHash('sha256').update(text).digest('hex');
  // The program holds no attachments (an OSCAL POA&M carries no files), so no evidence store is asked.
  const result = await importProgram(ctx, file, { replace: options.replace ?? false, sha256 });
  return { result, report };
}
