/**
 * Inserts the records of a program, one function per record kind. References arrive as codes and
 * are turned into ids by a Resolver: from a map during an import, from the database for a single
 * API call. Every function writes into the caller's transaction at once, or (an import) into a
 * RowBuffer that the caller flushes into its transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely, Transaction } from 'kysely';
import { validationFailed } from '../domain/errors.ts';
import type { LintSettings } from '../domain/lint/config.ts';
import type {
  AccessInput,
  AttachmentInput,
  DecisionInput,
  DirectiveInput,
  DirectiveItemInput,
  IncidentInput,
  LinkInput,
  MeasureInput,
  MilestoneInput,
  OrganizationInput,
  OwnershipInput,
  ProgramInfo,
  RelationshipInput,
  ReplanInput,
  SystemInput,
  VerificationInput,
} from '../domain/program-file/schema.ts';
import { baselineOf } from '../domain/schedule.ts';
import type { TieringSettings } from '../domain/tiering.ts';
import type { EntityKind } from './program-reader.ts';
import type { DB } from './schema.ts';

export type Trx = Transaction<DB> | Kysely<DB>;

type Table = keyof DB & string;

/**
 * Rows collected for one bulk write (an import): ids are made here, so references between the
 * records resolve before anything is written; `flush` inserts each table's rows in a few
 * multi-row statements, tables in the order they were first touched (parents before children).
 */
export class RowBuffer {
  private readonly tables = new Map<Table, Record<string, unknown>[]>();

  add(table: Table, rows: readonly Record<string, unknown>[]): void {
    const list = this.tables.get(table) ?? [];
    this.tables.set(table, list);
    for (const row of rows) list.push(row);
  }

  async flush(trx: Trx): Promise<void> {
    for (const [table, rows] of this.tables) {
      if (rows.length === 0) continue;
      // PostgreSQL takes at most 65,535 parameters in one statement.
      const columns = Object.keys(rows[0]!).length;
      const chunk = Math.max(1, Math.floor(60_000 / columns));
      for (let i = 0; i < rows.length; i += chunk)
        await trx
          .insertInto(table)
          .values(rows.slice(i, i + chunk) as never)
          .execute();
    }
    this.tables.clear();
  }
}

/** Where the insert functions write: a transaction (at once) or a buffer (flushed later). */
export type Target = Trx | RowBuffer;

/** Inserts one record with a new id (made here, so a buffered row can be referred to at once). */
async function put<T extends Table>(target: Target, table: T, row: Insertable<DB[T]>): Promise<string> {
  const id = randomUUID();
  await putMany(target, table, [{ ...row, id } as Insertable<DB[T]>]);
  return id;
}

async function putMany<T extends Table>(
  target: Target,
  table: T,
  rows: readonly Insertable<DB[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  if (target instanceof RowBuffer) target.add(table, rows as readonly Record<string, unknown>[]);
  else
    await target
      .insertInto(table)
      .values(rows as never)
      .execute();
}

/**
 * Turns a code into an id; `path` names the field for the error when the code is unknown.
 * `many` resolves a whole list at once (one query), reporting every unknown code.
 */
export type Resolver = ((kind: EntityKind, code: string, path: string) => Promise<string>) & {
  many?: (kind: EntityKind, codes: readonly string[], path: string) => Promise<string[]>;
};

const prov = (r: { source?: string | undefined; illustrative?: boolean | undefined }) => ({
  source: r.source ?? null,
  illustrative: r.illustrative ?? false,
});
/** The path of a field under a record's path (`measures[3]` + `organization`). */
const at = (path: string, field: string) => (path ? `${path}.${field}` : field);
const nul = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export async function insertProgram(
  trx: Target,
  p: ProgramInfo,
  lint?: LintSettings,
  tiering?: TieringSettings,
): Promise<string> {
  return put(trx, 'programs', {
    code: p.code,
    name: p.name,
    name_ja: nul(p.nameJa),
    description: nul(p.description),
    time_zone: p.timeZone,
    public_name: nul(p.publicName),
    public_name_ja: nul(p.publicNameJa),
    disclosure_cadence_months: nul(p.disclosureCadenceMonths),
    accelerations_need_approval: nul(p.accelerationsNeedApproval),
    lint_config: JSON.stringify(lint ?? {}),
    tiering_config: JSON.stringify(tiering ?? {}),
  });
}

export async function setRegulatedOrganization(trx: Trx, programId: string, orgId: string): Promise<void> {
  await trx.updateTable('programs').set({ regulated_org_id: orgId }).where('id', '=', programId).execute();
}

export async function insertOrganization(
  trx: Target,
  programId: string,
  o: OrganizationInput,
): Promise<string> {
  return put(trx, 'organizations', {
    program_id: programId,
    code: o.code,
    name: o.name,
    name_ja: nul(o.nameJa),
    kind: o.kind,
    country: nul(o.country),
    lei: nul(o.lei),
    corporate_number: nul(o.corporateNumber),
    attested_level: nul(o.attestedLevel),
    handles_confidential_data: nul(o.handlesConfidentialData),
    stoppage_critical: nul(o.stoppageCritical),
    notes: nul(o.notes),
    ...prov(o),
  });
}

export async function insertOwnership(
  trx: Target,
  programId: string,
  o: OwnershipInput,
  position: number,
  resolve: Resolver,
  path: string,
): Promise<string> {
  return put(trx, 'ownerships', {
    program_id: programId,
    position,
    owner_org_id: await resolve('organization', o.owner, at(path, 'owner')),
    owned_org_id: await resolve('organization', o.owned, at(path, 'owned')),
    share: o.share,
    voting: nul(o.voting),
    as_of: nul(o.asOf),
    ...prov(o),
  });
}

export async function insertIncident(trx: Target, programId: string, x: IncidentInput): Promise<string> {
  const id = await put(trx, 'incidents', {
    program_id: programId,
    code: x.code,
    title: x.title,
    summary: nul(x.summary),
    access_from: nul(x.accessFrom),
    access_until: nul(x.accessUntil),
    detected_on: nul(x.detectedOn),
    contained_on: nul(x.containedOn),
    announced_on: nul(x.announcedOn),
    is_public: x.public === true,
    ...prov(x),
  });
  if (x.records.length > 0) {
    await putMany(
      trx,
      'incident_records',
      x.records.map((r, position) => ({
        incident_id: id,
        position,
        category: r.category,
        count: r.count,
        status: r.status,
        as_of: nul(r.asOf),
        note: nul(r.note),
        ...prov(r),
      })),
    );
  }
  for (const [position, d] of x.secondaryDamage.entries()) await insertSecondaryDamage(trx, id, d, position);
  return id;
}

export async function insertSecondaryDamage(
  trx: Target,
  incidentId: string,
  d: IncidentInput['secondaryDamage'][number],
  position: number,
): Promise<string> {
  return put(trx, 'secondary_damage_reports', {
    incident_id: incidentId,
    position,
    reported_on: d.reportedOn,
    kind: d.kind,
    count: nul(d.count),
    description: d.description,
    ...prov(d),
  });
}

/** Inserts a directive and its item tree; returns the directive's id and the ids of its items by code. */
export async function insertDirective(
  trx: Target,
  programId: string,
  d: DirectiveInput,
  resolve: Resolver,
  path: string,
): Promise<{ id: string; items: Map<string, string> }> {
  const id = await put(trx, 'directives', {
    program_id: programId,
    code: d.code,
    issuer_org_id: await resolve('organization', d.issuer, at(path, 'issuer')),
    issued_on: d.issuedOn,
    reference: nul(d.reference),
    title: d.title,
    title_ja: nul(d.titleJa),
    full_text: nul(d.text),
    report_due: nul(d.reportDue),
    is_public: d.public === true,
    follows_up_directive_id: d.followsUp
      ? await resolve('directive', d.followsUp, at(path, 'followsUp'))
      : null,
    ...prov(d),
  });
  const items = new Map<string, string>();
  await insertItems(trx, programId, id, null, d.items, 0, items);
  return { id, items };
}

export async function insertItems(
  trx: Target,
  programId: string,
  directiveId: string,
  parentId: string | null,
  list: DirectiveItemInput[],
  firstPosition: number,
  out: Map<string, string>,
): Promise<void> {
  for (const [i, item] of list.entries()) {
    const id = await put(trx, 'directive_items', {
      program_id: programId,
      directive_id: directiveId,
      parent_id: parentId,
      position: firstPosition + i,
      code: item.code,
      label: nul(item.label),
      text: item.text,
      text_ja: nul(item.textJa),
    });
    out.set(item.code, id);
    await insertItems(trx, programId, directiveId, id, item.items, 0, out);
  }
}

export async function insertSystem(
  trx: Target,
  programId: string,
  s: SystemInput,
  resolve: Resolver,
  path: string,
): Promise<string> {
  return put(trx, 'systems', {
    program_id: programId,
    code: s.code,
    name: s.name,
    kind: s.kind,
    owner_org_id: s.owner ? await resolve('organization', s.owner, at(path, 'owner')) : null,
    criticality: s.criticality,
    data_classes: s.dataClasses,
    description: nul(s.description),
    ...prov(s),
  });
}

type MeasureFields = Omit<MeasureInput, 'milestones' | 'verifications'>;

/** Inserts the measure itself and its links to directive items (not its milestones). */
export async function insertMeasure(
  trx: Target,
  programId: string,
  m: MeasureFields,
  resolve: Resolver,
  path: string,
): Promise<string> {
  const id = await put(trx, 'measures', {
    program_id: programId,
    code: m.code,
    title: m.title,
    title_ja: nul(m.titleJa),
    public_title: nul(m.publicTitle),
    public_title_ja: nul(m.publicTitleJa),
    description: nul(m.description),
    category: m.category,
    kind: m.kind,
    owner_name: nul(m.owner),
    organization_id: m.organization
      ? await resolve('organization', m.organization, at(path, 'organization'))
      : null,
    status: m.status,
    adopted_on: nul(m.adoptedOn),
    ...prov(m),
  });
  await setMeasureItems(trx, id, m.answers, resolve, at(path, 'answers'));
  await setMeasureConcerns(trx, id, m.concerns, resolve, at(path, 'concerns'));
  return id;
}

export async function setMeasureItems(
  trx: Target,
  measureId: string,
  codes: string[],
  resolve: Resolver,
  path: string,
): Promise<void> {
  await replaceLinks(trx, 'measure_items', measureId, await resolveAll(resolve, 'item', codes, path));
}

export async function setMeasureConcerns(
  trx: Target,
  measureId: string,
  codes: string[],
  resolve: Resolver,
  path: string,
): Promise<void> {
  await replaceLinks(
    trx,
    'measure_organizations',
    measureId,
    await resolveAll(resolve, 'organization', codes, path),
  );
}

/** Inserts a milestone and its re-plan history; dependencies are set separately, once all exist. */
export async function insertMilestone(
  trx: Target,
  programId: string,
  measureId: string,
  ms: MilestoneInput,
  position: number,
): Promise<string> {
  const id = await put(trx, 'milestones', {
    program_id: programId,
    measure_id: measureId,
    position,
    code: ms.code,
    title: ms.title,
    committed_on: ms.committedOn,
    baseline_date: baselineOf(ms),
    planned_date: ms.planned,
    actual_date: nul(ms.actual),
    ...prov(ms),
  });
  const replanRow = (r: Pick<ReplanInput, 'on' | 'from' | 'to' | 'reason' | 'by'>) => ({
    milestone_id: id,
    made_on: r.on,
    from_date: r.from,
    to_date: r.to,
    reason: r.reason,
    made_by: nul(r.by),
  });
  if (ms.replans.length + ms.replanRequests.length > 0) {
    await putMany(
      trx,
      'milestone_replans',
      [
        ...ms.replans.map((r) => ({
          ...replanRow(r),
          status: 'approved' as const,
          decided_by: nul(r.approvedBy),
          decided_on: nul(r.approvedOn),
          decision_note: null,
        })),
        ...ms.replanRequests.map((r) => ({
          ...replanRow(r),
          // The asker, for the second-person rule: the name the file gives.
          requested_by: nul(r.by),
          status: r.status,
          decided_by: nul(r.decidedBy),
          decided_on: nul(r.decidedOn),
          decision_note: nul(r.decisionNote),
        })),
      ].map((row, seq) => ({ ...row, seq })),
    );
  }
  return id;
}

export async function setMilestoneDependencies(
  trx: Target,
  milestoneId: string,
  codes: string[],
  resolve: Resolver,
  path: string,
): Promise<void> {
  const resolved = resolve.many
    ? await resolve.many('milestone', codes, path)
    : await Promise.all(codes.map((code, i) => resolve('milestone', code, `${path}[${i}]`)));
  const self = resolved.indexOf(milestoneId);
  if (self >= 0)
    throw validationFailed([
      { path: `${path}[${self}]`, key: 'validation.self_reference', params: { code: codes[self] } },
    ]);
  await replaceLinks(trx, 'milestone_dependencies', milestoneId, resolved);
}

export async function insertVerification(
  trx: Target,
  programId: string,
  measureId: string,
  v: VerificationInput,
  position: number,
  resolve: Resolver,
  path: string,
): Promise<string> {
  return put(trx, 'verifications', {
    program_id: programId,
    measure_id: measureId,
    position,
    code: v.code,
    method: v.method,
    planned_on: nul(v.plannedOn),
    performed_on: nul(v.performedOn),
    result: nul(v.result),
    evidence_note: nul(v.evidence),
    recurrence: v.recurrence,
    follow_up_measure_id: v.followUpMeasure
      ? await resolve('measure', v.followUpMeasure, at(path, 'followUpMeasure'))
      : null,
    notes: nul(v.notes),
    ...prov(v),
  });
}

/** The evidence rows of the files a program file lists as attached to one record. */
export async function insertAttachments(
  trx: Target,
  programId: string,
  kind: 'measure' | 'milestone' | 'verification',
  code: string,
  attachments: readonly AttachmentInput[],
): Promise<string[]> {
  const ids = attachments.map(() => randomUUID());
  await putMany(
    trx,
    'evidence',
    attachments.map((a, i) => ({
      id: ids[i],
      program_id: programId,
      entity_type: kind,
      entity_code: code,
      sha256: a.sha256,
      size: a.size,
      media_type: a.mediaType,
      filename: a.filename,
      description: nul(a.description),
      created_by: a.attachedBy,
      created_at: a.attachedAt,
    })) as never,
  );
  return ids;
}

export async function insertAccess(
  trx: Target,
  programId: string,
  a: AccessInput,
  resolve: Resolver,
  path: string,
): Promise<string> {
  return put(trx, 'access_edges', {
    program_id: programId,
    code: a.code,
    organization_id: await resolve('organization', a.organization, at(path, 'organization')),
    system_id: await resolve('system', a.system, at(path, 'system')),
    via: a.via,
    ...(await edgeWindow(a, resolve, path)),
  });
}

/** When an access edge or a link is open (from, until, or until a milestone), and its notes. */
async function edgeWindow(
  e: Pick<AccessInput, 'from' | 'until' | 'untilMilestone' | 'description' | 'source' | 'illustrative'>,
  resolve: Resolver,
  path: string,
) {
  return {
    from_date: nul(e.from),
    until_date: nul(e.until),
    until_milestone_id: e.untilMilestone
      ? await resolve('milestone', e.untilMilestone, at(path, 'untilMilestone'))
      : null,
    description: nul(e.description),
    ...prov(e),
  };
}

export async function insertLink(
  trx: Target,
  programId: string,
  l: LinkInput,
  resolve: Resolver,
  path: string,
): Promise<string> {
  return put(trx, 'system_links', {
    program_id: programId,
    code: l.code,
    system_id: await resolve('system', l.system, at(path, 'system')),
    reaches_system_id: await resolve('system', l.reaches, at(path, 'reaches')),
    via: l.via,
    ...(await edgeWindow(l, resolve, path)),
  });
}

export async function insertRelationship(
  trx: Target,
  programId: string,
  r: RelationshipInput,
  resolve: Resolver,
  path: string,
): Promise<string> {
  const id = await put(trx, 'outsourcing_relationships', {
    program_id: programId,
    code: r.code,
    title: r.title,
    customer_org_id: await resolve('organization', r.customer, at(path, 'customer')),
    provider_org_id: await resolve('organization', r.provider, at(path, 'provider')),
    scope: r.scope,
    started_on: nul(r.startedOn),
    description: nul(r.description),
    ...prov(r),
  });
  await setRelationshipSystems(trx, id, r.systems, resolve, at(path, 'systems'));
  await setRelationshipMeasures(trx, id, r.measures, resolve, at(path, 'measures'));
  for (const [seq, d] of r.decisions.entries()) await insertDecision(trx, id, d, seq);
  return id;
}

export async function insertDecision(
  trx: Target,
  relationshipId: string,
  d: DecisionInput,
  seq: number,
): Promise<void> {
  await putMany(trx, 'relationship_decisions', [
    {
      relationship_id: relationshipId,
      seq,
      decided_on: d.on,
      decision: d.decision,
      target_date: nul(d.targetDate),
      reason: nul(d.reason),
      decided_by: nul(d.by),
    },
  ]);
}

export async function setRelationshipSystems(
  trx: Target,
  relationshipId: string,
  codes: string[],
  resolve: Resolver,
  path: string,
): Promise<void> {
  await replaceLinks(
    trx,
    'relationship_systems',
    relationshipId,
    await resolveAll(resolve, 'system', codes, path),
  );
}

export async function setRelationshipMeasures(
  trx: Target,
  relationshipId: string,
  codes: string[],
  resolve: Resolver,
  path: string,
): Promise<void> {
  await replaceLinks(
    trx,
    'relationship_measures',
    relationshipId,
    await resolveAll(resolve, 'measure', codes, path),
  );
}

/** The set-valued links between records: per link table, the owner's column and the target's. */
const LINK_TABLES = {
  measure_items: ['measure_id', 'item_id'],
  measure_organizations: ['measure_id', 'organization_id'],
  milestone_dependencies: ['milestone_id', 'depends_on_id'],
  relationship_systems: ['relationship_id', 'system_id'],
  relationship_measures: ['relationship_id', 'measure_id'],
} as const;

/** Replaces every link of one owner in a link table by links to `targetIds` (duplicates dropped). */
async function replaceLinks(
  trx: Target,
  table: keyof typeof LINK_TABLES,
  ownerId: string,
  targetIds: readonly string[],
): Promise<void> {
  const [owner, target] = LINK_TABLES[table];
  // A buffered import writes new owners only: there is nothing to delete.
  if (!(trx instanceof RowBuffer))
    await trx
      .deleteFrom(table)
      .where(owner as never, '=', ownerId as never)
      .execute();
  const unique = [...new Set(targetIds)];
  await putMany(trx, table, unique.map((id) => ({ [owner]: ownerId, [target]: id })) as never);
}

async function resolveAll(
  resolve: Resolver,
  kind: EntityKind,
  codes: string[],
  path: string,
): Promise<string[]> {
  if (resolve.many) return [...new Set(await resolve.many(kind, codes, path))];
  const ids = new Set<string>();
  for (const [i, code] of codes.entries()) ids.add(await resolve(kind, code, `${path}[${i}]`));
  return [...ids];
}
