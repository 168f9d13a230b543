/** The JSON API under /api/v1: programs and every record of a program, read and write. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { parseAsOf, parseInstant } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { PLAN_VIEWS, type PlanView } from '../../domain/exposure.ts';
import { lintSettingsSchema } from '../../domain/lint/config.ts';
import * as S from '../../domain/program-file/schema.ts';
import { asOfPointSchema, codeSchema, dateSchema, instantSchema } from '../../domain/program-file/schema.ts';
import { REGISTER_GROUPINGS } from '../../domain/register.ts';
import { withMessages } from '../../i18n/findings.ts';
import { lintProgram, scheduleOfProgram, traceabilityOfProgram } from '../../services/analysis.service.ts';
import type { ServiceContext } from '../../services/context.ts';
import { programDashboard } from '../../services/dashboard.service.ts';
import {
  addDirectiveItem,
  createDirective,
  updateDirective,
  updateDirectiveItem,
} from '../../services/directive.service.ts';
import type { EvidenceStore } from '../../services/evidence-store.ts';
import {
  controlChainOfProgram,
  exposureOfProgram,
  exposureTimelineOfProgram,
  tieringOfProgram,
} from '../../services/governance.service.ts';
import { createIncident, reportSecondaryDamage, updateIncident } from '../../services/incident.service.ts';
import { createMeasure, updateMeasure } from '../../services/measure.service.ts';
import { createMilestone, updateMilestone } from '../../services/milestone.service.ts';
import { addOwnership, createOrganization, updateOrganization } from '../../services/organization.service.ts';
import {
  getProgram,
  getRecord,
  listPrograms,
  listRecords,
  planAsOf,
  type RecordCollection,
  updateProgram,
} from '../../services/program.service.ts';
import { exportProgram, importProgramText, renderProgramFile } from '../../services/program-file.service.ts';
import {
  exportRegister,
  importRegister,
  registerChangesSince,
  registerGroupedBy,
  registerOfProgram,
  XLSX_TYPE,
} from '../../services/register.service.ts';
import {
  createRelationship,
  decideRelationship,
  decideSchema,
  updateRelationship,
} from '../../services/relationship.service.ts';
import {
  approveReplan,
  refuseReplan,
  replanDecisionSchema,
  replanMilestone,
  replanSchema,
} from '../../services/replan.service.ts';
import {
  createSystem,
  grantAccess,
  linkSystems,
  updateAccess,
  updateLink,
  updateSystem,
} from '../../services/system.service.ts';
import { createVerification, updateVerification } from '../../services/verification.service.ts';
import type { AppEnv } from '../env.ts';
import { define, readBody, readQuery } from './define.ts';

const meta = { id: z.string().uuid(), version: z.number().int() };
const written = z.object({ id: z.string().uuid(), code: z.string().optional(), version: z.number().int() });
const replanned = written.extend({
  from: dateSchema.nullable(),
  to: dateSchema.nullable(),
  on: dateSchema,
  status: z.enum(['approved', 'pending', 'refused']),
});
const summary = z.object({
  id: z.string().uuid(),
  code: z.string(),
  name: z.string(),
  nameJa: z.string().nullable(),
  timeZone: z.string(),
  regulatedOrganization: z.string().nullable(),
  version: z.number().int(),
  counts: z.object({
    directives: z.number(),
    measures: z.number(),
    milestones: z.number(),
    relationships: z.number(),
  }),
});
const patchOf = (schema: z.ZodObject, omit: string[]) =>
  schema
    .omit(Object.fromEntries(omit.map((k) => [k, true])) as never)
    .partial()
    .extend({ version: z.number().int().min(1).describe('The version you last read') });

/** Per collection: the record schema, how to create and update one, and what a patch may hold. */
const COLLECTIONS: Array<{
  name: RecordCollection;
  tag: string;
  schema: z.ZodObject;
  omitFromPatch: string[];
  create?: (ctx: ServiceContext, program: string, body: unknown) => Promise<unknown>;
  update: (ctx: ServiceContext, program: string, code: string, body: unknown) => Promise<unknown>;
  extra?: Record<string, z.ZodType>;
}> = [
  {
    name: 'organizations',
    tag: 'Organizations',
    schema: S.organizationSchema,
    omitFromPatch: ['code'],
    create: createOrganization,
    update: updateOrganization,
  },
  {
    name: 'incidents',
    tag: 'Incidents',
    schema: S.incidentSchema,
    omitFromPatch: ['code', 'records', 'secondaryDamage'],
    create: createIncident,
    update: updateIncident,
  },
  {
    name: 'items',
    tag: 'Directives',
    schema: S.itemRecordSchema,
    omitFromPatch: ['code', 'directive', 'parent'],
    update: updateDirectiveItem,
  },
  {
    name: 'directives',
    tag: 'Directives',
    schema: S.directiveSchema,
    omitFromPatch: ['code', 'items'],
    create: createDirective,
    update: updateDirective,
  },
  {
    name: 'measures',
    tag: 'Measures',
    schema: S.measureSchema,
    omitFromPatch: ['code', 'milestones', 'verifications'],
    create: createMeasure,
    update: updateMeasure,
  },
  {
    name: 'milestones',
    tag: 'Milestones',
    schema: S.milestoneSchema,
    omitFromPatch: ['code', 'committedOn', 'planned', 'replans'],
    update: updateMilestone,
    extra: { measure: z.string(), baseline: dateSchema.nullable(), slippageDays: z.number().nullable() },
  },
  {
    name: 'verifications',
    tag: 'Verifications',
    schema: S.verificationSchema,
    omitFromPatch: ['code'],
    update: updateVerification,
    extra: { measure: z.string() },
  },
  {
    name: 'systems',
    tag: 'Systems',
    schema: S.systemSchema,
    omitFromPatch: ['code'],
    create: createSystem,
    update: updateSystem,
  },
  {
    name: 'links',
    tag: 'Access',
    schema: S.linkSchema,
    omitFromPatch: ['code'],
    create: linkSystems,
    update: updateLink,
  },
  {
    name: 'access',
    tag: 'Access',
    schema: S.accessSchema,
    omitFromPatch: ['code'],
    create: grantAccess,
    update: updateAccess,
  },
  {
    name: 'relationships',
    tag: 'Outsourcing relationships',
    schema: S.relationshipSchema,
    omitFromPatch: ['code', 'decisions'],
    create: createRelationship,
    update: updateRelationship,
    extra: { current: S.decisionSchema.nullable() },
  },
];

export function registerApi(app: OpenAPIHono<AppEnv>, evidence: EvidenceStore): void {
  define(app, {
    method: 'get',
    path: '/programs',
    tag: 'Programs',
    summary: 'List programs',
    response: z.array(summary),
    handler: async (c) => c.json(await listPrograms(c.var.ctx)),
  });
  define(app, {
    method: 'post',
    path: '/programs',
    tag: 'Programs',
    summary: 'Import a program file',
    description:
      'All or nothing. Send the program as JSON, or as YAML with content type application/yaml. Add ?replace=true to replace a program with the same code.',
    body: S.programFileSchema,
    bodyMediaTypes: ['application/json', 'application/yaml'],
    query: z.object({ replace: z.enum(['true', 'false']).optional() }),
    response: z.object({
      programId: z.string().uuid(),
      code: z.string(),
      replaced: z.boolean(),
      counts: z.record(z.string(), z.number()),
    }),
    status: 201,
    handler: async (c) => {
      const { replace } = readQuery(c, z.object({ replace: z.enum(['true', 'false']).optional() }));
      const type = c.req.header('content-type') ?? '';
      const options = { replace: replace === 'true', evidence };
      // YAML reads JSON too: the text goes to the parser as sent, so problems carry its lines and columns.
      if (!/yaml|json/i.test(type)) throw new AppError('bad_request', 'errors.bad_content_type_program');
      const result = await importProgramText(c.var.ctx, await c.req.text(), options);
      return c.json(result, 201);
    },
  });
  define(app, {
    method: 'get',
    path: '/programs/:program',
    tag: 'Programs',
    summary: 'One program, with counts',
    response: summary,
    handler: async (c) => c.json(await getProgram(c.var.ctx, c.req.param('program')!)),
  });
  define(app, {
    method: 'patch',
    path: '/programs/:program',
    tag: 'Programs',
    summary: "Edit the program's own fields",
    body: patchOf(S.programInfoSchema.extend({ lint: lintSettingsSchema }), ['code']),
    response: written,
    handler: async (c) => c.json(await updateProgram(c.var.ctx, c.req.param('program')!, await readBody(c))),
  });
  const exportQuery = z.object({
    format: z.enum(['yaml', 'json']).default('yaml'),
    asOf: instantSchema.optional().describe('The program as the audit log held it at this instant'),
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/export',
    tag: 'Programs',
    summary: 'The program as a program file',
    query: exportQuery,
    response: S.programFileSchema,
    handler: async (c) => {
      const { format, asOf } = readQuery(c, exportQuery);
      const program = c.req.param('program')!;
      const at = asOf === undefined ? undefined : parseInstant(asOf);
      const text = renderProgramFile(await exportProgram(c.var.ctx, program, at), format);
      return c.body(text, 200, {
        'content-type':
          format === 'json' ? 'application/json; charset=utf-8' : 'application/yaml; charset=utf-8',
        'content-disposition': `attachment; filename="${program}.${format}"`,
      });
    },
  });
  const planQuery = z.object({ asOf: dateSchema.describe('The day to look back to, YYYY-MM-DD') });
  define(app, {
    method: 'get',
    path: '/programs/:program/plan',
    tag: 'Programs',
    summary: 'The plan as it stood at the end of a given day',
    query: planQuery,
    response: z.object({
      program: z.string(),
      asOf: dateSchema,
      milestones: z.array(z.any()),
      relationships: z.array(z.any()),
    }),
    handler: async (c) => {
      const { asOf } = readQuery(c, planQuery);
      return c.json(await planAsOf(c.var.ctx, c.req.param('program')!, asOf));
    },
  });

  const asOfQuery = z.object({
    asOf: asOfPointSchema
      .optional()
      .describe(
        "A day, YYYY-MM-DD (the dated history as now known, at the end of that day), or an instant with its offset (the program as the audit log held it then); today in the program's time zone when absent",
      ),
  });
  /** The `asOf` of a query as a day or an instant. */
  const pointOf = (asOf: string | undefined) => (asOf === undefined ? {} : parseAsOf(asOf)!);
  const due = z.object({ code: z.string(), title: z.string(), measure: z.string(), planned: dateSchema });
  define(app, {
    method: 'get',
    path: '/programs/:program/dashboard',
    tag: 'Readiness',
    summary:
      'The dashboard as figures: measures by derived status, lint counts, late and upcoming milestones, reports due, decisions by quarter',
    response: z.object({
      program: z.string(),
      today: dateSchema,
      measures: z.array(z.object({ status: z.string(), count: z.number() })),
      lint: z.object({ error: z.number(), warning: z.number(), info: z.number() }),
      late: z.array(due.extend({ daysLate: z.number() })).describe('The first 50, the longest overdue first'),
      lateCount: z.number(),
      upcoming: z.array(due).describe('The first 50 due within 45 days, the nearest first'),
      upcomingCount: z.number(),
      reportsDue: z.array(z.object({ directive: z.string(), due: dateSchema })),
      decisionsByQuarter: z.array(
        z.object({
          quarter: z.string().nullable(),
          terminate: z.number(),
          reduce: z.number(),
          maintain: z.number(),
          undecided: z.number(),
        }),
      ),
    }),
    handler: async (c) => c.json(await programDashboard(c.var.ctx, c.req.param('program')!)),
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/lint',
    tag: 'Readiness',
    summary: 'Readiness lint: what the regulator would object to, as of a day',
    query: asOfQuery,
    response: z.object({
      program: z.string(),
      asOf: dateSchema,
      counts: z.object({ error: z.number(), warning: z.number(), info: z.number() }),
      findings: z.array(
        z.object({
          rule: z.string(),
          severity: z.enum(['error', 'warning', 'info']),
          kind: z.string(),
          code: z.string(),
          path: z.string(),
          params: z.record(z.string(), z.unknown()),
          message: z.string(),
        }),
      ),
    }),
    handler: async (c) => {
      const point = pointOf(readQuery(c, asOfQuery).asOf);
      return c.json(withMessages(await lintProgram(c.var.ctx, c.req.param('program')!, point), c.var.lang));
    },
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/schedule',
    tag: 'Readiness',
    summary: 'Schedule as of a day: slippage, forecasts, float, derived statuses and critical paths',
    query: asOfQuery,
    response: z.object({
      program: z.string(),
      asOf: dateSchema,
      milestones: z.array(z.record(z.string(), z.unknown())),
      measures: z.array(z.record(z.string(), z.unknown())),
      criticalPaths: z.array(z.record(z.string(), z.unknown())),
    }),
    handler: async (c) => {
      const point = pointOf(readQuery(c, asOfQuery).asOf);
      return c.json(await scheduleOfProgram(c.var.ctx, c.req.param('program')!, point));
    },
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/traceability',
    tag: 'Readiness',
    summary: 'Directive items × measures: coverage per item and per directive',
    query: asOfQuery,
    response: z.object({
      program: z.string(),
      asOf: dateSchema,
      rows: z.array(z.record(z.string(), z.unknown())),
      directives: z.array(z.record(z.string(), z.unknown())),
      unanswered: z.array(z.record(z.string(), z.unknown())),
      answersNothing: z.array(z.string()),
    }),
    handler: async (c) => {
      const point = pointOf(readQuery(c, asOfQuery).asOf);
      return c.json(await traceabilityOfProgram(c.var.ctx, c.req.param('program')!, point));
    },
  });

  const exposureQuery = z.object({
    asOf: asOfPointSchema
      .optional()
      .describe(
        "A day, YYYY-MM-DD, or an instant with its offset (the program as the audit log held it then); today in the program's time zone when absent",
      ),
    organization: codeSchema.optional().describe('Only this outside organization'),
    view: z
      .enum(PLAN_VIEWS as [PlanView, ...PlanView[]])
      .optional()
      .describe(
        'actual (default): edges end when their milestone is done; planned: or when it is planned to be; baseline: at the baseline date',
      ),
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/exposure',
    tag: 'Group governance',
    summary:
      'Exposure paths: which outside organizations can reach which systems and data classes of the group, and how',
    query: exposureQuery,
    response: z.object({
      program: z.string(),
      asOf: dateSchema,
      view: z.string(),
      organizations: z.array(z.record(z.string(), z.unknown())),
      dataClasses: z.array(z.object({ dataClass: z.string(), organizations: z.array(z.string()) })),
    }),
    handler: async (c) => {
      const { asOf, ...query } = readQuery(c, exposureQuery);
      return c.json(
        await exposureOfProgram(c.var.ctx, c.req.param('program')!, { ...query, ...pointOf(asOf) }),
      );
    },
  });
  const timelineQuery = z.object({ from: dateSchema.optional(), to: dateSchema.optional() });
  define(app, {
    method: 'get',
    path: '/programs/:program/exposure/timeline',
    tag: 'Group governance',
    summary:
      'Month by month, the critical systems each outside organization can reach: as done, as planned, as baselined',
    query: timelineQuery,
    response: z.object({
      program: z.string(),
      months: z.array(dateSchema),
      series: z.array(z.record(z.string(), z.unknown())),
    }),
    handler: async (c) => {
      const range = readQuery(c, timelineQuery);
      return c.json(await exposureTimelineOfProgram(c.var.ctx, c.req.param('program')!, range));
    },
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/control',
    tag: 'Group governance',
    summary:
      'The control chain over the regulated organization, and providers that hold a stake in their own customer',
    response: z.object({
      program: z.string(),
      organization: z.string(),
      holders: z.array(z.record(z.string(), z.unknown())),
      providersInChain: z.array(z.record(z.string(), z.unknown())),
    }),
    handler: async (c) => c.json(await controlChainOfProgram(c.var.ctx, c.req.param('program')!)),
  });

  define(app, {
    method: 'get',
    path: '/programs/:program/tiering',
    tag: 'Group governance',
    summary:
      "Contractor tiering: each provider's required security level (METI ★) against its attested level",
    query: asOfQuery,
    response: z.object({
      program: z.string(),
      asOf: dateSchema,
      providers: z.array(z.record(z.string(), z.unknown())),
    }),
    handler: async (c) => {
      const point = pointOf(readQuery(c, asOfQuery).asOf);
      return c.json(await tieringOfProgram(c.var.ctx, c.req.param('program')!, point));
    },
  });

  const registerQuery = z.object({
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
    groupBy: z
      .enum(REGISTER_GROUPINGS)
      .optional()
      .describe('JSON only: group the rows by provider, decision or target quarter'),
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/register',
    tag: 'Group governance',
    summary:
      'The outsourcing register: JSON rows, or a CSV or XLSX file (columns after the DORA register of information)',
    query: registerQuery,
    response: z.array(z.record(z.string(), z.unknown())),
    handler: async (c) => {
      const { format, groupBy } = readQuery(c, registerQuery);
      const program = c.req.param('program')!;
      if (format === 'json' && groupBy) return c.json(await registerGroupedBy(c.var.ctx, program, groupBy));
      if (format === 'json') return c.json(await registerOfProgram(c.var.ctx, program));
      const { data } = await exportRegister(c.var.ctx, program, format, c.var.lang);
      return c.body(new Uint8Array(data), 200, {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE,
        'content-disposition': `attachment; filename="${program}-register.${format}"`,
      });
    },
  });
  const changesQuery = z.object({ since: dateSchema.describe('Changes on or after this day') });
  define(app, {
    method: 'get',
    path: '/programs/:program/register/changes',
    tag: 'Group governance',
    summary: 'What changed in the outsourcing register since a day: relationships begun, decisions made',
    query: changesQuery,
    response: z.object({
      program: z.string(),
      since: dateSchema,
      changes: z.array(z.record(z.string(), z.unknown())),
    }),
    handler: async (c) => {
      const { since } = readQuery(c, changesQuery);
      return c.json(await registerChangesSince(c.var.ctx, c.req.param('program')!, since));
    },
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/register',
    tag: 'Group governance',
    summary: 'Import an XLSX register: all or nothing, every problem named by its cell',
    body: z.string().describe('The XLSX workbook'),
    bodyMediaTypes: [XLSX_TYPE],
    response: z.object({
      created: z.array(z.string()),
      updated: z.array(z.string()),
      decided: z.array(z.string()),
      unchanged: z.array(z.string()),
    }),
    handler: async (c) => {
      const data = new Uint8Array(await c.req.arrayBuffer());
      return c.json(await importRegister(c.var.ctx, c.req.param('program')!, data));
    },
  });

  for (const col of COLLECTIONS) {
    const record = col.schema.extend({ ...meta, ...(col.extra ?? {}) });
    define(app, {
      method: 'get',
      path: `/programs/:program/${col.name}`,
      tag: col.tag,
      summary: `List ${col.name}`,
      response: z.array(record),
      handler: async (c) => c.json(await listRecords(c.var.ctx, c.req.param('program')!, col.name)),
    });
    define(app, {
      method: 'get',
      path: `/programs/:program/${col.name}/:code`,
      tag: col.tag,
      summary: `One of the ${col.name}`,
      response: record,
      handler: async (c) =>
        c.json(await getRecord(c.var.ctx, c.req.param('program')!, col.name, c.req.param('code')!)),
    });
    if (col.create) {
      const create = col.create;
      define(app, {
        method: 'post',
        path: `/programs/:program/${col.name}`,
        tag: col.tag,
        summary: `Create one of the ${col.name}`,
        body: col.schema,
        response: written,
        status: 201,
        handler: async (c) =>
          c.json(await create(c.var.ctx, c.req.param('program')!, await readBody(c)), 201),
      });
    }
    define(app, {
      method: 'patch',
      path: `/programs/:program/${col.name}/:code`,
      tag: col.tag,
      summary: `Edit one of the ${col.name}`,
      description:
        'Send only the fields to change and the version you read; a stale version answers 409 and changes nothing.',
      body: patchOf(col.schema, col.omitFromPatch),
      response: written,
      handler: async (c) =>
        c.json(await col.update(c.var.ctx, c.req.param('program')!, c.req.param('code')!, await readBody(c))),
    });
  }

  define(app, {
    method: 'post',
    path: '/programs/:program/measures/:measure/milestones',
    tag: 'Milestones',
    summary: 'Add a milestone to a measure',
    body: S.milestoneSchema,
    response: written,
    status: 201,
    handler: async (c) =>
      c.json(
        await createMilestone(c.var.ctx, c.req.param('program')!, c.req.param('measure')!, await readBody(c)),
        201,
      ),
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/milestones/:code/replan',
    tag: 'Milestones',
    summary:
      'Re-plan a milestone: move its planned date, with a reason (pending until a second person approves, for a milestone a submitted report has shown)',
    body: replanSchema,
    response: replanned,
    handler: async (c) =>
      c.json(
        await replanMilestone(c.var.ctx, c.req.param('program')!, c.req.param('code')!, await readBody(c)),
      ),
  });
  for (const [step, decide] of [
    ['approve', approveReplan],
    ['refuse', refuseReplan],
  ] as const)
    define(app, {
      method: 'post',
      path: `/programs/:program/milestones/:code/replan/${step}`,
      tag: 'Milestones',
      summary:
        step === 'approve'
          ? 'Approve the re-plan that waits on a milestone (not by the person who asked for it)'
          : 'Refuse the re-plan that waits on a milestone, with a reason (it stays in the history)',
      body: replanDecisionSchema,
      response: replanned,
      handler: async (c) =>
        c.json(await decide(c.var.ctx, c.req.param('program')!, c.req.param('code')!, await readBody(c))),
    });
  define(app, {
    method: 'post',
    path: '/programs/:program/measures/:measure/verifications',
    tag: 'Verifications',
    summary: 'Add a verification to a measure',
    body: S.verificationSchema,
    response: written,
    status: 201,
    handler: async (c) =>
      c.json(
        await createVerification(
          c.var.ctx,
          c.req.param('program')!,
          c.req.param('measure')!,
          await readBody(c),
        ),
        201,
      ),
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/directives/:directive/items',
    tag: 'Directives',
    summary: 'Add an item (with sub-items) to a directive',
    body: z.object({ parent: z.string().optional(), item: S.directiveItemSchema }),
    response: written,
    status: 201,
    handler: async (c) =>
      c.json(
        await addDirectiveItem(
          c.var.ctx,
          c.req.param('program')!,
          c.req.param('directive')!,
          await readBody(c),
        ),
        201,
      ),
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/relationships/:code/decisions',
    tag: 'Outsourcing relationships',
    summary: 'Decide an outsourcing relationship: reduce, terminate or maintain, by when, and why',
    body: decideSchema,
    response: written.extend({ decision: S.decisionSchema }),
    status: 201,
    handler: async (c) =>
      c.json(
        await decideRelationship(c.var.ctx, c.req.param('program')!, c.req.param('code')!, await readBody(c)),
        201,
      ),
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/incidents/:code/secondary-damage',
    tag: 'Incidents',
    summary: 'Report secondary damage (phishing, unauthorized login, fraud…)',
    body: S.secondaryDamageSchema,
    response: written,
    status: 201,
    handler: async (c) =>
      c.json(
        await reportSecondaryDamage(
          c.var.ctx,
          c.req.param('program')!,
          c.req.param('code')!,
          await readBody(c),
        ),
        201,
      ),
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/ownerships',
    tag: 'Organizations',
    summary: 'Ownership edges (share and voting percentages)',
    response: z.array(S.ownershipSchema),
    handler: async (c) => c.json((await exportProgram(c.var.ctx, c.req.param('program')!)).ownerships),
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/ownerships',
    tag: 'Organizations',
    summary: 'Add an ownership edge',
    body: S.ownershipSchema,
    response: z.object({ id: z.string().uuid(), version: z.number().int() }),
    status: 201,
    handler: async (c) =>
      c.json(await addOwnership(c.var.ctx, c.req.param('program')!, await readBody(c)), 201),
  });
}
