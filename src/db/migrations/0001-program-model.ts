import { type Kysely, sql } from 'kysely';

/**
 * The program model of DESIGN.md: organizations and ownership, programs, incidents, directives
 * and their nested items, measures, milestones with their history, verifications, systems,
 * access edges and outsourcing relationships, plus the audit event table that every change
 * writes to. Users, reports, disclosures and evidence come in later migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `create table app_meta (key text primary key, value text not null)`,

    `create table programs (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null,
      name_ja text,
      description text,
      time_zone text not null default 'Asia/Tokyo',
      regulated_org_id uuid,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,

    `create table organizations (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      code text not null,
      name text not null,
      name_ja text,
      kind text not null check (kind in ('regulated','parent','subsidiary','affiliate','provider','subcontractor','regulator','other')),
      country text,
      notes text,
      source text,
      illustrative boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (program_id, code)
    )`,
    `alter table programs add constraint programs_regulated_org_fk
      foreign key (regulated_org_id) references organizations(id) on delete set null`,

    `create table ownerships (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      position integer not null,
      owner_org_id uuid not null references organizations(id) on delete cascade,
      owned_org_id uuid not null references organizations(id) on delete cascade,
      share numeric(7,4) not null check (share between 0 and 100),
      voting numeric(7,4) check (voting between 0 and 100),
      as_of date,
      source text,
      illustrative boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (owner_org_id <> owned_org_id)
    )`,

    `create table incidents (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      code text not null,
      title text not null,
      summary text,
      access_from date,
      access_until date,
      detected_on date,
      contained_on date,
      announced_on date,
      source text,
      illustrative boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (program_id, code)
    )`,
    `create table incident_records (
      id uuid primary key default gen_random_uuid(),
      incident_id uuid not null references incidents(id) on delete cascade,
      position integer not null,
      category text not null,
      count bigint not null check (count >= 0),
      status text not null check (status in ('confirmed','possible','total')),
      as_of date,
      note text,
      source text,
      illustrative boolean not null default false
    )`,
    `create table secondary_damage_reports (
      id uuid primary key default gen_random_uuid(),
      incident_id uuid not null references incidents(id) on delete cascade,
      position integer not null,
      reported_on date not null,
      kind text not null check (kind in ('phishing','unauthorized_login','fraud','spam','other')),
      count bigint check (count >= 0),
      description text not null,
      source text,
      illustrative boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now()
    )`,

    `create table directives (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      code text not null,
      issuer_org_id uuid not null references organizations(id),
      issued_on date not null,
      reference text,
      title text not null,
      full_text text,
      report_due date,
      follows_up_directive_id uuid references directives(id) on delete set null,
      source text,
      illustrative boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (program_id, code)
    )`,
    `create table directive_items (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      directive_id uuid not null references directives(id) on delete cascade,
      parent_id uuid references directive_items(id) on delete cascade,
      position integer not null,
      code text not null,
      label text,
      text text not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (program_id, code)
    )`,

    `create table measures (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      code text not null,
      title text not null,
      title_ja text,
      description text,
      category text not null check (category in ('safety_management','contractor_management','governance','user_communication')),
      kind text not null check (kind in ('emergency','permanent')),
      owner_name text,
      organization_id uuid references organizations(id) on delete set null,
      status text not null check (status in ('planned','in_progress','completed','cancelled')),
      source text,
      illustrative boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (program_id, code)
    )`,
    `create table measure_items (
      measure_id uuid not null references measures(id) on delete cascade,
      item_id uuid not null references directive_items(id) on delete cascade,
      primary key (measure_id, item_id)
    )`,
    `create index measure_items_item on measure_items(item_id)`,

    `create table milestones (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      measure_id uuid not null references measures(id) on delete cascade,
      position integer not null,
      code text not null,
      title text not null,
      committed_on date not null,
      baseline_date date,
      planned_date date,
      actual_date date,
      source text,
      illustrative boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (program_id, code)
    )`,
    `create index milestones_measure on milestones(measure_id)`,
    `create table milestone_dependencies (
      milestone_id uuid not null references milestones(id) on delete cascade,
      depends_on_id uuid not null references milestones(id) on delete cascade,
      primary key (milestone_id, depends_on_id),
      check (milestone_id <> depends_on_id)
    )`,
    `create table milestone_replans (
      id uuid primary key default gen_random_uuid(),
      milestone_id uuid not null references milestones(id) on delete cascade,
      seq integer not null,
      made_on date not null,
      from_date date,
      to_date date,
      reason text not null,
      made_by text,
      recorded_at timestamptz not null default now(),
      unique (milestone_id, seq)
    )`,

    `create table verifications (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      measure_id uuid not null references measures(id) on delete cascade,
      position integer not null,
      code text not null,
      method text not null,
      planned_on date,
      performed_on date,
      result text check (result in ('effective','partly_effective','ineffective')),
      evidence_note text,
      recurrence text not null default 'none' check (recurrence in ('none','monthly','quarterly','semiannual','annual')),
      follow_up_measure_id uuid references measures(id) on delete set null,
      notes text,
      source text,
      illustrative boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (program_id, code)
    )`,

    `create table systems (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      code text not null,
      name text not null,
      kind text not null check (kind in ('network','authentication','soc','data_store','application','endpoint','collaboration','other')),
      owner_org_id uuid references organizations(id) on delete set null,
      criticality text not null check (criticality in ('critical','high','medium','low')),
      data_classes text[] not null default '{}',
      description text,
      source text,
      illustrative boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (program_id, code)
    )`,
    `create table access_edges (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      code text not null,
      organization_id uuid not null references organizations(id) on delete cascade,
      system_id uuid not null references systems(id) on delete cascade,
      via text not null check (via in ('network_route','account','admin','api','physical')),
      from_date date,
      until_date date,
      until_milestone_id uuid references milestones(id) on delete set null,
      description text,
      source text,
      illustrative boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (program_id, code)
    )`,

    `create table outsourcing_relationships (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      code text not null,
      title text not null,
      customer_org_id uuid not null references organizations(id) on delete cascade,
      provider_org_id uuid not null references organizations(id) on delete cascade,
      scope text not null check (scope in ('internal_system_operation','network_operation','service_development','service_infrastructure','provider_systems_use','soc','customer_support','sales','other')),
      description text,
      source text,
      illustrative boolean not null default false,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (program_id, code)
    )`,
    `create table relationship_decisions (
      id uuid primary key default gen_random_uuid(),
      relationship_id uuid not null references outsourcing_relationships(id) on delete cascade,
      seq integer not null,
      decided_on date not null,
      decision text not null check (decision in ('reduce','terminate','maintain','undecided')),
      target_date date,
      reason text,
      decided_by text,
      recorded_at timestamptz not null default now(),
      unique (relationship_id, seq)
    )`,
    `create table relationship_systems (
      relationship_id uuid not null references outsourcing_relationships(id) on delete cascade,
      system_id uuid not null references systems(id) on delete cascade,
      primary key (relationship_id, system_id)
    )`,
    `create table relationship_measures (
      relationship_id uuid not null references outsourcing_relationships(id) on delete cascade,
      measure_id uuid not null references measures(id) on delete cascade,
      primary key (relationship_id, measure_id)
    )`,

    `create table audit_events (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default now(),
      actor text not null,
      action text not null,
      entity_type text not null,
      entity_id uuid,
      entity_code text,
      program_id uuid,
      payload jsonb not null default '{}'
    )`,
    `create index audit_events_program on audit_events(program_id, id)`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
