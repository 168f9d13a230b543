/** bin/oversight publish: the public site of a program as static files, the bytes the server shows. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../domain/errors.ts';
import { t } from '../i18n/index.ts';
import { renderPublicSite } from '../reports/public-site.tsx';
import type { LogSigner } from '../services/log-key.ts';
import { publicSiteOf } from '../services/public.service.ts';
import type { CommandEnv } from './analysis-commands.ts';

export function registerPublishCommand(
  program: Command,
  env: CommandEnv & { signer: () => LogSigner },
): void {
  program
    .command('publish')
    .description(
      'write the public site of a program (progress page, updates, feed) as static files for any web host',
    )
    .argument('<program>', 'program code, e.g. LY-2024')
    .requiredOption('--out <dir>', 'the directory to write into (created if absent)')
    .action(async (code: string, opts: { out: string }) => {
      const files = await env.withDatabase(async (ctx) =>
        renderPublicSite(await publicSiteOf(ctx, code), code, env.signer().verifierKey),
      );
      for (const [path, body] of files) {
        const target = join(opts.out, path);
        await mkdir(dirname(target), { recursive: true })
          .then(() => writeFile(target, body))
          .catch((cause: Error) => {
            throw new AppError('bad_request', 'errors.write_failed', { file: target, detail: cause.message });
          });
      }
      env.out(t(env.language(), 'cli.published', { count: files.size, dir: opts.out }));
    });
}
