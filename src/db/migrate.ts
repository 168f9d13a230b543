/** Applies the forward-only migrations in migrations/, each in its own transaction. */
import type { Kysely } from 'kysely';
import { type Migration, type MigrationResultSet, Migrator } from 'kysely/migration';
import { AppError } from '../domain/errors.ts';
import * as m0001 from './migrations/0001-program-model.ts';
import * as m0002 from './migrations/0002-lint-and-history.ts';
import * as m0003 from './migrations/0003-group-governance.ts';
import * as m0004 from './migrations/0004-accounts.ts';
import * as m0005 from './migrations/0005-audit-log.ts';
import * as m0006 from './migrations/0006-session-enrolment.ts';
import * as m0007 from './migrations/0007-evidence.ts';
import * as m0008 from './migrations/0008-audit-program-lineage.ts';
import * as m0009 from './migrations/0009-item-japanese.ts';
import * as m0010 from './migrations/0010-reports.ts';
import * as m0011 from './migrations/0011-public-fields.ts';
import * as m0012 from './migrations/0012-disclosures.ts';
import * as m0013 from './migrations/0013-notifications.ts';
import * as m0014 from './migrations/0014-replan-approval.ts';
import * as m0015 from './migrations/0015-verification-gate.ts';
import * as m0016 from './migrations/0016-report-templates.ts';
import * as m0017 from './migrations/0017-directive-japanese.ts';
import type { DB } from './schema.ts';

/** Every migration, in order. Add new ones at the end; never edit one that has landed. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-program-model': m0001,
  '0002-lint-and-history': m0002,
  '0003-group-governance': m0003,
  '0004-accounts': m0004,
  '0005-audit-log': m0005,
  '0006-session-enrolment': m0006,
  '0007-evidence': m0007,
  '0008-audit-program-lineage': m0008,
  '0009-item-japanese': m0009,
  '0010-reports': m0010,
  '0011-public-fields': m0011,
  '0012-disclosures': m0012,
  '0013-notifications': m0013,
  '0014-replan-approval': m0014,
  '0015-verification-gate': m0015,
  '0016-report-templates': m0016,
  '0017-directive-japanese': m0017,
};

export async function migrateToLatest(
  db: Kysely<DB>,
  migrations: Record<string, Migration> = MIGRATIONS,
): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? '?';
    throw new AppError('internal', 'errors.migration_failed', { migration: failed }, [], {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
