/** Directives (guidance documents) and their nested items. */

import { z } from 'zod';
import { insertDirective, insertItems } from '../db/program-writer.ts';
import { codeSchema, directiveItemSchema, directiveSchema } from '../domain/program-file/schema.ts';
import {
  createRecord,
  nextPosition,
  PROVENANCE_COLUMNS,
  rejectIssues,
  requireProgram,
  requireRecord,
  updateRecord,
} from './common.ts';
import { type ServiceContext, validate, write } from './context.ts';

export const createDirective = (ctx: ServiceContext, programCode: string, input: unknown) =>
  createRecord(ctx, 'directive', programCode, directiveSchema, input, async (trx, programId, d, resolve) => {
    const { id } = await insertDirective(trx, programId, d, resolve, '');
    return id;
  });

export const updateDirective = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  updateRecord(
    ctx,
    {
      kind: 'directive',
      schema: directiveSchema,
      columns: {
        issuer: { column: 'issuer_org_id', ref: 'organization' },
        issuedOn: { column: 'issued_on' },
        reference: { column: 'reference' },
        title: { column: 'title' },
        text: { column: 'full_text' },
        reportDue: { column: 'report_due' },
        followsUp: { column: 'follows_up_directive_id', ref: 'directive' },
        ...PROVENANCE_COLUMNS,
      },
    },
    programCode,
    code,
    input,
  );

const addItemSchema = z.strictObject({
  parent: codeSchema.optional().describe('Code of the item to nest under; absent for a top-level item'),
  item: directiveItemSchema,
});

/** Adds an item (with any sub-items) to a directive, at the end of its parent's list. */
export async function addDirectiveItem(
  ctx: ServiceContext,
  programCode: string,
  directiveCode: string,
  input: unknown,
) {
  const { parent, item } = validate(addItemSchema, input);
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, programCode);
    const directive = await requireRecord(trx, 'directive', program.id, directiveCode);
    let parentId: string | null = null;
    if (parent !== undefined) {
      parentId = (await requireRecord(trx, 'item', program.id, parent)).id;
      const owner = await trx
        .selectFrom('directive_items')
        .select('directive_id')
        .where('id', '=', parentId)
        .executeTakeFirstOrThrow();
      if (owner.directive_id !== directive.id)
        rejectIssues(
          [
            {
              path: ['parent'],
              key: 'validation.parent_elsewhere',
              params: { code: parent, directive: directiveCode },
            },
          ],
          '',
        );
    }
    const position = await nextPosition(
      trx,
      'directive_items',
      parentId === null
        ? { column: 'directive_id', value: directive.id }
        : { column: 'parent_id', value: parentId },
    );
    const ids = new Map<string, string>();
    await insertItems(trx, program.id, directive.id, parentId, [item], position, ids);
    const id = ids.get(item.code)!;
    audit({
      action: 'item.created',
      entityType: 'item',
      entityId: id,
      entityCode: item.code,
      programId: program.id,
      payload: { directive: directiveCode, parent, item },
    });
    return { id, code: item.code, version: 1 };
  });
}

export const updateDirectiveItem = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  updateRecord(
    ctx,
    {
      kind: 'item',
      schema: z.strictObject({
        label: z.string().max(50).optional(),
        text: z.string().trim().min(1).max(20_000),
      }),
      columns: { label: { column: 'label' }, text: { column: 'text' } },
    },
    programCode,
    code,
    input,
  );
