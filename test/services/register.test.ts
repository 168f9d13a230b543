import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../src/domain/errors.ts';
import { parseProgramText } from '../../src/domain/program-file/parse.ts';
import { getRecord } from '../../src/services/program.service.ts';
import { importProgram, importProgramText } from '../../src/services/program-file.service.ts';
import { exportRegister, importRegister, registerOfProgram } from '../../src/services/register.service.ts';
import { backends, type TestDatabase } from '../support/backends.ts';
import { cleanProgram, DEMO_TEXT } from '../support/builders.ts';

/** Loads an exported workbook, lets `edit` change it, and returns the new bytes. */
async function edited(data: Uint8Array, edit: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  edit(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected the import to be refused');
}

describe.each(backends())('outsourcing register on $name', (backend) => {
  let t: TestDatabase;
  let xlsx: Uint8Array;
  beforeAll(async () => {
    t = await backend.create();
    await importProgramText(t.ctx, DEMO_TEXT);
    // The same program without its relationships: the empty register to import into.
    const demo = parseProgramText(DEMO_TEXT);
    if (!demo.ok) throw new Error('the demo parses');
    await importProgram(t.ctx, {
      ...demo.file,
      program: { ...demo.file.program, code: 'EMPTY' },
      relationships: [],
    });
    xlsx = new Uint8Array((await exportRegister(t.ctx, 'LY-2024', 'xlsx', 'en')).data);
  });
  afterAll(async () => {
    await t?.close();
  });

  const relationshipCount = async (program: string) => (await registerOfProgram(t.ctx, program)).length;

  it('lists every relationship with provider, chain, systems, data and decision', async () => {
    const rows = await registerOfProgram(t.ctx, 'LY-2024');
    expect(rows.find((r) => r.reference === 'R-NAVER-CLOUD-INFRA')).toMatchObject({
      provider: 'NAVER-CLOUD',
      providerParent: 'NAVER',
      subcontractors: 'COMPANY-A',
      criticality: 'critical',
      decision: 'terminate',
      targetDate: '2025-12-31',
      decidedOn: '2024-07-01',
    });
  });

  it('round-trips through XLSX: export, import into an empty program, the same register', async () => {
    const result = await importRegister(t.ctx, 'EMPTY', xlsx);
    expect(result.created).toHaveLength(10);
    expect(await registerOfProgram(t.ctx, 'EMPTY')).toEqual(await registerOfProgram(t.ctx, 'LY-2024'));
    const again = await importRegister(t.ctx, 'EMPTY', xlsx);
    expect(again).toMatchObject({ created: [], updated: [], decided: [] });
    expect(again.unchanged).toHaveLength(10);
  });

  it('reads a Japanese header row too, and records a changed decision as a new one', async () => {
    const ja = new Uint8Array((await exportRegister(t.ctx, 'LY-2024', 'xlsx', 'ja')).data);
    const before = await getRecord(t.ctx, 'EMPTY', 'relationships', 'R-NAVER-CS-KR');
    const changed = await edited(ja, (wb) => {
      const sheet = wb.getWorksheet('Register')!;
      sheet.eachRow((row) => {
        if (row.getCell(1).value === 'R-NAVER-CS-KR') {
          row.getCell(16).value = 'reduce';
          row.getCell(17).value = '2025-01-15';
          row.getCell(18).value = '2025-06-30';
          row.getCell(19).value = 'Part of the support moves to Japan';
        }
      });
    });
    const result = await importRegister(t.ctx, 'EMPTY', changed);
    expect(result.decided).toEqual(['R-NAVER-CS-KR']);
    const after = await getRecord(t.ctx, 'EMPTY', 'relationships', 'R-NAVER-CS-KR');
    expect((after.decisions as unknown[]).length).toBe((before.decisions as unknown[]).length + 1);
    expect(after.current).toMatchObject({ decision: 'reduce', targetDate: '2025-06-30', on: '2025-01-15' });
  });

  it('refuses a malformed workbook with a message per cell, and imports nothing', async () => {
    const count = await relationshipCount('EMPTY');
    const wrongSheet = await edited(xlsx, (wb) => {
      wb.getWorksheet('Register')!.name = 'Sheet1';
    });
    expect((await refusal(importRegister(t.ctx, 'EMPTY', wrongSheet))).issues).toEqual([
      expect.objectContaining({
        path: 'file',
        key: 'register.no_sheet',
        params: expect.objectContaining({ sheets: 'Sheet1, Columns' }),
      }),
    ]);

    const badCells = await edited(xlsx, (wb) => {
      const sheet = wb.getWorksheet('Register')!;
      sheet.getRow(2).getCell(1).value = 'R-NEW-ROW';
      sheet.getRow(2).getCell(18).value = '2025-02-30';
      sheet.getRow(3).getCell(5).value = 'NOBODY';
      sheet.getRow(4).getCell(11).value = 'everything';
    });
    const err = await refusal(importRegister(t.ctx, 'EMPTY', badCells));
    expect(err.code).toBe('validation');
    expect(err.issues.map((i) => `${i.path} ${i.key}`)).toEqual([
      'Register!R2 validation.not_a_date',
      'Register!E3 validation.unknown_code',
      'Register!K4 validation.invalid_value',
      // The earlier test recorded a newer decision for this row's relationship.
      'Register!Q6 validation.history_order',
    ]);
    const unknown = await edited(xlsx, (wb) => {
      wb.getWorksheet('Register')!.getRow(3).getCell(5).value = 'NOBODY';
    });
    expect((await refusal(importRegister(t.ctx, 'EMPTY', unknown))).issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'Register!E3',
          key: 'validation.unknown_code',
          params: { kind: 'organization', code: 'NOBODY' },
        }),
      ]),
    );

    const junk = new Uint8Array(randomBytes(10 * 1024 * 1024));
    expect((await refusal(importRegister(t.ctx, 'EMPTY', junk))).issues[0]?.path).toBe('file');
    expect(await relationshipCount('EMPTY')).toBe(count);
    await expect(getRecord(t.ctx, 'EMPTY', 'relationships', 'R-NEW-ROW')).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('writes CSV with the same columns', async () => {
    const data = (await exportRegister(t.ctx, 'LY-2024', 'csv', 'en')).data;
    expect([...data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = data.subarray(3).toString('utf8').trim().split('\n');
    expect(header?.startsWith('Reference,Service,Customer,')).toBe(true);
    expect(lines).toHaveLength(10);
  });
});

describe('register cells', () => {
  it('names the cell a problem is in whatever the order of the columns, and checks codes and lengths', async () => {
    const { readRegisterRows } = await import('../../src/domain/register.ts');
    const headers = ['reference', 'title', 'provider', 'customer', 'scope', 'decision'];
    const { issues } = readRegisterRows(headers, [
      { row: 2, cells: ['bad ref/x', 'x'.repeat(501), 'NO BODY', 'LY', 'soc', 'maintain'] },
    ]);
    expect(issues.map((i) => `${i.path} ${i.key}`)).toEqual([
      'Register!A2 validation.code',
      'Register!C2 validation.code',
      'Register!B2 validation.too_big',
    ]);
  });

  it('quotes CSV cells that a spreadsheet would run as formulas', async () => {
    const t = await backends()[0]!.create();
    try {
      await importProgram(
        t.ctx,
        cleanProgram((d) => (d.relationships[0].title = '=HYPERLINK("http://x","y")')),
      );
      const csv = (await exportRegister(t.ctx, 'CLEAN', 'csv', 'en')).data.toString('utf8');
      expect(csv).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    } finally {
      await t.close();
    }
  });
});
