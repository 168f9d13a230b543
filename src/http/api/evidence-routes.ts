/** The API of evidence (files attached to measures, milestones and checks) and of proofs from the audit log. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { codeSchema } from '../../domain/program-file/schema.ts';
import { programEventProof } from '../../services/audit.service.ts';
import {
  attachEvidence,
  EVIDENCE_KINDS,
  EVIDENCE_MEDIA_TYPES,
  listEvidence,
  readEvidence,
} from '../../services/evidence.service.ts';
import type { EvidenceStore } from '../../services/evidence-store.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { evidenceResponse } from '../file-response.ts';
import { define, readQuery } from './define.ts';

const evidenceSchema = z.object({
  id: z.uuid(),
  kind: z.enum(EVIDENCE_KINDS),
  code: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  mediaType: z.string(),
  filename: z.string(),
  description: z.string().nullable(),
  by: z.string(),
  at: z.string(),
});

const listQuery = z.object({
  code: codeSchema.optional().describe('Only the evidence of the record with this code'),
});
const attachQuery = z.object({
  kind: z.enum(EVIDENCE_KINDS).describe('What the file proves: a measure, a milestone or a verification'),
  code: codeSchema.describe('The code of that record'),
  filename: z.string().min(1).max(200).describe('The file name to keep'),
  description: z.string().max(2_000).optional(),
});
const proofQuery = z.object({
  from: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Also a consistency proof from this earlier tree size to the latest checkpoint'),
});

export function registerEvidenceApi(
  app: OpenAPIHono<AppEnv>,
  store: EvidenceStore,
  deps: Pick<AppDeps, 'log'>,
): void {
  define(app, {
    method: 'get',
    path: '/programs/:program/evidence',
    tag: 'Evidence',
    summary: "The evidence of the program's records, oldest first",
    query: listQuery,
    response: z.array(evidenceSchema),
    handler: async (c) => {
      const { code } = readQuery(c, listQuery);
      const list = await listEvidence(
        c.var.ctx,
        c.req.param('program')!,
        code === undefined ? undefined : [code],
      );
      return c.json(list.map((e) => ({ ...e, at: e.at.toISOString() })));
    },
  });
  define(app, {
    method: 'post',
    path: '/programs/:program/evidence',
    tag: 'Evidence',
    summary: 'Attach a file to a measure, milestone or verification',
    description: `Send the file itself as the body, with its media type (${EVIDENCE_MEDIA_TYPES.join(', ')}); at most 20 MB. It is stored by its SHA-256, and the audit log records the hash.`,
    query: attachQuery,
    body: z.string().describe('The file'),
    bodyMediaTypes: EVIDENCE_MEDIA_TYPES,
    status: 201,
    response: z.object({ id: z.uuid(), sha256: z.string(), size: z.number().int() }),
    handler: async (c) => {
      const { kind, code, filename, description } = readQuery(c, attachQuery);
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const type = c.req.header('content-type') ?? '';
      const attached = await attachEvidence(
        c.var.ctx,
        store,
        c.req.param('program')!,
        { kind, code, ...(description === undefined ? {} : { description }) },
        { name: filename, type, bytes },
      );
      return c.json(attached, 201);
    },
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/evidence/:id',
    tag: 'Evidence',
    summary:
      'Download a file of evidence; its SHA-256 is checked again first (409 when the stored bytes changed)',
    response: z.string().describe('The file, with a Repr-Digest header'),
    handler: async (c) =>
      evidenceResponse(c, await readEvidence(c.var.ctx, store, c.req.param('program')!, c.req.param('id')!)),
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/audit/:seq/proof',
    tag: 'Audit',
    summary:
      "An event of the program's audit log with its inclusion proof in the latest signed checkpoint (scripts/verify-proof.mjs checks it)",
    query: proofQuery,
    response: z.object({
      seq: z.number().int(),
      leafIndex: z.number().int(),
      treeSize: z.number().int(),
      leafHash: z.string(),
      proof: z.array(z.string()),
      checkpoint: z.string(),
      event: z.record(z.string(), z.unknown()),
      verifierKey: z.string().optional(),
      consistency: z.object({ from: z.number(), to: z.number(), proof: z.array(z.string()) }).optional(),
    }),
    handler: async (c) => {
      const { from } = readQuery(c, proofQuery);
      const raw = c.req.param('seq')!;
      if (!/^[1-9]\d{0,14}$/.test(raw))
        throw new AppError('not_found', 'errors.not_found', { entity: 'event', code: raw.slice(0, 80) });
      const proof = await programEventProof(c.var.ctx, c.req.param('program')!, Number(raw), from);
      return c.json({ ...proof, ...(deps.log ? { verifierKey: deps.log.verifierKey } : {}) });
    },
  });
}
