/**
 * bin/oversight: serve, migrate, import, export, programs, user. Exit 0 when all is well, 1 on findings
 * or failure, 2 on a usage error.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { serveWorkers } from '../cluster.ts';
import {
  type Config,
  defaultEvidenceDir,
  defaultLogKey,
  languageFromEnvironment,
  loadConfig,
} from '../config.ts';
import { type Database, openDatabase } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { isTimeZone } from '../domain/dates.ts';
import { AppError, type FieldIssue } from '../domain/errors.ts';
import { generateProgram } from '../domain/generate.ts';
import { parseProgramText } from '../domain/program-file/parse.ts';
import { codeSchema } from '../domain/program-file/schema.ts';
import { LANGUAGES, type Language, t } from '../i18n/index.ts';
import { startServer } from '../server.ts';
import { prepareAuditLog } from '../services/audit-log.service.ts';
import type { ServiceContext } from '../services/context.ts';
import { systemActor } from '../services/context.ts';
import { diskEvidenceStore } from '../services/evidence-store.ts';
import { type LogSigner, loadOrCreateLogKey } from '../services/log-key.ts';
import { listPrograms } from '../services/program.service.ts';
import { exportProgram, importProgram, renderProgramFile } from '../services/program-file.service.ts';
import { parseInstantArgument, registerAnalysisCommands } from './analysis-commands.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { registerGovernanceCommands } from './governance-commands.ts';
import { registerNotifyCommands } from './notify-commands.ts';
import { type OscalImportCommandOptions, runOscalImport } from './oscal-import-command.ts';
import { registerPublishCommand } from './publish-command.ts';
import { registerReportCommands } from './report-commands.ts';
import { registerUserCommands } from './user-commands.ts';

interface GlobalOptions {
  dataDir?: string;
  databaseUrl?: string;
  lang?: Language;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

/** A whole number from 1 to 9999, for --scale and --seed. */
function positiveInteger(value: string): number {
  if (!/^[1-9]\d{0,3}$/.test(value))
    throw new InvalidArgumentError(`not a whole number from 1 to 9999: ${value}`);
  return Number(value);
}

export function buildProgram(config: Config): Command {
  const program = new Command('oversight')
    .description('Oversight: regulator-ordered security remediation programs, end to end.')
    .addOption(new Option('--data-dir <dir>', 'embedded database directory').env('OVERSIGHT_DATA_DIR'))
    .addOption(new Option('--database-url <url>', 'PostgreSQL server to use instead').env('DATABASE_URL'))
    .addOption(new Option('--lang <lang>', 'language of messages').choices([...LANGUAGES]))
    .showHelpAfterError()
    .exitOverride();

  const settings = (): Config & { language: Language } => {
    const g = program.opts<GlobalOptions>();
    return {
      ...config,
      dataDir: g.dataDir ?? config.dataDir,
      databaseUrl: g.databaseUrl || config.databaseUrl,
      language: g.lang ?? config.language,
    };
  };

  /** Opens the database (refusing a data directory another process holds), migrates, runs, closes. */
  const withDatabase = async <T>(
    run: (ctx: ServiceContext, db: Database) => Promise<T>,
    options: { prepare?: boolean } = {},
  ): Promise<T> => {
    const s = settings();
    const database = await openDatabase({ url: s.databaseUrl, dataDir: s.dataDir });
    try {
      await migrateToLatest(database.db);
      // Verification reads and changes nothing; every other command brings the log up to date first.
      if (options.prepare !== false) await prepareAuditLog(database.db);
      return await run({ db: database.db, actor: systemActor(`cli:${safeUser()}`) }, database);
    } finally {
      await database.close();
    }
  };

  program
    .command('serve')
    .description('serve the web app and the JSON API')
    .addOption(new Option('--port <port>', 'port to listen on').env('PORT').argParser(parsePort))
    .option('--host <host>', 'address to listen on')
    .option('--no-seed', 'do not import the demo program on first start')
    .addOption(
      new Option('--workers <n>', 'server processes behind the one port (PostgreSQL only)')
        .env('OVERSIGHT_WORKERS')
        .argParser(parseWorkers)
        .default(1),
    )
    .action(async (opts: { port?: number; host?: string; seed: boolean; workers: number }) => {
      const s = settings();
      if (opts.workers > 1 && !s.databaseUrl) throw new AppError('bad_request', 'errors.workers_need_server');
      const config = {
        ...s,
        port: opts.port ?? s.port,
        host: opts.host ?? s.host,
        seedDemo: opts.seed && s.seedDemo,
      };
      await serveWorkers(
        opts.workers,
        () => startServer(config),
        (msg) => process.stdout.write(`${msg}\n`),
        s.language,
        // The primary makes the log key once, so that the workers starting together share it.
        () => loadOrCreateLogKey(config.logKey ?? defaultLogKey(config.databaseUrl, config.dataDir)),
      );
    });

  program
    .command('migrate')
    .description('apply the database migrations that have not been applied yet')
    .action(async () => {
      const s = settings();
      const database = await openDatabase({ url: s.databaseUrl, dataDir: s.dataDir });
      try {
        const applied = await migrateToLatest(database.db);
        const lang = settings().language;
        out(
          applied.length > 0
            ? t(lang, 'cli.migrated', { list: applied.join(', ') })
            : t(lang, 'cli.upToDate'),
        );
      } finally {
        await database.close();
      }
    });

  program
    .command('import')
    .description(
      'import a program file (YAML or JSON), or an OSCAL POA&M (JSON) with --format oscal: all or nothing',
    )
    .argument('<file>', 'the program file, or the OSCAL POA&M')
    .addOption(
      new Option('--format <format>', 'what the file is: a program file, or an OSCAL POA&M')
        .choices(['program', 'oscal'])
        .default('program'),
    )
    .option('--replace', 'replace a program with the same code')
    .option('--check', 'only check the file; change nothing (OSCAL: print the mapping report)')
    .option('--program <code>', 'OSCAL: the code of the program to make', parseCodeArgument)
    .option('--time-zone <zone>', "OSCAL: the program's IANA time zone, e.g. Asia/Tokyo", parseZoneArgument)
    .option('--json', 'OSCAL: print the mapping report as JSON')
    .action(async (file: string, opts: ImportCommandOptions) => {
      const s = settings();
      if (opts.format !== 'oscal' && (opts.program || opts.timeZone || opts.json))
        throw new AppError('bad_request', 'errors.oscal_only_options');
      const text = await readText(file);
      if (opts.format === 'oscal') {
        const target = s.databaseUrl ? 'PostgreSQL' : s.dataDir;
        await runOscalImport(file, text, opts, { language: s.language, out, withDatabase, target });
        return;
      }
      const parsed = parseProgramText(text);
      if (!parsed.ok) throw new ImportProblems(file, parsed.issues);
      if (opts.check) {
        out(t(s.language, 'cli.checked', { file, code: parsed.file.program.code }));
        return;
      }
      const result = await withDatabase((ctx) =>
        importProgram(ctx, parsed.file, {
          replace: opts.replace ?? false,
          evidence: diskEvidenceStore(s.evidenceDir ?? defaultEvidenceDir(s.databaseUrl, s.dataDir)),
        }),
      );
      const counts = Object.entries(result.counts)
        .map(([k, v]) => `${v} ${t(s.language, `counts.${k}`)}`)
        .join(', ');
      const target = s.databaseUrl ? 'PostgreSQL' : s.dataDir;
      out(
        t(s.language, result.replaced ? 'cli.replaced' : 'cli.imported', {
          code: result.code,
          target,
          counts,
        }),
      );
    });

  program
    .command('export')
    .description('write a program as a program file')
    .argument('<program>', 'program code, e.g. LY-2024')
    .addOption(new Option('--format <format>', 'file format').choices(['yaml', 'json']).default('yaml'))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .addOption(
      new Option(
        '--as-of <instant>',
        'the program as the audit log held it at this instant, e.g. 2024-04-01T00:00+09:00',
      ).argParser(parseInstantArgument),
    )
    .action(async (code: string, opts: { format: 'yaml' | 'json'; output?: string; asOf?: Date }) => {
      const text = await withDatabase(async (ctx) =>
        renderProgramFile(await exportProgram(ctx, code, opts.asOf), opts.format),
      );
      if (opts.output) {
        const file = opts.output;
        await writeFile(file, text).catch((cause: Error) => {
          throw new AppError('bad_request', 'errors.write_failed', { file, detail: cause.message });
        });
      } else process.stdout.write(text);
    });

  program
    .command('generate')
    .description(
      'write a generated program file for load and speed tests (scale 1: 300 measures, 1,500 milestones, 1,000 access edges)',
    )
    .requiredOption('--scale <n>', 'multiplies every count', positiveInteger)
    .option('--seed <n>', 'the same seed gives the same program', positiveInteger, 1)
    .addOption(new Option('--format <format>', 'file format').choices(['yaml', 'json']).default('yaml'))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action(async (opts: { scale: number; seed: number; format: 'yaml' | 'json'; output?: string }) => {
      const text = renderProgramFile(generateProgram({ scale: opts.scale, seed: opts.seed }), opts.format);
      if (opts.output) {
        const file = opts.output;
        await writeFile(file, text).catch((cause: Error) => {
          throw new AppError('bad_request', 'errors.write_failed', { file, detail: cause.message });
        });
      } else process.stdout.write(text);
    });

  program
    .command('programs')
    .description('list the programs')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const list = await withDatabase((ctx) => listPrograms(ctx));
      if (opts.json) out(JSON.stringify(list, null, 2));
      else if (list.length === 0) out(t(settings().language, 'app.noPrograms'));
      else
        for (const p of list)
          out(
            t(settings().language, 'cli.programLine', {
              code: p.code,
              name: p.name,
              measures: p.counts.measures,
              milestones: p.counts.milestones,
            }),
          );
    });

  const commandEnv = {
    language: () => settings().language,
    withDatabase: <T>(run: (ctx: ServiceContext) => Promise<T>, options?: { prepare?: boolean }) =>
      withDatabase((ctx) => run(ctx), options),
    out,
    setExitCode: (code: number) => {
      exitCode = Math.max(exitCode, code);
    },
  };
  registerAnalysisCommands(program, commandEnv);
  registerGovernanceCommands(program, commandEnv);
  registerReportCommands(program, commandEnv);
  registerUserCommands(program, commandEnv);
  registerNotifyCommands(program, { ...commandEnv, config: settings });
  let signer: LogSigner | undefined;
  const withSigner = {
    ...commandEnv,
    signer: () => {
      const s = settings();
      signer ??= loadOrCreateLogKey(s.logKey ?? defaultLogKey(s.databaseUrl, s.dataDir));
      return signer;
    },
  };
  registerAuditCommands(program, withSigner);
  registerPublishCommand(program, withSigner);

  return program;
}

/** Set by commands that succeed but report findings (exit status 1). */
let exitCode = 0;

class ImportProblems extends Error {
  constructor(
    readonly file: string,
    readonly issues: FieldIssue[],
  ) {
    super('import problems');
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new AppError('bad_request', 'errors.file_unreadable', { file, detail: (cause as Error).message });
  }
}

interface ImportCommandOptions extends OscalImportCommandOptions {
  format: 'program' | 'oscal';
}

function parseCodeArgument(value: string): string {
  if (!codeSchema.safeParse(value).success)
    throw new InvalidArgumentError(`not a code (letters, digits and . _ : -, at most 64): ${value}`);
  return value;
}

function parseZoneArgument(value: string): string {
  if (!isTimeZone(value)) throw new InvalidArgumentError(`not an IANA time zone: ${value}`);
  return value;
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError(`not a number of workers from 1 to 64: ${value}`);
  return n;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`not a port: ${value}`);
  return n;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Formats one issue as `file:line:col: path: message`. */
export function formatIssue(file: string, issue: FieldIssue, lang: Language): string {
  const where = issue.line !== undefined ? `${file}:${issue.line}:${issue.column}` : file;
  const path = issue.path ? `${issue.path}: ` : '';
  return `${where}: ${path}${t(lang, issue.key, issue.params)}`;
}

export async function run(argv: string[]): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    err(t(languageFromEnvironment(), 'errors.config', { detail: (e as Error).message }));
    return 2;
  }
  const program = buildProgram(config);
  const lang = () => program.opts<GlobalOptions>().lang ?? config.language;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0)
        return 0;
      return 2;
    }
    if (e instanceof ImportProblems) {
      for (const issue of e.issues) err(formatIssue(e.file, issue, lang()));
      err(t(lang(), 'cli.problems', { count: e.issues.length, file: e.file }));
      return 1;
    }
    if (e instanceof AppError) {
      err(t(lang(), e.key, e.params));
      for (const issue of e.issues) err(formatIssue('', issue, lang()).replace(/^: /, '  '));
      if (e.code === 'internal' && e.cause) err(String((e.cause as Error).message ?? e.cause));
      return e.exitCode;
    }
    // Not one of ours: say what happened in one line; the stack only with DEBUG=oversight.
    err(t(lang(), 'errors.unexpected', { detail: e instanceof Error ? e.message : String(e) }));
    if (config.debug && e instanceof Error) err(e.stack ?? '');
    return 1;
  }
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
process.exitCode = await run(process.argv.slice(2));
