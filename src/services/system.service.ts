/** Systems (assets) and the access edges that say which organization can reach which system, and how. */
import { insertAccess, insertLink, insertSystem } from '../db/program-writer.ts';
import { accessIssues, linkIssues } from '../domain/program-file/check.ts';
import { accessSchema, linkSchema, systemSchema } from '../domain/program-file/schema.ts';
import { type ColumnMap, createRecord, PROVENANCE_COLUMNS, rejectIssues, updateRecord } from './common.ts';
import type { ServiceContext } from './context.ts';

/** The columns access edges and links share: how, and when they are open. */
const EDGE_COLUMNS: ColumnMap = {
  via: { column: 'via' },
  from: { column: 'from_date' },
  until: { column: 'until_date' },
  untilMilestone: { column: 'until_milestone_id', ref: 'milestone' },
  description: { column: 'description' },
  ...PROVENANCE_COLUMNS,
};

export const createSystem = (ctx: ServiceContext, programCode: string, input: unknown) =>
  createRecord(ctx, 'system', programCode, systemSchema, input, (trx, programId, s, resolve) =>
    insertSystem(trx, programId, s, resolve, ''),
  );

export const updateSystem = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  updateRecord(
    ctx,
    {
      kind: 'system',
      schema: systemSchema,
      columns: {
        name: { column: 'name' },
        kind: { column: 'kind' },
        owner: { column: 'owner_org_id', ref: 'organization' },
        criticality: { column: 'criticality' },
        dataClasses: { column: 'data_classes' },
        description: { column: 'description' },
        ...PROVENANCE_COLUMNS,
      },
    },
    programCode,
    code,
    input,
  );

export const grantAccess = (ctx: ServiceContext, programCode: string, input: unknown) =>
  createRecord(
    ctx,
    'access',
    programCode,
    accessSchema,
    input,
    (trx, programId, a, resolve) => insertAccess(trx, programId, a, resolve, ''),
    {},
    accessIssues,
  );

export const linkSystems = (ctx: ServiceContext, programCode: string, input: unknown) =>
  createRecord(
    ctx,
    'link',
    programCode,
    linkSchema,
    input,
    (trx, programId, l, resolve) => insertLink(trx, programId, l, resolve, ''),
    {},
    linkIssues,
  );

export const updateLink = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  updateRecord(
    ctx,
    {
      kind: 'link',
      schema: linkSchema,
      columns: {
        system: { column: 'system_id', ref: 'system' },
        reaches: { column: 'reaches_system_id', ref: 'system' },
        ...EDGE_COLUMNS,
      },
      after: async (trx, id) => {
        const row = await trx
          .selectFrom('system_links as l')
          .innerJoin('systems as a', 'a.id', 'l.system_id')
          .innerJoin('systems as b', 'b.id', 'l.reaches_system_id')
          .select(['a.code as system', 'b.code as reaches', 'l.from_date', 'l.until_date'])
          .where('l.id', '=', id)
          .executeTakeFirstOrThrow();
        rejectIssues(
          linkIssues({
            system: row.system,
            reaches: row.reaches,
            from: row.from_date,
            until: row.until_date,
          }),
          '',
        );
      },
    },
    programCode,
    code,
    input,
  );

export const updateAccess = (ctx: ServiceContext, programCode: string, code: string, input: unknown) =>
  updateRecord(
    ctx,
    {
      kind: 'access',
      schema: accessSchema,
      columns: {
        organization: { column: 'organization_id', ref: 'organization' },
        system: { column: 'system_id', ref: 'system' },
        ...EDGE_COLUMNS,
      },
      after: async (trx, id) => {
        const row = await trx
          .selectFrom('access_edges')
          .select(['from_date', 'until_date'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        rejectIssues(accessIssues({ from: row.from_date, until: row.until_date }), '');
      },
    },
    programCode,
    code,
    input,
  );
