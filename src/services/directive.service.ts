/** Directives (guidance documents) and their nested items. */

import { z } from 'zod';
import { insertDirective, insertItems, type Trx } from '../db/program-writer.ts';
import { validationFailed } from '../domain/errors.ts';
import { findCycles } from '../domain/graph.ts';
import { directiveIssues, itemTreeIssues } from '../domain/program-file/check.ts';
import {
  codeSchema,
  type DirectiveItemInput,
  directiveItemSchema,
  directiveSchema,
  itemRecordSchema,
} from '../domain/program-file/schema.ts';
import { requireWriteRole } from './authorize.ts';
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
  createRecord(
    ctx,
    'directive',
    programCode,
    directiveSchema,
    input,
    async (trx, programId, d, resolve) => (await insertDirective(trx, programId, d, resolve, '')).id,
    {},
    (d) => [...directiveIssues(d), ...itemTreeIssues(d.items)],
  );

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
        titleJa: { column: 'title_ja' },
        text: { column: 'full_text' },
        reportDue: { column: 'report_due' },
        public: { column: 'is_public' },
        followsUp: { column: 'follows_up_directive_id', ref: 'directive' },
        ...PROVENANCE_COLUMNS,
      },
      after: async (trx, id) => {
        const rows = await trx
          .selectFrom('directives as d')
          .leftJoin('directives as f', 'f.id', 'd.follows_up_directive_id')
          .select(['d.id', 'd.code', 'd.issued_on', 'd.report_due', 'f.code as follows_up'])
          .where('d.program_id', '=', (qb) =>
            qb.selectFrom('directives').select('program_id').where('id', '=', id),
          )
          .execute();
        const self = rows.find((r) => r.id === id)!;
        rejectIssues(
          directiveIssues({
            code: self.code,
            followsUp: self.follows_up ?? undefined,
            issuedOn: self.issued_on,
            reportDue: self.report_due ?? undefined,
          }),
          '',
        );
        const edges = new Map(rows.filter((r) => r.follows_up).map((r) => [r.code, [r.follows_up!]]));
        const cycle = findCycles(edges)[0];
        if (cycle)
          rejectIssues(
            [
              {
                path: ['followsUp'],
                key: 'validation.follows_up_cycle',
                params: { cycle: [...cycle, cycle[0]].join(' → ') },
              },
            ],
            '',
          );
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

/**
 * Writes an item tree at the end of its parent's list, or of the directive's own list without a
 * parent; the parent must be an item of that directive (`field` names it in the error). Returns
 * the new items' ids by code.
 */
export async function appendDirectiveItem(
  trx: Trx,
  programId: string,
  directive: { id: string; code: string },
  parent: { code: string; field: string } | undefined,
  item: DirectiveItemInput,
): Promise<Map<string, string>> {
  let parentId: string | null = null;
  if (parent !== undefined) {
    parentId = (await requireRecord(trx, 'item', programId, parent.code)).id;
    const owner = await trx
      .selectFrom('directive_items')
      .select('directive_id')
      .where('id', '=', parentId)
      .executeTakeFirstOrThrow();
    if (owner.directive_id !== directive.id)
      throw validationFailed([
        {
          path: parent.field,
          key: 'validation.parent_elsewhere',
          params: { code: parent.code, directive: directive.code },
        },
      ]);
  }
  const position = await nextPosition(
    trx,
    'directive_items',
    parentId === null
      ? { column: 'directive_id', value: directive.id }
      : { column: 'parent_id', value: parentId },
  );
  const ids = new Map<string, string>();
  await insertItems(trx, programId, directive.id, parentId, [item], position, ids);
  return ids;
}

/** Adds an item (with any sub-items) to a directive, at the end of its parent's list. */
export async function addDirectiveItem(
  ctx: ServiceContext,
  programCode: string,
  directiveCode: string,
  input: unknown,
) {
  requireWriteRole(ctx, 'item', programCode);
  const { parent, item } = validate(addItemSchema, input);
  // The item is the root of its own tree: drop the list index the tree walk starts with.
  rejectIssues(
    itemTreeIssues([item], []).map((i) => ({ ...i, path: i.path.slice(1) })),
    'item',
  );
  return write(ctx, async (trx, audit) => {
    const program = await requireProgram(trx, programCode);
    const directive = await requireRecord(trx, 'directive', program.id, directiveCode);
    const ids = await appendDirectiveItem(
      trx,
      program.id,
      { id: directive.id, code: directiveCode },
      parent === undefined ? undefined : { code: parent, field: 'parent' },
      item,
    );
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
      schema: itemRecordSchema,
      columns: { label: { column: 'label' }, text: { column: 'text' }, textJa: { column: 'text_ja' } },
    },
    programCode,
    code,
    input,
  );
