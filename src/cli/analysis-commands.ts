/** bin/oversight lint, schedule and traceability: the regulator's eye, from the command line. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type AsOfPoint, parseAsOf, parseInstant } from '../domain/dates.ts';
import type { Finding } from '../domain/lint/index.ts';
import { findingMessage } from '../i18n/findings.ts';
import { type Language, t } from '../i18n/index.ts';
import { lintProgram, scheduleOfProgram, traceabilityOfProgram } from '../services/analysis.service.ts';
import type { ServiceContext } from '../services/context.ts';

export interface CommandEnv {
  language: () => Language;
  withDatabase: <T>(run: (ctx: ServiceContext) => Promise<T>, options?: { prepare?: boolean }) => Promise<T>;
  out: (line: string) => void;
  /** Sets the exit status without ending the process (1: findings). */
  setExitCode: (code: number) => void;
}

function parsePoint(value: string): AsOfPoint {
  const point = parseAsOf(value);
  if (!point)
    throw new InvalidArgumentError(
      `not a day (YYYY-MM-DD) or an instant with its offset (2024-04-01T00:00+09:00): ${value}`,
    );
  return point;
}

/** An instant with its offset, to rebuild from the audit log. */
export function parseInstantArgument(value: string): Date {
  const at = parseInstant(value);
  if (!at)
    throw new InvalidArgumentError(
      `not an instant: write a date, a time and an offset, e.g. 2024-04-01T00:00+09:00: ${value}`,
    );
  return at;
}

export const asOfOption = () =>
  new Option(
    '--as-of <day|instant>',
    "a day (YYYY-MM-DD): judge the program's dated history as now known, at the end of that day; " +
      'an instant (2024-04-01T00:00+09:00): judge the program as the audit log held it then ' +
      "(default: today in the program's time zone)",
  ).argParser(parsePoint);
export const formatOption = () =>
  new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');

export function registerAnalysisCommands(program: Command, env: CommandEnv): void {
  program
    .command('lint')
    .description(
      'readiness lint: what the regulator would object to; exits 1 when an error-level finding remains',
    )
    .argument('<program>', 'program code, e.g. LY-2024')
    .addOption(asOfOption())
    .addOption(formatOption())
    .action(async (code: string, opts: { asOf?: AsOfPoint; format: 'text' | 'json' }) => {
      const result = await env.withDatabase((ctx) => lintProgram(ctx, code, { ...opts.asOf }));
      const lang = env.language();
      if (opts.format === 'json') {
        env.out(
          JSON.stringify(
            { ...result, findings: result.findings.map((f) => ({ ...f, message: findingMessage(lang, f) })) },
            null,
            2,
          ),
        );
      } else {
        env.out(
          t(lang, 'analysis.lintSummary', { program: result.program, asOf: result.asOf, ...result.counts }),
        );
        if (result.findings.length === 0) env.out(t(lang, 'analysis.noFindings'));
        for (const f of result.findings) env.out(formatFinding(lang, f));
      }
      if (result.counts.error > 0) env.setExitCode(1);
    });

  program
    .command('schedule')
    .description('critical paths to each deadline, float, and late milestones')
    .argument('<program>', 'program code, e.g. LY-2024')
    .addOption(asOfOption())
    .addOption(formatOption())
    .action(async (code: string, opts: { asOf?: AsOfPoint; format: 'text' | 'json' }) => {
      const s = await env.withDatabase((ctx) => scheduleOfProgram(ctx, code, { ...opts.asOf }));
      if (opts.format === 'json') return env.out(JSON.stringify(s, null, 2));
      const lang = env.language();
      env.out(`${s.program} — ${s.asOf}`);
      env.out(`\n${t(lang, 'analysis.criticalPaths')}`);
      for (const p of s.criticalPaths) {
        const float = p.floatDays === null ? '—' : `${p.floatDays >= 0 ? '+' : ''}${p.floatDays}d`;
        env.out(
          `  ${float.padStart(7)}  ${p.target.kind === 'report' ? '▶ ' : ''}${p.target.code}  ${t(lang, 'analysis.due')} ${p.target.due}  ${t(lang, 'analysis.forecast')} ${p.forecast ?? '—'}`,
        );
        env.out(`           ${p.path.join(' → ')}`);
      }
      env.out(`\n${t(lang, 'analysis.late')}`);
      const late = s.milestones.filter((m) => m.late);
      if (late.length === 0) env.out(`  ${t(lang, 'analysis.none')}`);
      for (const m of late) env.out(`  ${m.code.padEnd(24)} ${m.planned}  ${m.measure}  ${m.title}`);
      env.out(`\n${t(lang, 'analysis.measures')}`);
      for (const m of s.measures)
        env.out(
          `  ${m.code.padEnd(24)} ${t(lang, `status.${m.derived}`).padEnd(12)} ${m.mismatch ? `≠ ${t(lang, `status.${m.declared}`)}` : ''}`.trimEnd(),
        );
    });

  program
    .command('traceability')
    .description('directive items × measures, with coverage per directive')
    .argument('<program>', 'program code, e.g. LY-2024')
    .addOption(asOfOption())
    .addOption(formatOption())
    .action(async (code: string, opts: { asOf?: AsOfPoint; format: 'text' | 'json' }) => {
      const tr = await env.withDatabase((ctx) => traceabilityOfProgram(ctx, code, { ...opts.asOf }));
      if (opts.format === 'json') return env.out(JSON.stringify(tr, null, 2));
      const lang = env.language();
      for (const d of tr.directives) {
        env.out(
          `${d.directive}  ${t(lang, 'analysis.coverage')} ${d.covered}/${d.leaves} (${Math.round(d.coverage * 100)} %)`,
        );
        for (const row of tr.rows.filter((r) => r.directive === d.directive)) {
          const mark = row.covered ? '✓' : '✗';
          const indent = '  '.repeat(row.depth + 1);
          env.out(
            `${indent}${mark} ${row.item} ${row.label ?? ''}  ${row.measures.join(', ') || '—'}`.trimEnd(),
          );
        }
      }
      if (tr.answersNothing.length > 0)
        env.out(`\n${t(lang, 'lint.measure-answers-nothing')}: ${tr.answersNothing.join(', ')}`);
    });
}

function formatFinding(lang: Language, f: Finding): string {
  return `${t(lang, `severity.${f.severity}`).padEnd(8)} ${f.rule.padEnd(30)} ${f.path}\n         ${findingMessage(lang, f)}`;
}
