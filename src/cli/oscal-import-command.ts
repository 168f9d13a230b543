/**
 * `bin/oversight import --format oscal FILE`: an OSCAL POA&M as a program, and the mapping report in
 * the reader's language — counts, what each element became, what was supplied, and every element
 * not mapped with its JSON pointer and why — or as JSON (`--json`). `--check` prints the report and
 * changes nothing.
 */
import { AppError } from '../domain/errors.ts';
import type { OscalImportReport } from '../domain/oscal-import/index.ts';
import type { ReportNote } from '../domain/oscal-import/report.ts';
import { type Language, t } from '../i18n/index.ts';
import type { ServiceContext } from '../services/context.ts';
import { importOscalPoam, mapOscalPoam } from '../services/oscal-import.service.ts';
import type { ImportResult } from '../services/program-file.service.ts';

export interface OscalImportCommandOptions {
  replace?: boolean;
  check?: boolean;
  program?: string;
  timeZone?: string;
  json?: boolean;
}

export interface OscalImportEnv {
  language: Language;
  out: (line: string) => void;
  withDatabase: <T>(run: (ctx: ServiceContext) => Promise<T>) => Promise<T>;
  /** Where the program goes, for the message (PostgreSQL or the data directory). */
  target: string;
}

export async function runOscalImport(
  file: string,
  text: string,
  opts: OscalImportCommandOptions,
  env: OscalImportEnv,
): Promise<void> {
  const settings = {
    ...(opts.program !== undefined ? { program: opts.program } : {}),
    ...(opts.timeZone !== undefined ? { timeZone: opts.timeZone } : {}),
  };
  try {
    if (opts.check) {
      const { report } = mapOscalPoam(text, settings);
      print(env, file, report, undefined, opts.json === true);
      return;
    }
    const { result, report } = await env.withDatabase((ctx) =>
      importOscalPoam(ctx, text, { ...settings, replace: opts.replace ?? false }),
    );
    print(env, file, report, result, opts.json === true);
  } catch (e) {
    // Name the file in the message (messages without {{file}} ignore it); the problems keep their JSON pointers.
    if (e instanceof AppError)
      throw new AppError(e.code, e.key, { ...e.params, file }, e.issues, { cause: e.cause });
    throw e;
  }
}

function print(
  env: OscalImportEnv,
  file: string,
  report: OscalImportReport,
  result: ImportResult | undefined,
  json: boolean,
): void {
  const lang = env.language;
  const tr = (key: string, params?: Record<string, unknown>) => t(lang, key, params);
  if (json) {
    const words = <T extends { key: string; params?: Record<string, unknown> }>(x: T) => ({
      ...x,
      message: tr(x.key, x.params),
    });
    env.out(
      JSON.stringify(
        {
          file,
          imported: result !== undefined,
          replaced: result?.replaced ?? false,
          program: report.program,
          ...(result ? { counts: result.counts } : {}),
          report: {
            ...report,
            mapped: report.mapped.map((m) => ({ ...m, notes: m.notes.map(words) })),
            supplied: report.supplied.map(words),
            unmapped: report.unmapped.map(words),
          },
        },
        null,
        2,
      ),
    );
    return;
  }

  if (result) {
    const counts = Object.entries(result.counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${tr(`counts.${k}`)}`)
      .join(', ');
    env.out(
      tr(result.replaced ? 'cli.replaced' : 'cli.imported', {
        code: result.code,
        target: env.target,
        counts,
      }),
    );
  } else env.out(tr('oscal.report.checked', { file, code: report.program }));

  const d = report.document;
  env.out(
    tr('oscal.report.document', {
      title: d.title,
      version: d.version,
      oscalVersion: d.oscalVersion,
      origin: tr(d.fromOversight ? 'oscal.report.fromOversight' : 'oscal.report.foreign'),
    }),
  );
  env.out(`  ${tr('oscal.report.counts', report.counts)}`);

  const note = (n: ReportNote) => `      ${tr(n.key, n.params)}`;
  env.out(tr('oscal.report.mappedHeading', { count: report.mapped.length }));
  for (const m of report.mapped) {
    const line =
      m.became === 'measure'
        ? tr('oscal.report.measure', {
            path: m.path,
            code: m.code,
            title: m.title,
            status: m.status ? tr(`status.${m.status}`) : '',
          })
        : m.became === 'milestone'
          ? tr(m.actual ? 'oscal.report.milestoneDone' : 'oscal.report.milestone', {
              path: m.path,
              code: m.code,
              title: m.title,
              planned: m.planned ?? tr('oscal.report.undated'),
              actual: m.actual,
            })
          : tr('oscal.report.other', {
              path: m.path,
              kind: tr(`oscal.kind.${m.became}`),
              code: m.code,
              title: m.title,
            });
    env.out(`  ${line}`);
    for (const n of m.notes) env.out(note(n));
  }

  env.out(tr('oscal.report.suppliedHeading', { count: report.supplied.length }));
  for (const s of report.supplied)
    env.out(`  ${tr('oscal.report.supplied', { field: s.field, value: s.value, why: tr(s.key, s.params) })}`);

  env.out(tr('oscal.report.unmappedHeading', { count: report.unmapped.length }));
  for (const u of report.unmapped)
    env.out(`  ${tr('oscal.report.unmapped', { path: u.path, why: tr(u.key, u.params) })}`);
}
