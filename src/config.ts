/** Configuration, parsed once from the environment. `process.env` is read nowhere else. */
import { z } from 'zod';
import { type Language, pickLanguage } from './i18n/index.ts';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  OVERSIGHT_DATA_DIR: z.string().min(1).default('./.oversight'),
  OVERSIGHT_SEED_DEMO: z.enum(['true', 'false']).default('true'),
  OVERSIGHT_LOG_KEY: z.string().min(1).optional(),
  OVERSIGHT_EVIDENCE_DIR: z.string().min(1).optional(),
  OVERSIGHT_LANG: z.string().optional(),
  LANG: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  DEBUG: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  seedDemo: boolean;
  language: Language;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /**
   * The file of the Ed25519 key that signs the audit log's checkpoints (PKCS#8 PEM), kept outside
   * the database and created on first start; when unset, `defaultLogKey` of the database in use.
   */
  logKey: string | undefined;
  /** Where evidence files are kept (by SHA-256); when unset, `defaultEvidenceDir` of the database in use. */
  evidenceDir: string | undefined;
  /** Print stack traces of unexpected CLI failures (DEBUG contains "oversight"). */
  debug: boolean;
}

/** The language of messages, even when the rest of the configuration is invalid. */
export function languageFromEnvironment(env: NodeJS.ProcessEnv = process.env): Language {
  return pickLanguage(env.OVERSIGHT_LANG || env.LANG);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(problems);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.OVERSIGHT_DATA_DIR,
    seedDemo: e.OVERSIGHT_SEED_DEMO === 'true',
    language: pickLanguage(e.OVERSIGHT_LANG || e.LANG),
    logLevel: e.LOG_LEVEL,
    debug: e.DEBUG?.includes('oversight') ?? false,
    logKey: e.OVERSIGHT_LOG_KEY,
    evidenceDir: e.OVERSIGHT_EVIDENCE_DIR,
  };
}

/** Beside the embedded database's directory, or in the working directory for a server database; none in memory (a key per process). */
export function defaultLogKey(databaseUrl: string | undefined, dataDir: string): string | undefined {
  if (databaseUrl) return './.oversight-log-key.pem';
  return dataDir === 'memory' ? undefined : `${dataDir.replace(/\/+$/, '')}.log-key.pem`;
}

/** Beside the embedded database's directory, or in the working directory for a server database; a temporary directory in memory. */
export function defaultEvidenceDir(databaseUrl: string | undefined, dataDir: string): string | undefined {
  if (databaseUrl) return './.oversight-evidence';
  return dataDir === 'memory' ? undefined : `${dataDir.replace(/\/+$/, '')}.evidence`;
}
