/**
 * The regulator's findings on a submitted report: each kept with the report and added to its
 * directive as a new item (under the item it refers to, if any), which the lint tracks until answered.
 */
import { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { requirePermission } from './authorize.ts';
import { requireProgram, requireRecord } from './common.ts';
import { type Reader, type ServiceContext, validate, write } from './context.ts';
import { appendDirectiveItem } from './directive.service.ts';
import { iso, loadReportRow } from './report-workflow.service.ts';

const findingSchema = z.strictObject({
  text: z.string().trim().min(1).max(20_000),
  refersTo: z.string().min(1).max(64).optional().describe('The directive item the finding is about'),
});

/**
 * A regulator's finding on a submitted report: kept with the report, and added to its directive
 * as a new item (under the item it refers to, if any), which the lint tracks until answered.
 */
export async function recordReportFinding(ctx: ServiceContext, program: string, id: string, input: unknown) {
  requirePermission(ctx, 'report.finding', program);
  const f = validate(findingSchema, input);
  const row = await loadReportRow(ctx, program, id);
  if (row.status !== 'submitted')
    throw new AppError('conflict', 'errors.report_state', {
      id,
      status: row.status,
      action: 'report.finding',
    });
  return write(ctx, async (trx, audit) => {
    const p = await requireProgram(trx, program);
    const directive = await requireRecord(trx, 'directive', p.id, row.directive_code);
    const count = await trx
      .selectFrom('report_findings as rf')
      .innerJoin('reports as r', 'r.id', 'rf.report_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('r.program_code', '=', program)
      .where('r.directive_code', '=', row.directive_code)
      .executeTakeFirstOrThrow();
    const code = `${row.directive_code}:F${Number(count.n) + 1}`;
    const ids = await appendDirectiveItem(
      trx,
      p.id,
      { id: directive.id, code: row.directive_code },
      f.refersTo === undefined ? undefined : { code: f.refersTo, field: 'refersTo' },
      { code, label: `F${Number(count.n) + 1}`, text: f.text, items: [] },
    );
    const { id: findingId } = await trx
      .insertInto('report_findings')
      .values({
        report_id: id,
        item_code: code,
        refers_to: f.refersTo ?? null,
        text: f.text,
        created_by: ctx.actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    audit({
      action: 'report.finding_recorded',
      entityType: 'item',
      entityId: ids.get(code)!,
      entityCode: code,
      programId: p.id,
      payload: { report: id, finding: findingId, refersTo: f.refersTo ?? null },
    });
    return { id: findingId, item: code };
  });
}

export async function listReportFindings(reader: Reader, program: string, id: string) {
  await loadReportRow(reader, program, id);
  const rows = await reader.db
    .selectFrom('report_findings')
    .selectAll()
    .where('report_id', '=', id)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    item: r.item_code,
    refersTo: r.refers_to,
    text: r.text,
    by: r.created_by,
    at: iso(r.created_at)!,
  }));
}
