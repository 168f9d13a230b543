/** Starts the web server on an opened, migrated database; stops both cleanly on SIGINT/SIGTERM. */
import { type ServerType, serve } from '@hono/node-server';
import { type Config, defaultEvidenceDir, defaultLogKey } from './config.ts';
import { type Database, openDatabase } from './db/connection.ts';
import { whileStarting } from './db/lock.ts';
import { migrateToLatest } from './db/migrate.ts';
import { AppError } from './domain/errors.ts';
import { createApp } from './http/app.ts';
import { t } from './i18n/index.ts';
import { createLogger } from './logger.ts';
import { checkpointNow, prepareAuditLog } from './services/audit-log.service.ts';
import { systemActor } from './services/context.ts';
import { smtpMailer } from './services/delivery.service.ts';
import { type DemoUser, seedDemoOnFirstStart } from './services/demo.service.ts';
import { diskEvidenceStore } from './services/evidence-store.ts';
import { type LogSigner, loadOrCreateLogKey } from './services/log-key.ts';
import { startWorker } from './worker.ts';

/** How often the server signs a checkpoint of the audit log's head (when it has grown). */
export const CHECKPOINT_EVERY_MS = 10_000;

export interface Running {
  server: ServerType;
  database: Database;
  port: number;
  stop(): Promise<void>;
  /** The demo users created on this start (their passwords were printed once). */
  demoUsers: DemoUser[];
}

/**
 * `say` prints the few lines a person starting the server reads (migrations applied, demo seeded,
 * the URL); operational logs go through pino at the configured level.
 */
export async function startServer(
  config: Config,
  say: (msg: string) => void = (msg) => process.stdout.write(`${msg}\n`),
): Promise<Running> {
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  let demoUsers: DemoUser[] = [];
  let signer: LogSigner | undefined;
  try {
    // Several processes may start on one PostgreSQL at once: one at a time migrates, seeds and signs.
    await whileStarting(database, async () => {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) say(t(config.language, 'cli.migratedOnStart', { list: applied.join(', ') }));
      const seeded = config.seedDemo
        ? await seedDemoOnFirstStart({ db: database.db, actor: systemActor('system:seed') })
        : undefined;
      if (seeded) {
        say(t(config.language, 'cli.seeded', { code: 'LY-2024' }));
        demoUsers = seeded;
        if (seeded.length > 0) say(t(config.language, 'cli.demoUsers'));
        for (const u of seeded)
          say(
            `  ${u.username.padEnd(12)} ${u.password}  ${t(config.language, `role.${u.role}`)}${
              u.totpSecret ? `  TOTP ${u.totpSecret}` : ''
            }`,
          );
      }
      await prepareAuditLog(database.db);
      signer = loadOrCreateLogKey(config.logKey ?? defaultLogKey(config.databaseUrl, config.dataDir));
      await checkpointNow(database.db, signer);
      const users = await database.db.selectFrom('users').select('id').limit(1).execute();
      if (users.length === 0) say(t(config.language, 'cli.noUsers'));
    });
  } catch (err) {
    await database.close();
    throw err;
  }
  const evidence = diskEvidenceStore(
    config.evidenceDir ?? defaultEvidenceDir(config.databaseUrl, config.dataDir),
  );
  const app = createApp({
    database,
    logger,
    evidence,
    email: config.smtp !== undefined,
    ...(signer ? { log: signer } : {}),
  });
  // The log's head is signed every few seconds when it has grown, and once more on stopping.
  const sign = () =>
    signer
      ? checkpointNow(database.db, signer).catch((err) => logger.error({ err }, 'checkpoint failed'))
      : undefined;
  const ticker = setInterval(sign, CHECKPOINT_EVERY_MS);
  ticker.unref();
  let listening: { server: ServerType; port: number };
  try {
    listening = await listen(app.fetch, config);
  } catch (err) {
    await database.close();
    throw err;
  }
  const { server, port } = listening;
  // Reminders and their delivery: every process works the one queue in the database.
  const worker = config.jobs.enabled
    ? startWorker({
        db: database.db,
        mailer: config.smtp ? smtpMailer(config.smtp.url, config.smtp.from) : undefined,
        baseUrl: config.baseUrl ?? `http://localhost:${port}`,
        language: config.language,
        ...config.jobs,
        logger,
      })
    : undefined;
  say(
    t(config.language, 'cli.serving', {
      url: `http://localhost:${port}`,
      backend: database.backend,
      location: database.location,
    }),
  );
  let stopping: Promise<void> | undefined;
  const stop = () => {
    clearInterval(ticker);
    stopping ??= new Promise<void>((resolve) => server.close(() => resolve()))
      .then(() => worker?.stop())
      .then(() => sign())
      .then(() => database.close());
    return stopping;
  };
  return { server, database, port, stop, demoUsers };
}

function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  config: Config,
): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const s = serve({ fetch, port: config.port, hostname: config.host }, (info) =>
      resolve({ server: s, port: info.port }),
    );
    s.once('error', (err: NodeJS.ErrnoException) => {
      const params = { host: config.host, port: config.port, detail: err.message };
      reject(
        err.code === 'EADDRINUSE'
          ? new AppError('locked', 'errors.port_in_use', params, [], { cause: err })
          : new AppError('bad_request', 'errors.listen_failed', params, [], { cause: err }),
      );
    });
  });
}
