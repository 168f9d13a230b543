/**
 * bin/oversight audit: verify the Merkle log (exit 1 naming the first problem), print an event's
 * inclusion proof, sign and print the latest checkpoint, print the verifier key.
 */

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseVerifierKey } from '../domain/checkpoint.ts';
import { AppError } from '../domain/errors.ts';
import { t } from '../i18n/index.ts';
import {
  checkpointNow,
  consistencyProofOf,
  inclusionProofOf,
  keptCheckpoint,
  type Problem,
  verifyAuditLog,
} from '../services/audit-log.service.ts';
import type { LogSigner } from '../services/log-key.ts';
import type { CommandEnv } from './analysis-commands.ts';

export interface AuditEnv extends CommandEnv {
  /** The log key of this data directory (or DATABASE_URL), created when there is none. */
  signer: () => LogSigner;
}

function describe(lang: Parameters<typeof t>[0], p: Problem): string {
  switch (p.kind) {
    case 'record':
      return t(lang, 'cli.audit.record', { program: p.program, record: p.record, seq: p.lastEvent ?? '—' });
    case 'checkpoint_root':
      return t(lang, 'cli.audit.checkpoint_root', { size: p.size, from: p.firstSuspect });
    default:
      return t(lang, `cli.audit.${p.kind}`, p as unknown as Record<string, unknown>);
  }
}

const collect = (value: string, previous: string[]) => [...previous, value];

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new AppError('bad_request', 'errors.file_unreadable', { file, detail: (cause as Error).message });
  }
}

const positive = (value: string, name: string) => {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1)
    throw new AppError('bad_request', 'errors.validation', { count: 1 }, [
      {
        path: name,
        key: 'validation.invalid_value',
        params: { allowed: '1, 2, 3…', input: JSON.stringify(value) },
      },
    ]);
  return Number(value);
};

export function registerAuditCommands(program: Command, env: AuditEnv): void {
  const audit = program.command('audit').description('the audit log: verify, proofs, checkpoints');
  audit
    .command('verify')
    .description(
      'recompute the Merkle tree, check every signed checkpoint, rebuild every record from its events',
    )
    .option(
      '--verifier-key <key>',
      'the C2SP verifier key to check checkpoints with (default: this log’s own key)',
    )
    .option(
      '--checkpoint <file>',
      'a checkpoint kept outside (a witness’s copy) the log must still hold; repeatable',
      collect,
      [],
    )
    .option('--json', 'print JSON')
    .action(async (opts: { verifierKey?: string; json?: boolean; checkpoint?: string[] }) => {
      const lang = env.language();
      const key = opts.verifierKey ? parseVerifierKey(opts.verifierKey) : undefined;
      if (opts.verifierKey && !key)
        throw new AppError('bad_request', 'errors.validation', { count: 1 }, [
          { path: '--verifier-key', key: 'validation.invalid_format' },
        ]);
      const result = await env.withDatabase(
        async (ctx) => {
          const own = env.signer();
          // The signer's own last checkpoint, and any copies given, must still be in the log.
          const outside = [keptCheckpoint(own), ...(opts.checkpoint ?? []).map((f) => readText(f))].filter(
            (n): n is string => n !== undefined,
          );
          return verifyAuditLog(ctx.db, key ?? { name: own.name, publicKey: own.publicKey }, outside);
        },
        { prepare: false },
      );
      if (opts.json) env.out(JSON.stringify(result, null, 2));
      else {
        for (const p of result.problems) env.out(describe(lang, p));
        env.out(
          t(lang, result.ok ? 'cli.audit.ok' : 'cli.audit.bad', {
            events: result.events,
            checkpoints: result.checkpoints,
            root: result.root,
            problems: result.problems.length,
          }),
        );
      }
      if (!result.ok) env.setExitCode(1);
    });
  audit
    .command('proof')
    .description('an event with its inclusion proof in the latest signed checkpoint, as JSON')
    .argument('<seq>', 'the event’s sequence number')
    .option('--from <size>', 'also a consistency proof from this earlier tree size')
    .action(async (seq: string, opts: { from?: string }) => {
      const n = positive(seq, 'seq');
      const out = await env.withDatabase(async (ctx) => {
        const proof = await inclusionProofOf(ctx.db, n);
        const consistency = opts.from
          ? await consistencyProofOf(ctx.db, positive(opts.from, '--from'), proof.treeSize)
          : undefined;
        return { ...proof, verifierKey: env.signer().verifierKey, ...(consistency ? { consistency } : {}) };
      });
      env.out(JSON.stringify(out, null, 2));
    });
  audit
    .command('checkpoint')
    .description('sign the log’s head (when it has grown) and print the latest checkpoint')
    .action(async () => {
      const note = await env.withDatabase((ctx) => checkpointNow(ctx.db, env.signer()));
      process.stdout.write(note.note);
    });
  audit
    .command('key')
    .description('print the verifier key of the log (C2SP signed-note format)')
    .action(() => env.out(env.signer().verifierKey));
}
