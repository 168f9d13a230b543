/** Kysely's view of the tables (migrations/ is the truth; keep this in step with it). */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A calendar date, kept as `YYYY-MM-DD` by the type parsers of connection.ts. */
type DateCol = string;
type Common = {
  version: Generated<number>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
};
type Provenance = { source: string | null; illustrative: Generated<boolean> };

export interface AppMetaTable {
  key: string;
  value: string;
}

export interface ProgramsTable extends Common {
  id: Generated<string>;
  code: string;
  name: string;
  name_ja: string | null;
  description: string | null;
  time_zone: Generated<string>;
  regulated_org_id: string | null;
  public_name: string | null;
  public_name_ja: string | null;
  disclosure_cadence_months: number | null;
  /** null: true — moving a committed milestone earlier needs approval too. */
  accelerations_need_approval: boolean | null;
  lint_config: ColumnType<unknown, string | undefined, string>;
  tiering_config: ColumnType<unknown, string | undefined, string>;
}

export interface OrganizationsTable extends Common, Provenance {
  id: Generated<string>;
  program_id: string;
  code: string;
  name: string;
  name_ja: string | null;
  kind: string;
  country: string | null;
  notes: string | null;
  lei: string | null;
  corporate_number: string | null;
  attested_level: number | null;
  handles_confidential_data: boolean | null;
  stoppage_critical: boolean | null;
}

export interface OwnershipsTable extends Common, Provenance {
  id: Generated<string>;
  program_id: string;
  position: number;
  owner_org_id: string;
  owned_org_id: string;
  share: number;
  voting: number | null;
  as_of: DateCol | null;
}

export interface IncidentsTable extends Common, Provenance {
  id: Generated<string>;
  program_id: string;
  code: string;
  title: string;
  is_public: Generated<boolean>;
  summary: string | null;
  access_from: DateCol | null;
  access_until: DateCol | null;
  detected_on: DateCol | null;
  contained_on: DateCol | null;
  announced_on: DateCol | null;
}

export interface IncidentRecordsTable extends Provenance {
  id: Generated<string>;
  incident_id: string;
  position: number;
  category: string;
  count: number;
  status: string;
  as_of: DateCol | null;
  note: string | null;
}

export interface SecondaryDamageReportsTable extends Provenance {
  id: Generated<string>;
  incident_id: string;
  position: number;
  reported_on: DateCol;
  kind: string;
  count: number | null;
  description: string;
  version: Generated<number>;
  created_at: Generated<Timestamp>;
}

export interface DirectivesTable extends Common, Provenance {
  id: Generated<string>;
  program_id: string;
  code: string;
  is_public: Generated<boolean>;
  issuer_org_id: string;
  issued_on: DateCol;
  reference: string | null;
  title: string;
  title_ja: string | null;
  full_text: string | null;
  report_due: DateCol | null;
  follows_up_directive_id: string | null;
}

export interface DirectiveItemsTable extends Common {
  id: Generated<string>;
  program_id: string;
  directive_id: string;
  parent_id: string | null;
  position: number;
  code: string;
  label: string | null;
  text: string;
  text_ja: string | null;
}

export interface MeasuresTable extends Common, Provenance {
  id: Generated<string>;
  program_id: string;
  code: string;
  title: string;
  title_ja: string | null;
  public_title: string | null;
  public_title_ja: string | null;
  description: string | null;
  category: string;
  kind: string;
  owner_name: string | null;
  organization_id: string | null;
  status: string;
  adopted_on: DateCol | null;
}

export interface MeasureItemsTable {
  measure_id: string;
  item_id: string;
}

export interface MeasureOrganizationsTable {
  measure_id: string;
  organization_id: string;
}

export interface MilestonesTable extends Common, Provenance {
  id: Generated<string>;
  program_id: string;
  measure_id: string;
  position: number;
  code: string;
  title: string;
  committed_on: DateCol;
  baseline_date: DateCol | null;
  planned_date: DateCol | null;
  actual_date: DateCol | null;
}

export interface MilestoneDependenciesTable {
  milestone_id: string;
  depends_on_id: string;
}

export interface MilestoneReplansTable {
  id: Generated<string>;
  milestone_id: string;
  seq: number;
  made_on: DateCol;
  from_date: DateCol | null;
  to_date: DateCol | null;
  reason: string;
  made_by: string | null;
  recorded_at: Generated<Timestamp>;
  /** pending: waits for a second person and changes nothing; approved: the plan's history. */
  status: Generated<'pending' | 'approved' | 'refused'>;
  /** The actor who asked (not the free `made_by`): the one who may not approve. */
  requested_by: string | null;
  decided_by: string | null;
  decided_on: DateCol | null;
  decided_at: NullableTimestamp;
  decision_note: string | null;
}

export interface VerificationsTable extends Common, Provenance {
  id: Generated<string>;
  program_id: string;
  measure_id: string;
  position: number;
  code: string;
  method: string;
  planned_on: DateCol | null;
  performed_on: DateCol | null;
  result: string | null;
  evidence_note: string | null;
  recurrence: Generated<string>;
  follow_up_measure_id: string | null;
  notes: string | null;
}

export interface SystemsTable extends Common, Provenance {
  id: Generated<string>;
  program_id: string;
  code: string;
  name: string;
  kind: string;
  owner_org_id: string | null;
  criticality: string;
  data_classes: ColumnType<string[], string[] | undefined, string[]>;
  description: string | null;
}

export interface AccessEdgesTable extends Common, Provenance {
  id: Generated<string>;
  program_id: string;
  code: string;
  organization_id: string;
  system_id: string;
  via: string;
  from_date: DateCol | null;
  until_date: DateCol | null;
  until_milestone_id: string | null;
  description: string | null;
}

export interface SystemLinksTable extends Common, Provenance {
  id: Generated<string>;
  program_id: string;
  code: string;
  system_id: string;
  reaches_system_id: string;
  via: string;
  from_date: DateCol | null;
  until_date: DateCol | null;
  until_milestone_id: string | null;
  description: string | null;
}

export interface OutsourcingRelationshipsTable extends Common, Provenance {
  id: Generated<string>;
  program_id: string;
  code: string;
  title: string;
  customer_org_id: string;
  provider_org_id: string;
  scope: string;
  description: string | null;
  started_on: DateCol | null;
}

export interface RelationshipDecisionsTable {
  id: Generated<string>;
  relationship_id: string;
  seq: number;
  decided_on: DateCol;
  decision: string;
  target_date: DateCol | null;
  reason: string | null;
  decided_by: string | null;
  recorded_at: Generated<Timestamp>;
}

export interface RelationshipSystemsTable {
  relationship_id: string;
  system_id: string;
}

export interface RelationshipMeasuresTable {
  relationship_id: string;
  measure_id: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  occurred_at: Timestamp;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  entity_code: string | null;
  program_id: string | null;
  payload: ColumnType<unknown, string, string>;
  /** Position in the Merkle log, 1, 2, 3… without gaps. */
  seq: number | null;
  /** The state of the changed record after the change: `{ unit, code, value }`. */
  state: ColumnType<unknown, string | null, string | null>;
  /** SHA-256(0x00 ‖ canonical event), hex. */
  leaf_hash: string | null;
}

export interface AuditLogHeadTable {
  id: number;
  size: number;
  frontier: ColumnType<unknown, string, string>;
}

export interface AuditCheckpointsTable {
  size: number;
  root_hash: string;
  note: string;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  disabled_at: NullableTimestamp;
  totp_secret: string | null;
  totp_enabled_at: NullableTimestamp;
  totp_last_step: number | null;
  password_changed_at: Timestamp;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface RoleAssignmentsTable {
  id: Generated<string>;
  user_id: string;
  role: string;
  program_code: string | null;
  organization_code: string | null;
  owner_name: string | null;
  created_at: Timestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  mfa_passed: Generated<boolean>;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  address: string | null;
  user_agent: string | null;
  /** The secret of an authenticator this session is enrolling. */
  totp_pending: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  assignment_ids: string[];
  expires_at: Timestamp;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  key: string;
  failed_at: Timestamp;
}

export interface AttestationsTable {
  id: Generated<string>;
  program_id: string;
  entity_type: string;
  entity_code: string;
  organization_code: string;
  user_id: string | null;
  attested_on: DateCol;
  statement: string;
  created_at: Timestamp;
}

export interface EvidenceTable {
  id: Generated<string>;
  program_id: string;
  entity_type: string;
  entity_code: string;
  sha256: string;
  size: number;
  media_type: string;
  filename: string;
  description: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface DB {
  app_meta: AppMetaTable;
  programs: ProgramsTable;
  organizations: OrganizationsTable;
  ownerships: OwnershipsTable;
  incidents: IncidentsTable;
  incident_records: IncidentRecordsTable;
  secondary_damage_reports: SecondaryDamageReportsTable;
  directives: DirectivesTable;
  directive_items: DirectiveItemsTable;
  measures: MeasuresTable;
  measure_items: MeasureItemsTable;
  measure_organizations: MeasureOrganizationsTable;
  milestones: MilestonesTable;
  milestone_dependencies: MilestoneDependenciesTable;
  milestone_replans: MilestoneReplansTable;
  verifications: VerificationsTable;
  systems: SystemsTable;
  access_edges: AccessEdgesTable;
  system_links: SystemLinksTable;
  outsourcing_relationships: OutsourcingRelationshipsTable;
  relationship_decisions: RelationshipDecisionsTable;
  relationship_systems: RelationshipSystemsTable;
  relationship_measures: RelationshipMeasuresTable;
  audit_events: AuditEventsTable;
  audit_log_head: AuditLogHeadTable;
  audit_checkpoints: AuditCheckpointsTable;
  reports: ReportsTable;
  disclosures: DisclosuresTable;
  report_files: ReportFilesTable;
  report_findings: ReportFindingsTable;
  report_templates: ReportTemplatesTable;
  report_template_settings: ReportTemplateSettingsTable;
  report_covers: ReportCoversTable;
  evidence: EvidenceTable;
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  role_assignments: RoleAssignmentsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  attestations: AttestationsTable;
  notification_settings: NotificationSettingsTable;
  notifications: NotificationsTable;
  jobs: JobsTable;
  notification_deliveries: NotificationDeliveriesTable;
  notification_watch: NotificationWatchTable;
}

export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;

export interface ReportsTable {
  id: Generated<string>;
  program_code: string;
  directive_code: string;
  as_of: string;
  status: Generated<'draft' | 'in_review' | 'approved' | 'submitted'>;
  model: unknown | null;
  model_sha256: string | null;
  created_by: string;
  created_at: Generated<Date>;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  approved_by: string | null;
  approved_at: Date | null;
  submitted_by: string | null;
  submitted_at: Date | null;
  checkpoint_size: number | null;
  checkpoint_note: string | null;
  version: Generated<number>;
  /** From review on: the program's template version the DOCX is laid out with (null: the built-in layout). */
  template_version: number | null;
  template_sha256: string | null;
}

/** A version of a program's DOCX template (migration 0016); kept for good. */
export interface ReportTemplatesTable {
  program_code: string;
  template_version: number;
  sha256: string;
  filename: string;
  size: number;
  placeholders: unknown;
  bytes: Uint8Array;
  created_by: string;
  created_at: Generated<Date>;
}

/** Which template version a program's reports use (none: the built-in layout). */
export interface ReportTemplateSettingsTable {
  program_code: string;
  active_version: number | null;
  version: Generated<number>;
  updated_by: string;
  updated_at: Generated<Date>;
}

/** A program's own cover text for the reports on one directive, in English and Japanese. */
export interface ReportCoversTable {
  program_code: string;
  directive_code: string;
  text_en: string | null;
  text_ja: string | null;
  version: Generated<number>;
  updated_by: string;
  updated_at: Generated<Date>;
}

export interface ReportFilesTable {
  report_id: string;
  format: string;
  lang: string;
  sha256: string;
  size: number;
  media_type: string;
  bytes: Uint8Array;
}

export interface ReportFindingsTable {
  id: Generated<string>;
  report_id: string;
  item_code: string;
  refers_to: string | null;
  text: string;
  created_by: string;
  created_at: Generated<Date>;
}

export interface DisclosuresTable {
  id: Generated<string>;
  program_code: string;
  number: number;
  corrects: string | null;
  correction_note_ja: string | null;
  correction_note_en: string | null;
  title_ja: string;
  title_en: string;
  body_ja: string;
  body_en: string;
  status: Generated<'draft' | 'approved' | 'published'>;
  created_by: string;
  created_at: Generated<Date>;
  approved_by: string | null;
  approved_at: Date | null;
  published_by: string | null;
  published_at: Date | null;
  sha256: string | null;
  version: Generated<number>;
}

export interface NotificationSettingsTable {
  user_id: string;
  language: 'ja' | 'en' | null;
  email: string | null;
  email_enabled: Generated<boolean>;
  webhook_url: string | null;
  webhook_secret: string | null;
  due_days: Generated<number>;
  kinds_off: Generated<string[]>;
  digest_weekday: Generated<number>;
  version: Generated<number>;
  updated_at: Timestamp;
}

export interface NotificationsTable {
  id: Generated<string>;
  seq: Generated<number>;
  user_id: string;
  program_code: string | null;
  kind: string;
  dedupe_key: string;
  params: unknown;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  key: string;
  payload: Generated<unknown>;
  run_at: Timestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_by: string | null;
  locked_until: NullableTimestamp;
  last_error: string | null;
  done_at: NullableTimestamp;
  failed_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface NotificationDeliveriesTable {
  id: Generated<number>;
  job_id: number;
  notification_id: string;
  channel: 'email' | 'webhook';
  target: string;
  attempt: number;
  outcome: 'sent' | 'failed' | 'skipped';
  status: number | null;
  error: string | null;
  worker: string;
  duration_ms: number;
  at: Timestamp;
}

export interface NotificationWatchTable {
  program_code: string;
  watch: string;
  keys: unknown;
  scanned_at: Timestamp;
}
