/** bin/oversight report: a report to the regulator in any of its formats. */
import { writeFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import type { AsOfPoint } from '../domain/dates.ts';
import { AppError } from '../domain/errors.ts';
import { t } from '../i18n/index.ts';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../reports/render.ts';
import { reportModelOf } from '../services/report.service.ts';
import { layoutTemplate } from '../services/report-template.service.ts';
import { asOfOption, type CommandEnv } from './analysis-commands.ts';

export function registerReportCommands(program: Command, env: CommandEnv): void {
  program
    .command('report')
    .description(
      'a report to the regulator answering one directive, item by item, with the changes since the previous report',
    )
    .argument('<program>', 'program code, e.g. LY-2024')
    .requiredOption('--directive <code>', 'the directive the report answers, e.g. MIC-2024-04-16')
    .addOption(new Option('--format <format>', 'file format').choices([...REPORT_FORMATS]).default('html'))
    .addOption(asOfOption())
    .option('-o, --output <file>', 'write to this file (required for pdf and docx)')
    .action(
      async (
        code: string,
        opts: { directive: string; format: ReportFormat; asOf?: AsOfPoint; output?: string },
      ) => {
        const lang = env.language();
        if (!opts.output && (opts.format === 'pdf' || opts.format === 'docx'))
          throw new AppError('bad_request', 'errors.usage', {
            detail: t(lang, 'cli.reportNeedsOutput', { format: opts.format }),
          });
        // A bar on a terminal only: piped output and tests get the file and nothing else.
        const bar = process.stderr.isTTY
          ? new SingleBar({ format: ' {bar} {percentage}% {step}', stream: process.stderr, hideCursor: true })
          : undefined;
        bar?.start(3, 0, { step: t(lang, 'cli.reportStep.model') });
        const bytes = await env.withDatabase(async (ctx) => {
          const model = await reportModelOf(ctx, code, opts.directive, { ...opts.asOf });
          bar?.update(1, { step: t(lang, 'cli.reportStep.render') });
          // A DOCX is laid out with the program's template in use, if it has one.
          const template = opts.format === 'docx' ? await layoutTemplate(ctx, code) : undefined;
          return renderReport(model, opts.format, { lang, generatedAt: new Date(), template });
        });
        bar?.update(2, { step: t(lang, 'cli.reportStep.write') });
        if (opts.output) {
          const file = opts.output;
          await writeFile(file, bytes).catch((cause: Error) => {
            throw new AppError('bad_request', 'errors.write_failed', { file, detail: cause.message });
          });
        } else process.stdout.write(bytes);
        bar?.update(3);
        bar?.stop();
        if (opts.output) env.out(t(lang, 'cli.reportWritten', { file: opts.output, bytes: bytes.length }));
      },
    );
}
