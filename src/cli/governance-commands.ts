/** bin/oversight exposure and control: group governance from the command line. */
import { readFile, writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import type { AsOfPoint } from '../domain/dates.ts';
import { AppError } from '../domain/errors.ts';
import { PLAN_VIEWS } from '../domain/exposure.ts';
import { t } from '../i18n/index.ts';
import {
  controlChainOfProgram,
  exposureOfProgram,
  exposureTimelineOfProgram,
  tieringOfProgram,
} from '../services/governance.service.ts';
import { exportRegister, importRegister, type RegisterFormat } from '../services/register.service.ts';
import { asOfOption, type CommandEnv, formatOption } from './analysis-commands.ts';

const pct = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(2)} %`;

export function registerGovernanceCommands(program: Command, env: CommandEnv): void {
  program
    .command('exposure')
    .description('which outside organizations can reach which systems and data of the group, by which paths')
    .argument('<program>', 'program code, e.g. LY-2024')
    .addOption(asOfOption())
    .option('--org <code>', 'only this organization')
    .addOption(
      new Option('--view <view>', 'when an edge ending with a milestone ends')
        .choices([...PLAN_VIEWS])
        .default('actual'),
    )
    .option(
      '--timeline',
      'month by month: critical systems each organization can reach (actual, planned, baseline)',
    )
    .addOption(formatOption())
    .action(
      async (
        code: string,
        opts: {
          asOf?: AsOfPoint;
          org?: string;
          view: 'actual' | 'planned' | 'baseline';
          timeline?: boolean;
          format: 'text' | 'json';
        },
      ) => {
        const lang = env.language();
        if (opts.timeline) {
          const tl = await env.withDatabase((ctx) => exposureTimelineOfProgram(ctx, code));
          if (opts.format === 'json') return env.out(JSON.stringify(tl, null, 2));
          env.out(t(lang, 'exposure.timelineTitle', { program: tl.program }));
          env.out(`${''.padEnd(20)}${tl.months.map((m) => m.slice(2, 7)).join(' ')}`);
          for (const s of tl.series)
            for (const view of PLAN_VIEWS)
              env.out(
                `${`${s.organization} ${t(lang, `exposure.view.${view}`)}`.padEnd(20).slice(0, 20)}${s[view].map((n) => String(n).padStart(5)).join(' ')}`,
              );
          return;
        }
        const e = await env.withDatabase((ctx) =>
          exposureOfProgram(ctx, code, { ...opts.asOf, organization: opts.org, view: opts.view }),
        );
        if (opts.format === 'json') return env.out(JSON.stringify(e, null, 2));
        env.out(
          t(lang, 'exposure.title', {
            program: e.program,
            asOf: e.asOf,
            view: t(lang, `exposure.view.${e.view}`),
          }),
        );
        if (e.organizations.length === 0) env.out(`  ${t(lang, 'analysis.none')}`);
        for (const o of e.organizations) {
          env.out(`\n${o.organization}`);
          for (const s of o.systems) {
            env.out(`  ${s.system.padEnd(20)} ${s.criticality.padEnd(9)} ${s.dataClasses.join(', ')}`);
            env.out(
              `    ${[o.organization, ...s.path.map((p) => `-[${p.via}: ${p.edge}]→ ${p.to}`)].join(' ')}`,
            );
          }
        }
        if (e.dataClasses.length > 0) {
          env.out(`\n${t(lang, 'exposure.dataClasses')}`);
          for (const d of e.dataClasses) env.out(`  ${d.dataClass.padEnd(24)} ${d.organizations.join(', ')}`);
        }
      },
    );

  const register = program
    .command('register')
    .description(
      'the outsourcing register: write it as CSV or XLSX (register PROGRAM), or import an XLSX one (register import)',
    )
    .argument('<program>', 'program code, e.g. LY-2024')
    .addOption(new Option('--format <format>', 'file format (required)').choices(['csv', 'xlsx']))
    .option('-o, --output <file>', 'file to write (required)')
    .action(async (code: string, opts: { format?: RegisterFormat; output?: string }) => {
      // Checked here rather than by commander, so that `register import` needs neither.
      if (!opts.format || !opts.output)
        throw new AppError('bad_request', 'errors.usage', {
          detail: 'register PROGRAM needs --format csv|xlsx and -o FILE',
        });
      const { format, output } = opts;
      const lang = env.language();
      const { data, rows } = await env.withDatabase((ctx) => exportRegister(ctx, code, format, lang));
      await writeFile(output, data).catch((cause: Error) => {
        throw new AppError('bad_request', 'errors.write_failed', { file: output, detail: cause.message });
      });
      env.out(t(lang, 'register.written', { program: code, file: output, rows }));
    });
  register
    .command('import')
    .description('import an XLSX register: all or nothing, every problem named by its cell')
    .argument('<program>', 'program code, e.g. LY-2024')
    .argument('<file>', 'the XLSX file')
    .action(async (code: string, file: string) => {
      const data = await readFile(file).catch((cause: Error) => {
        throw new AppError('bad_request', 'errors.file_unreadable', { file, detail: cause.message });
      });
      const r = await env.withDatabase((ctx) => importRegister(ctx, code, data));
      env.out(
        t(env.language(), 'register.imported', {
          program: code,
          created: r.created.length,
          updated: r.updated.length,
          decided: r.decided.length,
          unchanged: r.unchanged.length,
        }),
      );
    });

  program
    .command('tiering')
    .description("each provider's required security level (METI ★) against its attested level")
    .argument('<program>', 'program code, e.g. LY-2024')
    .addOption(asOfOption())
    .addOption(formatOption())
    .action(async (code: string, opts: { asOf?: AsOfPoint; format: 'text' | 'json' }) => {
      const tiers = await env.withDatabase((ctx) => tieringOfProgram(ctx, code, { ...opts.asOf }));
      if (opts.format === 'json') return env.out(JSON.stringify(tiers, null, 2));
      const lang = env.language();
      env.out(t(lang, 'tiering.title', { program: tiers.program, asOf: tiers.asOf }));
      for (const p of tiers.providers)
        env.out(
          `  ${p.unmet ? '✗' : '✓'} ${p.organization.padEnd(18)} ★${p.required.level} ${t(lang, 'tiering.required')}  ${p.attested === null ? t(lang, 'tiering.notAttested') : `★${p.attested} ${t(lang, 'tiering.attested')}`}  (${p.required.because.join(', ')})`,
        );
    });

  program
    .command('control')
    .description(
      'who controls the regulated organization, with percentages; providers that sit in their customer’s chain',
    )
    .argument('<program>', 'program code, e.g. LY-2024')
    .addOption(formatOption())
    .action(async (code: string, opts: { format: 'text' | 'json' }) => {
      const c = await env.withDatabase((ctx) => controlChainOfProgram(ctx, code));
      if (opts.format === 'json') return env.out(JSON.stringify(c, null, 2));
      const lang = env.language();
      const chain = (steps: (typeof c.holders)[number]['chain']) =>
        steps.map((s) => `${s.owner} —${pct(s.voting)}→ ${s.owned}`).join('  ');
      env.out(t(lang, 'control.title', { organization: c.organization }));
      for (const h of c.holders)
        env.out(
          `  ${h.holder.padEnd(14)} ${pct(h.effective).padStart(8)}  ${h.controls ? t(lang, 'control.controls') : ''}\n    ${chain(h.chain)}`,
        );
      env.out(`\n${t(lang, 'control.providersInChain')}`);
      if (c.providersInChain.length === 0) env.out(`  ${t(lang, 'analysis.none')}`);
      for (const p of c.providersInChain)
        env.out(
          `  ⚑ ${p.provider}${p.through ? ` (${t(lang, 'control.through', { org: p.through })})` : ''} → ${p.customer} (${p.relationship}): ${pct(p.effective)}${p.controls ? `, ${t(lang, 'control.controls')}` : ''}`,
        );
    });
}
