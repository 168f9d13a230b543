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
  SMTP_URL: z
    .string()
    .url()
    .refine((u) => /^smtps?:\/\//.test(u), 'an smtp:// or smtps:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SMTP_FROM: z.string().min(3).default('Oversight <oversight@localhost>'),
  OVERSIGHT_BASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  OVERSIGHT_JOBS: z.enum(['true', 'false']).default('true'),
  OVERSIGHT_JOB_POLL_MS: z.coerce.number().int().min(50).max(3_600_000).default(5_000),
  OVERSIGHT_JOB_LEASE_MS: z.coerce.number().int().min(500).max(86_400_000).default(120_000),
  OVERSIGHT_SCAN_EVERY_MS: z.coerce.number().int().min(100).max(86_400_000).default(600_000),
  OVERSIGHT_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  OVERSIGHT_WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
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
  /** Where e-mail goes out (SMTP_URL) and from whom; no e-mail is sent without it. */
  smtp: { url: string; from: string } | undefined;
  /** The address people reach the app at, for links in e-mails and webhooks; else http://localhost:PORT. */
  baseUrl: string | undefined;
  /** The job worker each server process runs: reminders and their delivery (see worker.ts). */
  jobs: {
    enabled: boolean;
    pollMs: number;
    leaseMs: number;
    scanEveryMs: number;
    retryBaseMs: number;
    /** Let webhooks reach loopback and private addresses (OVERSIGHT_WEBHOOK_ALLOW_PRIVATE). */
    allowPrivateWebhooks: boolean;
  };
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
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM } : undefined,
    baseUrl: e.OVERSIGHT_BASE_URL?.replace(/\/+$/, ''),
    jobs: {
      enabled: e.OVERSIGHT_JOBS === 'true',
      pollMs: e.OVERSIGHT_JOB_POLL_MS,
      leaseMs: e.OVERSIGHT_JOB_LEASE_MS,
      scanEveryMs: e.OVERSIGHT_SCAN_EVERY_MS,
      retryBaseMs: e.OVERSIGHT_RETRY_BASE_MS,
      allowPrivateWebhooks: e.OVERSIGHT_WEBHOOK_ALLOW_PRIVATE === 'true',
    },
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
