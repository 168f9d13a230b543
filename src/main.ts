/** `npm start`: serve the web app on the configured database (embedded by default). */
import { loadConfig } from './config.ts';
import { AppError } from './domain/errors.ts';
import { t } from './i18n/index.ts';
import { startServer } from './server.ts';

const config = loadConfig();
try {
  const running = await startServer(config);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
} catch (err) {
  if (err instanceof AppError) {
    console.error(t(config.language, err.key, err.params));
    if (err.cause) console.error(String((err.cause as Error).message ?? err.cause));
  } else console.error(err);
  process.exit(1);
}
