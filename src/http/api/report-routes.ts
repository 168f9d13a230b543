/** The API of reports to the regulator: preview, the workflow to submission, files, findings. */

import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { parseAsOf } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { asOfPointSchema, codeSchema } from '../../domain/program-file/schema.ts';
import { LANGUAGES } from '../../i18n/index.ts';
import { REPORT_FORMATS } from '../../reports/render.ts';
import { reportModelOf } from '../../services/report.service.ts';
import { listReportFindings, recordReportFinding } from '../../services/report-finding.service.ts';
import { layoutTemplate } from '../../services/report-template.service.ts';
import {
  approveReport,
  createReport,
  getReport,
  listReports,
  reportFile,
  returnReportToDraft,
  sendReportForReview,
  submitReport,
} from '../../services/report-workflow.service.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { renderedReportResponse, storedReportResponse } from '../file-response.ts';
import { define, readBody, readQuery } from './define.ts';

const summary = z.object({
  id: z.uuid(),
  program: z.string(),
  directive: z.string(),
  asOf: z.string(),
  status: z.enum(['draft', 'in_review', 'approved', 'submitted']),
  version: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  reviewedBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  submittedBy: z.string().nullable(),
  submittedAt: z.string().nullable(),
  checkpoint: z.object({ size: z.number(), note: z.string() }).nullable(),
  files: z.array(z.object({ format: z.string(), lang: z.string(), sha256: z.string(), size: z.number() })),
  template: z
    .object({ version: z.number().int(), sha256: z.string() })
    .nullable()
    .describe("The program's DOCX template version the report is laid out with; null: the built-in layout"),
});
const stepBody = z.object({ version: z.number().int().describe('The version you read') });
const stepResult = z.object({ id: z.uuid(), status: z.string(), version: z.number().int() });
const previewQuery = z.object({
  directive: codeSchema.describe('The directive the report answers'),
  asOf: asOfPointSchema.optional(),
  format: z.enum(REPORT_FORMATS).default('html'),
  lang: z.enum(LANGUAGES).optional(),
});
const fileQuery = z.object({ lang: z.enum(LANGUAGES).default('ja') });

export function registerReportApi(app: OpenAPIHono<AppEnv>, deps: Pick<AppDeps, 'log'>): void {
  define(app, {
    method: 'get',
    path: '/programs/:program/report-preview',
    tag: 'Reports',
    summary: 'A report rendered now from the program, in any format (not stored, not submitted)',
    query: previewQuery,
    response: z.string().describe('The rendered report'),
    handler: async (c) => {
      const q = readQuery(c, previewQuery);
      const program = c.req.param('program')!;
      const point = q.asOf === undefined ? {} : parseAsOf(q.asOf)!;
      const model = await reportModelOf(c.var.ctx, program, q.directive, point);
      // A DOCX is laid out with the program's template in use, if it has one.
      const template = q.format === 'docx' ? await layoutTemplate(c.var.ctx, program) : undefined;
      return renderedReportResponse(c, model, q.format, q.lang ?? c.var.lang, template);
    },
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/reports',
    tag: 'Reports',
    summary: 'The reports of a program, newest first (a regulator sees the submitted ones)',
    response: z.array(summary),
    handler: async (c) => c.json(await listReports(c.var.ctx, c.req.param('program')!)),
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/reports',
    tag: 'Reports',
    summary: 'Start a report (a draft) answering a directive as of a day',
    body: z.object({ directive: codeSchema, asOf: z.string().describe('YYYY-MM-DD') }),
    status: 201,
    response: z.object({ id: z.uuid(), version: z.number().int() }),
    handler: async (c) =>
      c.json(await createReport(c.var.ctx, c.req.param('program')!, await readBody(c)), 201),
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/reports/:id',
    tag: 'Reports',
    summary: 'A report with its model (live for a draft, frozen from review on) and its files',
    response: summary.extend({ model: z.record(z.string(), z.unknown()) }),
    handler: async (c) => c.json(await getReport(c.var.ctx, c.req.param('program')!, c.req.param('id')!)),
  });
  const steps = [
    ['review', 'Send a draft for review: its content is frozen', sendReportForReview],
    ['return', 'Return a report in review (or approved) to draft', returnReportToDraft],
    [
      'approve',
      'Approve a report in review (a second person: not its author, not who sent it for review)',
      approveReport,
    ],
  ] as const;
  for (const [name, what, fn] of steps)
    define(app, {
      method: 'post',
      path: `/programs/:program/reports/:id/${name}`,
      tag: 'Reports',
      summary: what,
      body: stepBody,
      response: stepResult,
      handler: async (c) =>
        c.json(await fn(c.var.ctx, c.req.param('program')!, c.req.param('id')!, await readBody(c))),
    });
  define(app, {
    method: 'post',
    path: '/programs/:program/reports/:id/submit',
    tag: 'Reports',
    summary:
      'Submit an approved report: every format in ja and en is rendered, hashed and stored with the latest signed checkpoint; nothing can change it afterwards',
    body: stepBody,
    response: stepResult.extend({
      files: z.array(
        z.object({ format: z.string(), lang: z.string(), sha256: z.string(), size: z.number() }),
      ),
    }),
    handler: async (c) =>
      c.json(
        await submitReport(
          c.var.ctx,
          c.req.param('program')!,
          c.req.param('id')!,
          await readBody(c),
          deps.log,
        ),
      ),
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/reports/:id/files/:format',
    tag: 'Reports',
    summary: "A submitted report's file, its SHA-256 checked again (Repr-Digest header)",
    query: fileQuery,
    response: z.string().describe('The file'),
    handler: async (c) => {
      const { lang } = readQuery(c, fileQuery);
      const format = c.req.param('format')!;
      if (!(REPORT_FORMATS as readonly string[]).includes(format))
        throw new AppError('not_found', 'errors.not_found', {
          entity: 'report format',
          code: format.slice(0, 40),
        });
      return storedReportResponse(
        c,
        await reportFile(c.var.ctx, c.req.param('program')!, c.req.param('id')!, format, lang),
      );
    },
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/reports/:id/findings',
    tag: 'Reports',
    summary: "The regulator's findings on a report",
    response: z.array(z.record(z.string(), z.unknown())),
    handler: async (c) =>
      c.json(await listReportFindings(c.var.ctx, c.req.param('program')!, c.req.param('id')!)),
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/reports/:id/findings',
    tag: 'Reports',
    summary: "Record a regulator's finding on a submitted report; it becomes an item of the directive",
    body: z.object({ text: z.string(), refersTo: codeSchema.optional() }),
    status: 201,
    response: z.object({ id: z.uuid(), item: z.string() }),
    handler: async (c) =>
      c.json(
        await recordReportFinding(c.var.ctx, c.req.param('program')!, c.req.param('id')!, await readBody(c)),
        201,
      ),
  });
}
