import { type Kysely, sql } from 'kysely';

/**
 * Accounts: users with an argon2id password and a TOTP second factor (with single-use recovery
 * codes), their roles (by program and organization code, so they survive a program's re-import),
 * sessions and API tokens (only hashes of their secrets are stored), failed sign-ins for
 * throttling, and contractors' attestations of their relationships and access.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `create table users (
      id uuid primary key default gen_random_uuid(),
      username text not null unique check (username = lower(username) and length(username) between 1 and 64),
      display_name text not null,
      password_hash text not null,
      disabled_at timestamptz,
      totp_secret text,
      totp_enabled_at timestamptz,
      totp_last_step bigint,
      password_changed_at timestamptz not null default now(),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create table recovery_codes (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      code_hash text not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`,
    `create index recovery_codes_user on recovery_codes(user_id)`,
    `create table role_assignments (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      role text not null check (role in ('admin','program_manager','measure_owner','contractor','regulator','auditor')),
      program_code text,
      organization_code text,
      owner_name text,
      created_at timestamptz not null default now(),
      check ((role = 'admin') = (program_code is null)),
      check (role <> 'contractor' or organization_code is not null),
      check (role <> 'measure_owner' or owner_name is not null)
    )`,
    `create index role_assignments_user on role_assignments(user_id)`,
    `create table sessions (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      user_id uuid not null references users(id) on delete cascade,
      mfa_passed boolean not null default false,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz,
      address text,
      user_agent text
    )`,
    `create index sessions_user on sessions(user_id)`,
    `create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      assignment_ids uuid[] not null,
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    )`,
    `create index api_tokens_user on api_tokens(user_id)`,
    `create table login_failures (
      id bigint generated always as identity primary key,
      key text not null,
      failed_at timestamptz not null default now()
    )`,
    `create index login_failures_key on login_failures(key, failed_at)`,
    `create table attestations (
      id uuid primary key default gen_random_uuid(),
      program_id uuid not null references programs(id) on delete cascade,
      entity_type text not null check (entity_type in ('relationship','access')),
      entity_code text not null,
      organization_code text not null,
      user_id uuid references users(id) on delete set null,
      attested_on date not null,
      statement text not null,
      created_at timestamptz not null default now()
    )`,
    `create index attestations_entity on attestations(program_id, entity_type, entity_code)`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
