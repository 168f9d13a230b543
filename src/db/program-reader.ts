/**
 * Reads a whole program into its file shape (records that refer to each other by code), with the
 * id and version of every coded record beside it. Export, the API's reads and the checks that
 * look at a whole program use this one reader.
 */
import type { Kysely } from 'kysely';
import { compareCodes, sortByCode } from '../domain/codes.ts';
import type { LintSettings } from '../domain/lint/config.ts';
import type {
  DirectiveItemInput,
  MeasureInput,
  ProgramFile,
  RelationshipInput,
} from '../domain/program-file/schema.ts';
import { FORMAT_VERSION } from '../domain/program-file/schema.ts';
import type { TieringSettings } from '../domain/tiering.ts';
import type { DB } from './schema.ts';

export type EntityKind =
  | 'organization'
  | 'incident'
  | 'directive'
  | 'item'
  | 'measure'
  | 'milestone'
  | 'verification'
  | 'system'
  | 'access'
  | 'link'
  | 'relationship';

export interface RecordMeta {
  id: string;
  version: number;
}

export interface ProgramSnapshot {
  id: string;
  version: number;
  file: ProgramFile;
  /** `kind:code` → id and version. */
  meta: Map<string, RecordMeta>;
}

/** Turns `undefined` for every null so that absent optional fields stay absent. */
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** What every re-plan says, approved or not: when, from, to, why and who. */
const replanFields = (r: {
  made_on: string;
  from_date: string | null;
  to_date: string | null;
  reason: string;
  made_by: string | null;
}) => ({ on: r.made_on, from: r.from_date, to: r.to_date, reason: r.reason, by: opt(r.made_by) });
const prov = (r: { source: string | null; illustrative: boolean }) => ({
  ...(r.source !== null ? { source: r.source } : {}),
  ...(r.illustrative ? { illustrative: true } : {}),
});

/** Reads in one repeatable-read transaction, so every query sees the same state of the program. */
export async function readProgram(db: Kysely<DB>, programCode: string): Promise<ProgramSnapshot | undefined> {
  if (db.isTransaction) return readProgramIn(db, programCode);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((trx) => readProgramIn(trx, programCode));
}

async function readProgramIn(db: Kysely<DB>, programCode: string): Promise<ProgramSnapshot | undefined> {
  const program = await db
    .selectFrom('programs')
    .selectAll()
    .where('code', '=', programCode)
    .executeTakeFirst();
  if (!program) return undefined;
  const pid = program.id;
  const [
    orgs,
    ownerships,
    incidents,
    records,
    damage,
    directives,
    items,
    measures,
    measureItems,
    milestones,
    deps,
    replans,
    verifications,
    systems,
    access,
    rels,
    decisions,
    relSystems,
    relMeasures,
    measureOrgs,
    links,
    evidence,
  ] = await Promise.all([
    db.selectFrom('organizations').selectAll().where('program_id', '=', pid).execute(),
    db.selectFrom('ownerships').selectAll().where('program_id', '=', pid).orderBy('position').execute(),
    db.selectFrom('incidents').selectAll().where('program_id', '=', pid).execute(),
    db
      .selectFrom('incident_records as r')
      .innerJoin('incidents as i', 'i.id', 'r.incident_id')
      .selectAll('r')
      .where('i.program_id', '=', pid)
      .orderBy('r.position')
      .execute(),
    db
      .selectFrom('secondary_damage_reports as r')
      .innerJoin('incidents as i', 'i.id', 'r.incident_id')
      .selectAll('r')
      .where('i.program_id', '=', pid)
      .orderBy('r.position')
      .execute(),
    db.selectFrom('directives').selectAll().where('program_id', '=', pid).execute(),
    db.selectFrom('directive_items').selectAll().where('program_id', '=', pid).orderBy('position').execute(),
    db.selectFrom('measures').selectAll().where('program_id', '=', pid).execute(),
    db
      .selectFrom('measure_items as mi')
      .innerJoin('measures as m', 'm.id', 'mi.measure_id')
      .select(['mi.measure_id', 'mi.item_id'])
      .where('m.program_id', '=', pid)
      .execute(),
    db.selectFrom('milestones').selectAll().where('program_id', '=', pid).orderBy('position').execute(),
    db
      .selectFrom('milestone_dependencies as d')
      .innerJoin('milestones as m', 'm.id', 'd.milestone_id')
      .select(['d.milestone_id', 'd.depends_on_id'])
      .where('m.program_id', '=', pid)
      .execute(),
    db
      .selectFrom('milestone_replans as r')
      .innerJoin('milestones as m', 'm.id', 'r.milestone_id')
      .selectAll('r')
      .where('m.program_id', '=', pid)
      .orderBy('r.seq')
      .execute(),
    db.selectFrom('verifications').selectAll().where('program_id', '=', pid).orderBy('position').execute(),
    db.selectFrom('systems').selectAll().where('program_id', '=', pid).execute(),
    db.selectFrom('access_edges').selectAll().where('program_id', '=', pid).execute(),
    db.selectFrom('outsourcing_relationships').selectAll().where('program_id', '=', pid).execute(),
    db
      .selectFrom('relationship_decisions as d')
      .innerJoin('outsourcing_relationships as r', 'r.id', 'd.relationship_id')
      .selectAll('d')
      .where('r.program_id', '=', pid)
      .orderBy('d.seq')
      .execute(),
    db
      .selectFrom('relationship_systems as x')
      .innerJoin('outsourcing_relationships as r', 'r.id', 'x.relationship_id')
      .select(['x.relationship_id', 'x.system_id'])
      .where('r.program_id', '=', pid)
      .execute(),
    db
      .selectFrom('relationship_measures as x')
      .innerJoin('outsourcing_relationships as r', 'r.id', 'x.relationship_id')
      .select(['x.relationship_id', 'x.measure_id'])
      .where('r.program_id', '=', pid)
      .execute(),
    db
      .selectFrom('measure_organizations as x')
      .innerJoin('measures as m', 'm.id', 'x.measure_id')
      .select(['x.measure_id', 'x.organization_id'])
      .where('m.program_id', '=', pid)
      .execute(),
    db.selectFrom('system_links').selectAll().where('program_id', '=', pid).execute(),
    db
      .selectFrom('evidence')
      .selectAll()
      .where('program_id', '=', pid)
      .orderBy('created_at')
      .orderBy('sha256')
      .orderBy('id')
      .execute(),
  ]);

  const meta = new Map<string, RecordMeta>();
  const codeOf = new Map<string, string>();
  const note = (kind: EntityKind, r: { id: string; code: string; version: number }) => {
    meta.set(`${kind}:${r.code}`, { id: r.id, version: r.version });
    codeOf.set(r.id, r.code);
  };
  for (const r of orgs) note('organization', r);
  for (const r of incidents) note('incident', r);
  for (const r of directives) note('directive', r);
  for (const r of items) note('item', r);
  for (const r of measures) note('measure', r);
  for (const r of milestones) note('milestone', r);
  for (const r of verifications) note('verification', r);
  for (const r of systems) note('system', r);
  for (const r of access) note('access', r);
  for (const r of rels) note('relationship', r);
  for (const r of links) note('link', r);
  const code = (id: string) => codeOf.get(id)!;
  const codeOpt = (id: string | null) => (id === null ? undefined : codeOf.get(id));
  const group = <T, K>(rows: T[], key: (r: T) => K) => {
    const m = new Map<K, T[]>();
    for (const r of rows) {
      const list = m.get(key(r));
      if (list) list.push(r);
      else m.set(key(r), [r]);
    }
    return m;
  };

  const recordsBy = group(records, (r) => r.incident_id);
  const damageBy = group(damage, (r) => r.incident_id);
  const itemsBy = group(items, (r) => `${r.directive_id}/${r.parent_id ?? ''}`);
  const answersBy = group(measureItems, (r) => r.measure_id);
  const milestonesBy = group(milestones, (r) => r.measure_id);
  const depsBy = group(deps, (r) => r.milestone_id);
  const replansBy = group(replans, (r) => r.milestone_id);
  const verificationsBy = group(verifications, (r) => r.measure_id);
  const decisionsBy = group(decisions, (r) => r.relationship_id);
  const relSystemsBy = group(relSystems, (r) => r.relationship_id);
  const relMeasuresBy = group(relMeasures, (r) => r.relationship_id);
  const concernsBy = group(measureOrgs, (r) => r.measure_id);
  const evidenceBy = group(evidence, (r) => `${r.entity_type}:${r.entity_code}`);
  /** The files attached to one record, as the program file lists them. */
  const attachments = (kind: 'measure' | 'milestone' | 'verification', recordCode: string) =>
    (evidenceBy.get(`${kind}:${recordCode}`) ?? []).map((e) => ({
      sha256: e.sha256,
      filename: e.filename,
      mediaType: e.media_type,
      size: Number(e.size),
      description: opt(e.description),
      attachedBy: e.created_by,
      attachedAt: new Date(e.created_at).toISOString(),
    }));

  const itemTree = (directiveId: string, parentId: string | null): DirectiveItemInput[] =>
    (itemsBy.get(`${directiveId}/${parentId ?? ''}`) ?? []).map((i) => ({
      code: i.code,
      ...(i.label !== null ? { label: i.label } : {}),
      text: i.text,
      ...(i.text_ja !== null ? { textJa: i.text_ja } : {}),
      items: itemTree(directiveId, i.id),
    }));

  const file: ProgramFile = {
    oversight: FORMAT_VERSION,
    program: {
      code: program.code,
      name: program.name,
      nameJa: opt(program.name_ja),
      description: opt(program.description),
      timeZone: program.time_zone,
      regulatedOrganization: program.regulated_org_id ? code(program.regulated_org_id) : '',
      publicName: opt(program.public_name),
      publicNameJa: opt(program.public_name_ja),
      disclosureCadenceMonths: opt(program.disclosure_cadence_months),
      accelerationsNeedApproval: opt(program.accelerations_need_approval),
    },
    organizations: sortByCode(orgs).map((o) => ({
      code: o.code,
      name: o.name,
      nameJa: opt(o.name_ja),
      kind: o.kind as ProgramFile['organizations'][number]['kind'],
      country: opt(o.country),
      lei: opt(o.lei),
      corporateNumber: opt(o.corporate_number),
      attestedLevel: opt(o.attested_level),
      handlesConfidentialData: opt(o.handles_confidential_data),
      stoppageCritical: opt(o.stoppage_critical),
      notes: opt(o.notes),
      ...prov(o),
    })),
    ownerships: ownerships.map((o) => ({
      owner: code(o.owner_org_id),
      owned: code(o.owned_org_id),
      share: o.share,
      voting: opt(o.voting),
      asOf: opt(o.as_of),
      ...prov(o),
    })),
    incidents: sortByCode(incidents).map((x) => ({
      code: x.code,
      title: x.title,
      summary: opt(x.summary),
      accessFrom: opt(x.access_from),
      accessUntil: opt(x.access_until),
      detectedOn: opt(x.detected_on),
      containedOn: opt(x.contained_on),
      announcedOn: opt(x.announced_on),
      ...(x.is_public ? { public: true } : {}),
      records: (recordsBy.get(x.id) ?? []).map((r) => ({
        category: r.category,
        count: r.count,
        status: r.status as 'confirmed' | 'possible' | 'total',
        asOf: opt(r.as_of),
        note: opt(r.note),
        ...prov(r),
      })),
      secondaryDamage: (damageBy.get(x.id) ?? []).map((r) => ({
        reportedOn: r.reported_on,
        kind: r.kind as ProgramFile['incidents'][number]['secondaryDamage'][number]['kind'],
        count: opt(r.count),
        description: r.description,
        ...prov(r),
      })),
      ...prov(x),
    })),
    directives: sortByCode(directives).map((d) => ({
      code: d.code,
      issuer: code(d.issuer_org_id),
      issuedOn: d.issued_on,
      reference: opt(d.reference),
      title: d.title,
      titleJa: opt(d.title_ja),
      text: opt(d.full_text),
      reportDue: opt(d.report_due),
      ...(d.is_public ? { public: true } : {}),
      followsUp: codeOpt(d.follows_up_directive_id),
      items: itemTree(d.id, null),
      ...prov(d),
    })),
    systems: sortByCode(systems).map((s) => ({
      code: s.code,
      name: s.name,
      kind: s.kind as ProgramFile['systems'][number]['kind'],
      owner: codeOpt(s.owner_org_id),
      criticality: s.criticality as ProgramFile['systems'][number]['criticality'],
      dataClasses: s.data_classes,
      description: opt(s.description),
      ...prov(s),
    })),
    measures: sortByCode(measures).map(
      (m): MeasureInput => ({
        code: m.code,
        title: m.title,
        titleJa: opt(m.title_ja),
        publicTitle: opt(m.public_title),
        publicTitleJa: opt(m.public_title_ja),
        description: opt(m.description),
        category: m.category as MeasureInput['category'],
        kind: m.kind as MeasureInput['kind'],
        owner: opt(m.owner_name),
        organization: codeOpt(m.organization_id),
        status: m.status as MeasureInput['status'],
        adoptedOn: opt(m.adopted_on),
        answers: (answersBy.get(m.id) ?? []).map((a) => code(a.item_id)).sort(compareCodes),
        concerns: (concernsBy.get(m.id) ?? []).map((x) => code(x.organization_id)).sort(compareCodes),
        milestones: (milestonesBy.get(m.id) ?? []).map((ms) => ({
          code: ms.code,
          title: ms.title,
          committedOn: ms.committed_on,
          planned: ms.planned_date,
          actual: opt(ms.actual_date),
          dependsOn: (depsBy.get(ms.id) ?? []).map((d) => code(d.depends_on_id)).sort(compareCodes),
          // Only approved re-plans are the plan's history; the others wait, or were refused.
          replans: (replansBy.get(ms.id) ?? [])
            .filter((r) => r.status === 'approved')
            .map((r) => ({
              ...replanFields(r),
              approvedBy: opt(r.decided_by),
              approvedOn: opt(r.decided_on),
            })),
          replanRequests: (replansBy.get(ms.id) ?? [])
            .filter((r) => r.status !== 'approved')
            .map((r) => ({
              ...replanFields(r),
              status: r.status as 'pending' | 'refused',
              decidedBy: opt(r.decided_by),
              decidedOn: opt(r.decided_on),
              decisionNote: opt(r.decision_note),
            })),
          attachments: attachments('milestone', ms.code),
          ...prov(ms),
        })),
        verifications: (verificationsBy.get(m.id) ?? []).map((v) => ({
          code: v.code,
          method: v.method,
          plannedOn: opt(v.planned_on),
          performedOn: opt(v.performed_on),
          result: opt(v.result) as MeasureInput['verifications'][number]['result'],
          evidence: opt(v.evidence_note),
          recurrence: v.recurrence as MeasureInput['verifications'][number]['recurrence'],
          followUpMeasure: codeOpt(v.follow_up_measure_id),
          notes: opt(v.notes),
          attachments: attachments('verification', v.code),
          ...prov(v),
        })),
        attachments: attachments('measure', m.code),
        ...prov(m),
      }),
    ),
    access: sortByCode(access).map((a) => ({
      code: a.code,
      organization: code(a.organization_id),
      system: code(a.system_id),
      via: a.via as ProgramFile['access'][number]['via'],
      from: opt(a.from_date),
      until: opt(a.until_date),
      untilMilestone: codeOpt(a.until_milestone_id),
      description: opt(a.description),
      ...prov(a),
    })),
    links: sortByCode(links).map((l) => ({
      code: l.code,
      system: code(l.system_id),
      reaches: code(l.reaches_system_id),
      via: l.via as ProgramFile['links'][number]['via'],
      from: opt(l.from_date),
      until: opt(l.until_date),
      untilMilestone: codeOpt(l.until_milestone_id),
      description: opt(l.description),
      ...prov(l),
    })),
    relationships: sortByCode(rels).map(
      (r): RelationshipInput => ({
        code: r.code,
        title: r.title,
        customer: code(r.customer_org_id),
        provider: code(r.provider_org_id),
        scope: r.scope as RelationshipInput['scope'],
        startedOn: opt(r.started_on),
        description: opt(r.description),
        systems: (relSystemsBy.get(r.id) ?? []).map((x) => code(x.system_id)).sort(compareCodes),
        measures: (relMeasuresBy.get(r.id) ?? []).map((x) => code(x.measure_id)).sort(compareCodes),
        decisions: (decisionsBy.get(r.id) ?? []).map((d) => ({
          on: d.decided_on,
          decision: d.decision as RelationshipInput['decisions'][number]['decision'],
          targetDate: opt(d.target_date),
          reason: opt(d.reason),
          by: opt(d.decided_by),
        })),
        ...prov(r),
      }),
    ),
    ...(lintSettings(program.lint_config) ? { lint: lintSettings(program.lint_config) } : {}),
    ...(lintSettings(program.tiering_config) ? { tiering: program.tiering_config as TieringSettings } : {}),
  };
  return { id: program.id, version: program.version, file, meta };
}

/** The stored lint settings, or undefined when the program states none. */
function lintSettings(stored: unknown): LintSettings | undefined {
  if (stored === null || typeof stored !== 'object' || Object.keys(stored).length === 0) return undefined;
  return stored as LintSettings;
}
