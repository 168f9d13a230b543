/** The API of public progress updates: draft, correct, approve (a second person), publish, list. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  approveDisclosure,
  draftDisclosure,
  listDisclosures,
  publishDisclosure,
} from '../../services/disclosure.service.ts';
import type { AppEnv } from '../env.ts';
import { define, readBody } from './define.ts';

const texts = {
  titleJa: z.string(),
  titleEn: z.string(),
  bodyJa: z.string().describe('Paragraphs separated by a blank line'),
  bodyEn: z.string(),
};
const created = z.object({ id: z.uuid(), number: z.number().int(), version: z.number().int() });
const step = z.object({ version: z.number().int() });

export function registerDisclosureApi(app: OpenAPIHono<AppEnv>): void {
  define(app, {
    method: 'get',
    path: '/programs/:program/disclosures',
    tag: 'Public updates',
    summary: 'Every public progress update of the program, newest first (drafts too)',
    response: z.array(z.record(z.string(), z.unknown())),
    handler: async (c) => c.json(await listDisclosures(c.var.ctx, c.req.param('program')!)),
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/disclosures',
    tag: 'Public updates',
    summary: 'Draft a public progress update, in Japanese and English',
    body: z.object(texts),
    status: 201,
    response: created,
    handler: async (c) =>
      c.json(await draftDisclosure(c.var.ctx, c.req.param('program')!, await readBody(c)), 201),
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/disclosures/:id/correction',
    tag: 'Public updates',
    summary: 'Draft a correction of a published update: a new update that says what changed',
    body: z.object({ ...texts, correctionNoteJa: z.string(), correctionNoteEn: z.string() }),
    status: 201,
    response: created,
    handler: async (c) =>
      c.json(
        await draftDisclosure(c.var.ctx, c.req.param('program')!, await readBody(c), c.req.param('id')!),
        201,
      ),
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/disclosures/:id/approve',
    tag: 'Public updates',
    summary: 'Approve a draft (a second person: not its author)',
    body: step,
    response: z.object({ id: z.uuid(), status: z.string(), version: z.number().int() }),
    handler: async (c) =>
      c.json(
        await approveDisclosure(c.var.ctx, c.req.param('program')!, c.req.param('id')!, await readBody(c)),
      ),
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/disclosures/:id/publish',
    tag: 'Public updates',
    summary: 'Publish an approved update: it is on the public pages from now on, and never changes',
    body: step,
    response: z.object({ id: z.uuid(), status: z.string(), version: z.number().int(), sha256: z.string() }),
    handler: async (c) =>
      c.json(
        await publishDisclosure(c.var.ctx, c.req.param('program')!, c.req.param('id')!, await readBody(c)),
      ),
  });
}
