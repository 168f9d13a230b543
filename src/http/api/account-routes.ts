/** The API of accounts and oversight: who am I, a program's audit log, contractors' attestations. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { ROLES } from '../../domain/access.ts';
import { AppError } from '../../domain/errors.ts';
import { myAccount } from '../../services/account.service.ts';
import { attest, attestSchema } from '../../services/attestation.service.ts';
import { auditQuerySchema, listAuditEvents } from '../../services/audit.service.ts';
import { latestCheckpoint } from '../../services/audit-log.service.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { define, readBody, readQuery } from './define.ts';

const attested = z.object({ id: z.uuid(), on: z.string(), organization: z.string() });

export function registerAccountApi(app: OpenAPIHono<AppEnv>, deps: Pick<AppDeps, 'log' | 'database'>): void {
  define(app, {
    method: 'get',
    path: '/audit/key',
    tag: 'Audit',
    summary: 'The key that signs the audit log’s checkpoints (C2SP signed-note verifier key)',
    response: z.object({ verifierKey: z.string(), origin: z.string() }),
    handler: async (c) => {
      if (!deps.log) throw new AppError('not_found', 'errors.route_not_found', { path: c.req.path });
      return c.json({ verifierKey: deps.log.verifierKey, origin: deps.log.origin });
    },
  });
  define(app, {
    method: 'get',
    path: '/audit/checkpoint',
    tag: 'Audit',
    summary: 'The latest signed checkpoint of the audit log (tree size and root hash), as a C2SP signed note',
    response: z.object({ size: z.number().int(), note: z.string() }),
    handler: async (c) => {
      const latest = await latestCheckpoint(deps.database.db);
      if (!latest)
        throw new AppError('not_found', 'errors.not_found', { entity: 'checkpoint', code: 'latest' });
      return c.json(latest);
    },
  });
  define(app, {
    method: 'get',
    path: '/me',
    tag: 'Accounts',
    summary: 'The signed-in user (or the token’s holder) and the roles in effect',
    response: z.object({
      username: z.string(),
      displayName: z.string(),
      mfa: z.boolean(),
      roles: z.array(
        z.object({
          role: z.enum(ROLES),
          program: z.string().nullable(),
          organization: z.string().nullable().optional(),
          owner: z.string().nullable().optional(),
        }),
      ),
    }),
    handler: async (c) => {
      const me = await myAccount(c.var.ctx);
      const principal = c.var.ctx.actor.principal;
      return c.json({
        username: me.username,
        displayName: me.displayName,
        mfa: me.mfa,
        // A token carries only some of its user's roles: those are the ones in effect.
        roles: principal.kind === 'user' ? principal.assignments : [],
      });
    },
  });
  define(app, {
    method: 'get',
    path: '/programs/:program/audit',
    tag: 'Audit',
    summary: 'The audit log of a program, newest first (auditors and admins)',
    query: auditQuerySchema,
    response: z.array(
      z.object({
        id: z.number().int(),
        at: z.string(),
        actor: z.string(),
        action: z.string(),
        entity: z.string(),
        code: z.string().nullable(),
        payload: z.unknown(),
      }),
    ),
    handler: async (c) =>
      c.json(await listAuditEvents(c.var.ctx, c.req.param('program')!, readQuery(c, auditQuerySchema))),
  });
  for (const kind of ['relationships', 'access'] as const)
    define(app, {
      method: 'post',
      path: `/programs/:program/${kind}/:code/attestations`,
      tag: 'Attestations',
      summary: `Attest the state of ${kind === 'access' ? 'an access edge' : 'an outsourcing relationship'} (its contractor or the program office)`,
      body: attestSchema,
      response: attested,
      status: 201,
      handler: async (c) =>
        c.json(
          await attest(
            c.var.ctx,
            c.req.param('program')!,
            kind === 'access' ? 'access' : 'relationship',
            c.req.param('code')!,
            await readBody(c),
          ),
          201,
        ),
    });
}
