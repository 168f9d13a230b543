import { type Kysely, sql } from 'kysely';

/**
 * Reminders and notifications: each user's settings (language, e-mail, a webhook, how many days
 * before a milestone falls due, the kinds turned off, the digest's weekday); the notifications
 * themselves (in-app, each at most once: a unique key per kind, subject, occasion and user); a job
 * queue that every server process works from (claimed with FOR UPDATE SKIP LOCKED under a lease, so
 * a dead process's jobs go to another); the log of every delivery attempt; and what the scanner saw
 * last (the lint errors of each program), so that only new ones are announced.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const stmts = [
    `create table notification_settings (
      user_id uuid primary key references users(id) on delete cascade,
      language text check (language in ('ja', 'en')),
      email text check (email is null or (length(email) <= 254 and email ~ '^[^@\\s]+@[^@\\s]+$')),
      email_enabled boolean not null default true,
      webhook_url text check (webhook_url is null or webhook_url ~ '^https?://'),
      webhook_secret text,
      due_days integer not null default 7 check (due_days between 0 and 90),
      kinds_off text[] not null default '{}',
      digest_weekday integer not null default 1 check (digest_weekday between 1 and 7),
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      check ((webhook_url is null) = (webhook_secret is null))
    )`,
    `create table notifications (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity,
      user_id uuid not null references users(id) on delete cascade,
      program_code text,
      kind text not null,
      dedupe_key text not null unique,
      params jsonb not null default '{}',
      created_at timestamptz not null default now(),
      read_at timestamptz
    )`,
    `create index notifications_user on notifications(user_id, created_at desc, seq)`,
    `create index notifications_unread on notifications(user_id) where read_at is null`,
    `create table jobs (
      id bigint generated always as identity primary key,
      queue text not null,
      key text not null unique,
      payload jsonb not null default '{}',
      run_at timestamptz not null default now(),
      attempts integer not null default 0,
      max_attempts integer not null default 12 check (max_attempts > 0),
      locked_by text,
      locked_until timestamptz,
      last_error text,
      done_at timestamptz,
      failed_at timestamptz,
      created_at timestamptz not null default now()
    )`,
    `create index jobs_ready on jobs(run_at, id) where done_at is null and failed_at is null`,
    `create table notification_deliveries (
      id bigint generated always as identity primary key,
      job_id bigint not null,
      notification_id uuid not null references notifications(id) on delete cascade,
      channel text not null check (channel in ('email', 'webhook')),
      target text not null,
      attempt integer not null,
      outcome text not null check (outcome in ('sent', 'failed', 'skipped')),
      status integer,
      error text,
      worker text not null,
      duration_ms integer not null,
      at timestamptz not null default now()
    )`,
    `create index notification_deliveries_notification on notification_deliveries(notification_id, at)`,
    `create table notification_watch (
      program_code text not null,
      watch text not null,
      keys jsonb not null,
      scanned_at timestamptz not null default now(),
      primary key (program_code, watch)
    )`,
  ];
  for (const stmt of stmts) await sql.raw(stmt).execute(db);
}
