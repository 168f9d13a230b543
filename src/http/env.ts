import type { Database } from '../db/connection.ts';
import type { Language } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import type { ServiceContext } from '../services/context.ts';
import type { EvidenceStore } from '../services/evidence-store.ts';
import type { LogSigner } from '../services/log-key.ts';
import type { Authenticated } from '../services/session.service.ts';

/** What every request carries: its language, who is asking and the service context it acts with. */
export interface AppEnv {
  Variables: {
    lang: Language;
    ctx: ServiceContext;
    /** The session or token behind the request, if any (a session may still await its second factor). */
    auth: Authenticated | undefined;
  };
}

export interface AppDeps {
  database: Pick<Database, 'db' | 'backend'>;
  /** Request and error logs; silent when absent. */
  logger?: Logger;
  /** The key that signs the audit log's checkpoints; its verifier key is published. */
  log?: LogSigner;
  /** Where evidence files are kept; a temporary directory when absent. */
  evidence?: EvidenceStore;
  /** Whether e-mail can be sent (SMTP_URL is set): the notification settings say so when not. */
  email?: boolean;
}
