import type { Database } from '../db/connection.ts';
import type { Language } from '../i18n/index.ts';
import type { Logger } from '../logger.ts';
import type { ServiceContext } from '../services/context.ts';

/** What every request carries: its language and the service context it acts with. */
export interface AppEnv {
  Variables: {
    lang: Language;
    ctx: ServiceContext;
  };
}

export interface AppDeps {
  database: Pick<Database, 'db' | 'backend'>;
  /** Request and error logs; silent when absent. */
  logger?: Logger;
}
