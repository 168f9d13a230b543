/**
 * The outsourcing register as a spreadsheet: export as XLSX or CSV (exceljs), and an XLSX import
 * of the same columns that is all or nothing, with a message per cell.
 */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Trx } from '../db/program-writer.ts';
import {
  insertDecision,
  insertRelationship,
  setRelationshipMeasures,
  setRelationshipSystems,
} from '../db/program-writer.ts';
import { databaseResolver } from '../db/resolver.ts';
import { updateVersioned } from '../db/versioned.ts';
import { type CalendarDate, todayIn } from '../domain/dates.ts';
import { type FieldIssue, staleVersion, validationFailed } from '../domain/errors.ts';
import {
  groupRegister,
  REGISTER_COLUMNS,
  REGISTER_SHEET,
  type RegisterEntry,
  type RegisterGrouping,
  readRegisterRows,
  registerChanges,
  registerRows,
} from '../domain/register.ts';
import { LANGUAGES, type Language, t } from '../i18n/index.ts';
import { requireWriteRole } from './authorize.ts';
import { requireProgram, snapshotOf } from './common.ts';
import { type Reader, type ServiceContext, write } from './context.ts';

export type RegisterFormat = 'xlsx' | 'csv';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Larger files are refused before they are unpacked. */
export const MAX_REGISTER_BYTES = 10 * 1024 * 1024;
/** More relationships than any program has; a larger sheet is refused before it is read. */
export const MAX_REGISTER_ROWS = 20_000;

const label = (lang: Language, key: string) => t(lang, `register.columns.${key}`);

/** The register's rows, as JSON. */
export async function registerOfProgram(reader: Reader, programCode: string) {
  const snapshot = await snapshotOf(reader, programCode, 'program.shared');
  return registerRows(snapshot.file);
}

/** The register grouped by provider, decision or target quarter. */
export async function registerGroupedBy(reader: Reader, programCode: string, by: RegisterGrouping) {
  return groupRegister(await registerOfProgram(reader, programCode), by);
}

/** What changed in the register since a day: relationships begun and decisions made. */
export async function registerChangesSince(reader: Reader, programCode: string, since: CalendarDate) {
  const snapshot = await snapshotOf(reader, programCode, 'program.shared');
  return { program: programCode, since, changes: registerChanges(snapshot.file, since) };
}

export async function exportRegister(
  reader: Reader,
  programCode: string,
  format: RegisterFormat,
  lang: Language,
): Promise<{ data: Buffer; rows: number }> {
  const snapshot = await snapshotOf(reader, programCode, 'program.shared');
  const rows = registerRows(snapshot.file);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Oversight';
  const sheet = workbook.addWorksheet(REGISTER_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = REGISTER_COLUMNS.map((c) => ({
    header: label(lang, c.key),
    key: c.key,
    width: c.list ? 36 : 22,
  }));
  for (const row of rows) sheet.addRow(row);
  if (format === 'csv') {
    // A cell that starts like a formula is quoted, so a spreadsheet opening the CSV does not run it.
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      row.eachCell((cell) => {
        if (typeof cell.value === 'string' && /^[=+\-@\t\r]/.test(cell.value)) cell.value = `'${cell.value}`;
      });
    });
    const csv = Buffer.from(await workbook.csv.writeBuffer({ sheetName: REGISTER_SHEET }));
    // The byte-order mark tells Excel the file is UTF-8, so Japanese text opens as written.
    return { data: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv]), rows: rows.length };
  }
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: REGISTER_COLUMNS.length } };
  const about = workbook.addWorksheet('Columns');
  about.columns = [
    { header: t(lang, 'register.about.column'), key: 'column', width: 28 },
    { header: t(lang, 'register.about.dora'), key: 'dora', width: 60 },
    { header: t(lang, 'register.about.import'), key: 'import', width: 30 },
  ];
  about.getRow(1).font = { bold: true };
  for (const c of REGISTER_COLUMNS)
    about.addRow({
      column: label(lang, c.key),
      dora: c.dora ?? '',
      import: t(lang, c.derived ? 'register.about.derived' : 'register.about.read'),
    });
  return { data: Buffer.from(await workbook.xlsx.writeBuffer()), rows: rows.length };
}

/** A cell's value as text: dates as YYYY-MM-DD, rich text joined, formulas by their result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

/** Column keys by header text, in either language or as the key itself. */
const HEADER_KEYS = new Map<string, string>(
  REGISTER_COLUMNS.flatMap((c) => [
    [c.key.toLowerCase(), c.key],
    ...LANGUAGES.map((lang): [string, string] => [label(lang, c.key).toLowerCase(), c.key]),
  ]),
);

export interface RegisterImportResult {
  created: string[];
  updated: string[];
  decided: string[];
  unchanged: string[];
}

/**
 * Reads an XLSX register into entries and the problems of their cells. Changes nothing. A file
 * that is not a register at all (not XLSX, no Register sheet, too large) is refused outright.
 */
export async function readRegisterWorkbook(
  data: Uint8Array,
): Promise<{ entries: RegisterEntry[]; issues: FieldIssue[]; cellOf: (key: string, row: number) => string }> {
  if (data.byteLength > MAX_REGISTER_BYTES)
    throw validationFailed([
      { path: 'file', key: 'register.too_large', params: { limit: MAX_REGISTER_BYTES } },
    ]);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw validationFailed([{ path: 'file', key: 'register.not_xlsx' }]);
  }
  const sheet = workbook.getWorksheet(REGISTER_SHEET);
  if (!sheet)
    throw validationFailed([
      {
        path: 'file',
        key: 'register.no_sheet',
        params: { sheet: REGISTER_SHEET, sheets: workbook.worksheets.map((s) => s.name).join(', ') || '—' },
      },
    ]);
  const header = sheet.getRow(1);
  const headerKeys: Array<string | undefined> = [];
  for (let col = 1; col <= Math.max(header.cellCount, 1); col++)
    headerKeys.push(HEADER_KEYS.get(cellText(header.getCell(col).value).trim().toLowerCase()));
  if (sheet.actualRowCount > MAX_REGISTER_ROWS + 1)
    throw validationFailed([
      { path: 'file', key: 'register.too_many_rows', params: { limit: MAX_REGISTER_ROWS } },
    ]);
  const rows: Array<{ row: number; cells: string[] }> = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    if (number === 1) return;
    const cells = headerKeys.map((_, i) => cellText(row.getCell(i + 1).value));
    if (cells.some((c) => c.trim() !== '')) rows.push({ row: number, cells });
  });
  return readRegisterRows(headerKeys, rows);
}

/**
 * Imports a register into a program: creates the relationships it does not have, updates the
 * ones it has, and records a new decision where the sheet's differs from the one in force.
 * Organizations, systems and measures must exist; every unknown code is reported with its cell.
 */
export async function importRegister(
  ctx: ServiceContext,
  programCode: string,
  data: Uint8Array,
): Promise<RegisterImportResult> {
  requireWriteRole(ctx, 'program', programCode);
  const { entries, issues: cellIssues, cellOf } = await readRegisterWorkbook(data);
  if (entries.length === 0 && cellIssues.length > 0) throw validationFailed(cellIssues);
  const sha256 = createHash('sha256').update(data).digest('hex');
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, programCode);
    const today = todayIn(program.time_zone);
    const known = async (table: 'organizations' | 'systems' | 'measures') =>
      new Set(
        (await trx.selectFrom(table).select('code').where('program_id', '=', program.id).execute()).map(
          (r) => r.code,
        ),
      );
    const [orgs, systems, measures] = await Promise.all([
      known('organizations'),
      known('systems'),
      known('measures'),
    ]);
    const issues: FieldIssue[] = [...cellIssues];
    const check = (entry: RegisterEntry, key: string, codes: string[], set: Set<string>, kind: string) => {
      for (const code of codes)
        if (!set.has(code))
          issues.push({
            path: cellOf(key, entry.row),
            key: 'validation.unknown_code',
            params: { kind, code },
          });
    };
    for (const e of entries) {
      check(e, 'customer', [e.customer], orgs, 'organization');
      check(e, 'provider', [e.provider], orgs, 'organization');
      if (e.customer === e.provider)
        issues.push({
          path: cellOf('provider', e.row),
          key: 'validation.self_reference',
          params: { code: e.provider },
        });
      check(e, 'systems', e.systems, systems, 'system');
      check(e, 'measures', e.measures, measures, 'measure');
    }
    const lastDecisions = await latestDecisions(trx, program.id);
    for (const e of entries) {
      const last = lastDecisions.get(e.reference);
      const on = e.decidedOn ?? today;
      if (
        last &&
        decisionDiffers(last, { decision: e.decision, targetDate: e.targetDate, reason: e.reason }) &&
        on < last.decided_on
      )
        issues.push({
          path: cellOf('decidedOn', e.row),
          key: 'validation.history_order',
          params: { previous: last.decided_on },
        });
    }
    if (issues.length > 0) throw validationFailed(issues.sort(byCell));

    const resolve = databaseResolver(trx, program.id);
    const currentLinks = await linkedCodes(trx, program.id);
    const result: RegisterImportResult = { created: [], updated: [], decided: [], unchanged: [] };
    for (const e of entries) {
      const decision =
        e.decision === 'undecided' && e.decidedOn === undefined
          ? undefined
          : { on: e.decidedOn ?? today, decision: e.decision, targetDate: e.targetDate, reason: e.reason };
      const existing = await trx
        .selectFrom('outsourcing_relationships')
        .selectAll()
        .where('program_id', '=', program.id)
        .where('code', '=', e.reference)
        .executeTakeFirst();
      if (!existing) {
        await insertRelationship(
          trx,
          program.id,
          {
            code: e.reference,
            title: e.title,
            customer: e.customer,
            provider: e.provider,
            scope: e.scope,
            startedOn: e.startedOn,
            description: e.description,
            systems: e.systems,
            measures: e.measures,
            decisions: decision ? [decision] : [],
          },
          resolve,
          `row ${e.row}`,
        );
        result.created.push(e.reference);
        continue;
      }
      const [customerId, providerId] = await resolve.many!(
        'organization',
        [e.customer, e.provider],
        `row ${e.row}`,
      );
      const fields = {
        title: e.title,
        customer_org_id: customerId!,
        provider_org_id: providerId!,
        scope: e.scope,
        started_on: e.startedOn ?? null,
        description: e.description ?? null,
      };
      const linksChanged =
        (currentLinks.get(`s:${e.reference}`) ?? '') !== [...new Set(e.systems)].sort().join(';') ||
        (currentLinks.get(`m:${e.reference}`) ?? '') !== [...new Set(e.measures)].sort().join(';');
      const changed =
        linksChanged ||
        existing.title !== fields.title ||
        existing.customer_org_id !== fields.customer_org_id ||
        existing.provider_org_id !== fields.provider_org_id ||
        existing.scope !== fields.scope ||
        existing.started_on !== fields.started_on ||
        existing.description !== fields.description;
      if (changed) {
        const next = await updateVersioned(
          trx,
          'outsourcing_relationships',
          existing.id,
          existing.version,
          fields,
        );
        if (next === undefined) throw staleVersion('relationship', e.reference, existing.version);
        await setRelationshipSystems(trx, existing.id, e.systems, resolve, `row ${e.row}`);
        await setRelationshipMeasures(trx, existing.id, e.measures, resolve, `row ${e.row}`);
      }
      const last = lastDecisions.get(e.reference);
      const differs = decision !== undefined && decisionDiffers(last, decision);
      if (differs) {
        await insertDecision(trx, existing.id, decision, (last?.seq ?? -1) + 1);
        result.decided.push(e.reference);
      }
      if (changed) result.updated.push(e.reference);
      else if (!differs) result.unchanged.push(e.reference);
    }
    audit({
      action: 'register.imported',
      entityType: 'program',
      entityId: program.id,
      entityCode: programCode,
      programId: program.id,
      payload: { sha256, ...result },
    });
    return result;
  });
}

/** The systems (`s:CODE`) and measures (`m:CODE`) of every relationship of a program, as sorted code lists. */
async function linkedCodes(trx: Trx, programId: string): Promise<Map<string, string>> {
  const [systems, measures] = await Promise.all([
    trx
      .selectFrom('relationship_systems as x')
      .innerJoin('outsourcing_relationships as r', 'r.id', 'x.relationship_id')
      .innerJoin('systems as s', 's.id', 'x.system_id')
      .select(['r.code as relationship', 's.code'])
      .where('r.program_id', '=', programId)
      .execute(),
    trx
      .selectFrom('relationship_measures as x')
      .innerJoin('outsourcing_relationships as r', 'r.id', 'x.relationship_id')
      .innerJoin('measures as m', 'm.id', 'x.measure_id')
      .select(['r.code as relationship', 'm.code'])
      .where('r.program_id', '=', programId)
      .execute(),
  ]);
  const lists = new Map<string, string[]>();
  for (const [prefix, rows] of [
    ['s', systems],
    ['m', measures],
  ] as const)
    for (const r of rows) {
      const key = `${prefix}:${r.relationship}`;
      lists.set(key, [...(lists.get(key) ?? []), r.code]);
    }
  return new Map([...lists].map(([k, v]) => [k, v.sort().join(';')]));
}

/** Orders `Register!F7` style paths by row, then column. */
function byCell(a: FieldIssue, b: FieldIssue): number {
  const parse = (p: string) => {
    const m = /!([A-Z]+)(\d+)$/.exec(p);
    return m ? ([Number(m[2]), m[1]!.length, m[1]!] as const) : ([0, 0, ''] as const);
  };
  const [ra, la, ca] = parse(a.path);
  const [rb, lb, cb] = parse(b.path);
  return ra - rb || la - lb || ca.localeCompare(cb);
}

interface LastDecision {
  seq: number;
  decision: string;
  target_date: string | null;
  reason: string | null;
  decided_on: string;
}

/** The decision in force for every relationship of a program, by relationship code. */
async function latestDecisions(trx: Trx, programId: string): Promise<Map<string, LastDecision>> {
  const rows = await trx
    .selectFrom('relationship_decisions as d')
    .innerJoin('outsourcing_relationships as r', 'r.id', 'd.relationship_id')
    .select(['r.code', 'd.seq', 'd.decision', 'd.target_date', 'd.reason', 'd.decided_on'])
    .where('r.program_id', '=', programId)
    .orderBy('d.seq')
    .execute();
  return new Map(rows.map((r) => [r.code, r]));
}

function decisionDiffers(
  last: LastDecision | undefined,
  next: { decision: string; targetDate?: string | undefined; reason?: string | undefined },
): boolean {
  return (
    !last ||
    last.decision !== next.decision ||
    (last.target_date ?? undefined) !== next.targetDate ||
    (last.reason ?? undefined) !== next.reason
  );
}
