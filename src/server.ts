/** Starts the web server on an opened, migrated database; stops both cleanly on SIGINT/SIGTERM. */
import { type ServerType, serve } from '@hono/node-server';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createApp } from './http/app.ts';
import { createLogger } from './logger.ts';
import { seedDemoOnFirstStart } from './services/demo.service.ts';

export interface Running {
  server: ServerType;
  database: Database;
  port: number;
  stop(): Promise<void>;
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
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) say(`Applied migrations: ${applied.join(', ')}`);
    if (config.seedDemo && (await seedDemoOnFirstStart({ db: database.db, actor: { id: 'system:seed' } })))
      say('Imported the demo program LY-2024 (first start).');
  } catch (err) {
    await database.close();
    throw err;
  }
  const app = createApp({ database, logger });
  const { server, port } = await new Promise<{ server: ServerType; port: number }>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) =>
      resolve({ server: s, port: info.port }),
    );
    s.once('error', reject);
  });
  say(`Oversight is serving on http://localhost:${port} (${database.backend}: ${database.location})`);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= new Promise<void>((resolve) => server.close(() => resolve())).then(() => database.close());
    return stopping;
  };
  return { server, database, port, stop };
}
