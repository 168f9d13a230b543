/** `npm start`: serve the web app on the configured database (embedded by default). */
import { type Config, languageFromEnvironment, loadConfig } from './config.ts';
import { AppError } from './domain/errors.ts';
import { t } from './i18n/index.ts';
import { startServer } from './server.ts';

const language = languageFromEnvironment();
let config: Config;
try {
  config = loadConfig();
} catch (err) {
  console.error(t(language, 'errors.config', { detail: (err as Error).message }));
  process.exit(2);
}
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
  // One line that says what is wrong; the underlying cause only where it helps (a database that cannot be reached).
  if (err instanceof AppError) {
    console.error(t(language, err.key, err.params));
    if (err.code === 'internal' && err.cause instanceof Error) console.error(err.cause.message);
  } else
    console.error(
      t(language, 'errors.unexpected', { detail: err instanceof Error ? err.message : String(err) }),
    );
  process.exit(1);
}
