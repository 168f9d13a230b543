import { type Kysely, sql } from 'kysely';

/**
 * Group governance: links between systems (a provider's network that reaches the company's
 * directory, a directory that grants accounts on data stores), so exposure paths can run through
 * several hops; what the contractor tiering needs to know about a provider; identifiers for the
 * outsourcing register; and a program's tiering rules.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `create table system_links (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      code text not null,
      system_id uuid not null references systems(id) on delete cascade,
      reaches_system_id uuid not null references systems(id) on delete cascade,
      via text not null check (via in ('network_route','trust','account','admin','data_flow')),
      from_date date,
      until_date date,
      until_milestone_id uuid references milestones(id) on delete set null,
      description text,
      source text,
      illustrative boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (program_id, code),
      check (system_id <> reaches_system_id)
    )`,
    `alter table organizations add column lei text`,
    `alter table organizations add column corporate_number text`,
    `alter table organizations add column attested_level smallint check (attested_level between 1 and 5)`,
    `alter table organizations add column handles_confidential_data boolean`,
    `alter table organizations add column stoppage_critical boolean`,
    `alter table programs add column tiering_config jsonb not null default '{}'`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
