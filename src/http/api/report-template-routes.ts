/** The API of a program's report layout: DOCX template versions, the one in use, cover texts per directive. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { MAX_TEMPLATE_BYTES } from '../../reports/docx-template.ts';
import { MEDIA_TYPES } from '../../reports/render.ts';
import {
  activateReportTemplate,
  reportLayoutOf,
  setReportCover,
  uploadReportTemplate,
  useBuiltInReportLayout,
} from '../../services/report-template.service.ts';
import type { AppEnv } from '../env.ts';
import { starterTemplateResponse, templateVersionResponse } from '../file-response.ts';
import { define, readBody, readQuery } from './define.ts';

const versionSchema = z.object({
  version: z.number().int(),
  sha256: z.string(),
  filename: z.string(),
  size: z.number().int(),
  placeholders: z.array(z.string()),
  by: z.string(),
  at: z.string(),
});
const layoutSchema = z.object({
  active: z.number().int().nullable().describe('The template version in use; null: the built-in layout'),
  version: z.number().int().describe('The version of this setting, for a change to name'),
  versions: z.array(versionSchema),
  covers: z.array(
    z.object({
      directive: z.string(),
      en: z.string().nullable(),
      ja: z.string().nullable(),
      version: z.number().int(),
      by: z.string(),
      at: z.string(),
    }),
  ),
});
const uploadQuery = z.object({
  filename: z.string().min(1).max(200).default('template.docx').describe('The file name to keep'),
});

const DOCX_TYPE = MEDIA_TYPES.docx;

export function registerReportTemplateApi(app: OpenAPIHono<AppEnv>): void {
  const path = '/programs/:program/report-template';
  define(app, {
    method: 'get',
    path,
    tag: 'Reports',
    summary: "The program's report layout: its DOCX template versions, the one in use, its cover texts",
    response: layoutSchema,
    handler: async (c) => c.json(await reportLayoutOf(c.var.ctx, c.req.param('program')!)),
  });
  define(app, {
    method: 'post',
    path,
    tag: 'Reports',
    summary: 'Upload a DOCX template: checked, kept as the next version, and put in use',
    description: `Send the file itself as the body (${DOCX_TYPE}), at most ${MAX_TEMPLATE_BYTES} bytes. Every tag must be a placeholder of the vocabulary (docs/report-templates.md); an unknown one is refused by name (422), and nothing is stored.`,
    query: uploadQuery,
    body: z.string().describe('The DOCX file'),
    bodyMediaTypes: [DOCX_TYPE, 'application/octet-stream'],
    status: 201,
    response: versionSchema.pick({
      version: true,
      sha256: true,
      filename: true,
      size: true,
      placeholders: true,
    }),
    handler: async (c) => {
      const { filename } = readQuery(c, uploadQuery);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const r = await uploadReportTemplate(c.var.ctx, c.req.param('program')!, { name: filename, bytes });
      return c.json(
        {
          version: r.version,
          sha256: r.sha256,
          filename: r.filename,
          size: r.size,
          placeholders: r.placeholders,
        },
        201,
      );
    },
  });
  define(app, {
    method: 'get',
    path: `${path}/versions/:version`,
    tag: 'Reports',
    summary: 'Download a version of the template (its SHA-256 checked again, Repr-Digest header)',
    response: z.string().describe('The DOCX file'),
    handler: (c) => templateVersionResponse(c, c.req.param('program')!, c.req.param('version')!),
  });
  define(app, {
    method: 'get',
    path: `${path}/starter`,
    tag: 'Reports',
    summary: 'The starter template: every section of the report as placeholders, to adapt in Word',
    response: z.string().describe('The DOCX file'),
    handler: starterTemplateResponse,
  });
  define(app, {
    method: 'post',
    path: `${path}/activate`,
    tag: 'Reports',
    summary: 'Put a version of the template in use',
    body: z.object({
      template: z.number().int(),
      version: z.number().int().describe('The version of the setting read'),
    }),
    response: z.object({ active: z.number().int(), version: z.number().int() }),
    handler: async (c) =>
      c.json(await activateReportTemplate(c.var.ctx, c.req.param('program')!, await readBody(c))),
  });
  define(app, {
    method: 'post',
    path: `${path}/built-in`,
    tag: 'Reports',
    summary: 'Go back to the built-in DOCX layout (the versions stay)',
    body: z.object({ version: z.number().int().describe('The version of the setting read') }),
    response: z.object({ active: z.null(), version: z.number().int() }),
    handler: async (c) =>
      c.json(await useBuiltInReportLayout(c.var.ctx, c.req.param('program')!, await readBody(c))),
  });
  define(app, {
    method: 'put',
    path: '/programs/:program/report-covers/:directive',
    tag: 'Reports',
    summary:
      'Set the cover text of the reports on a directive, in English and Japanese (empty or null: none)',
    body: z.object({
      en: z.string().nullable().optional(),
      ja: z.string().nullable().optional(),
      version: z.number().int().describe('The version read; 0 for a directive without cover text'),
    }),
    response: z.object({ directive: z.string(), version: z.number().int() }),
    handler: async (c) =>
      c.json(
        await setReportCover(
          c.var.ctx,
          c.req.param('program')!,
          c.req.param('directive')!,
          await readBody(c),
        ),
      ),
  });
}
