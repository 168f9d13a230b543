import { type Kysely, sql } from 'kysely';

/**
 * What the schedule and the readiness lint need to look back in time and to judge a program:
 * when a measure was adopted and an outsourcing relationship began, which organizations a measure
 * concerns (a provider it supervises, a shareholder whose control it reviews), and the program's
 * lint settings (rules switched off or re-graded, thresholds).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `alter table measures add column adopted_on date`,
    `alter table outsourcing_relationships add column started_on date`,
    `alter table programs add column lint_config jsonb not null default '{}'`,
    `create table measure_organizations (
      measure_id uuid not null references measures(id) on delete cascade,
      organization_id uuid not null references organizations(id) on delete cascade,
      primary key (measure_id, organization_id)
    )`,
    `create index measure_organizations_org on measure_organizations(organization_id)`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
