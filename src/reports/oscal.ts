/**
 * A report as an OSCAL 1.0.6 Plan of Action and Milestones (POA&M), JSON: for a regulator's or an
 * auditor's GRC tool. It validates against NIST's schema (schema/oscal/oscal_poam_schema.json, checked
 * in test/reports/oscal.test.ts). Every word comes from `reportText`; OSCAL's own tokens (EXAMINE,
 * milestone, open/closed, SHA-256…) are OSCAL's.
 *
 * Mapping (model → OSCAL):
 * - metadata: title = rpt.title with the directive code; last-modified = generatedAt; version = the
 *   report's day (asOf); oscal-version 1.0.6; roles `regulated-organization` and `regulator`, one party
 *   (organization) for each, tied by responsible-parties; props `program-name`, `time-zone`, `directive`,
 *   `directive-title`, `directive-issued`, `directive-reference`, `report-due`, `follows-up`, `as-of`,
 *   `previous-as-of`; remarks = the report's subtitle, day, due date, what it is compared with, and
 *   how it was made.
 * - system-id: identifier-type https://oversight.example/ns/oscal/program, id = the program code
 *   (there is no SSP to import).
 * - observations: one per lint finding the report shows (errors and warnings): description = rule and
 *   the finding in words, methods EXAMINE, types finding, collected = generatedAt; props rule,
 *   severity, record kind, code and path.
 * - risks: one per measure of the report. title = code and title; description = the directive items
 *   it answers (by code); statement = declared status, status by its milestones, committed date;
 *   status `closed` when it has milestones and all are done (or, without milestones, its derived
 *   status is done or verified), else `open`; deadline = committed date; one remediation (lifecycle
 *   planned, or completed when closed) whose tasks are the milestones (type milestone, timing on-date
 *   at the actual date when done, else the planned date; none when undated; props baseline, planned
 *   and actual dates, slip days, late) and whose remarks, and each task's, list the re-plans made since
 *   the previous report with their reasons; related-observations = findings on the measure.
 * - poam-items: one per measure: title = code and title; description = the directive items and
 *   bullets it answers, with their texts; related-risks = its risk; related-observations = the
 *   findings whose record is the measure or one of its milestones or verifications; props measure,
 *   category, kind, declared and derived status, owner, committed date, illustrative, and one `answers`
 *   per directive item it answers (its code); links to the
 *   back-matter resources of its evidence (rel evidence). With no measure at all, one poam-item for
 *   the directive itself saying that no measure answers it yet (OSCAL requires one poam-item).
 * - back-matter: one resource per evidence file: title = filename, prop attached-to = the record's
 *   code, and an rlink whose href is the file name as a relative reference (the file as submitted
 *   beside this document) with its SHA-256 in `hashes` — OSCAL allows hashes only on an rlink.
 *
 * The import (domain/oscal-import/) reads these props back, so that an export re-imports to the same
 * plan (docs/oscal-import.md).
 *
 * Dates: a calendar date is written as 00:00 of that day in the program's time zone, with the offset
 * the zone has then (+09:00 for Asia/Tokyo), found with Intl. Instants (generatedAt) are written in
 * the same zone.
 *
 * UUIDs are name-based (RFC 9562 version 5, SHA-1, in an Oversight namespace), so the same model and
 * options give the same bytes. Following OSCAL's guidance that a UUID is assigned per subject and kept
 * across revisions, the names carry no report day or language: the poam-item of measure M-NETSEP in
 * the answers to MIC-2024-04-16 is named `oversight:LY-2024/directive/MIC-2024-04-16/measure/M-NETSEP`
 * in every report on that directive, and the document `oversight:LY-2024/directive/MIC-2024-04-16/poam`;
 * `version` says which report it is. Parties (`oversight:LY-2024/organization/MIC`) and evidence are
 * named within the program only. Codes may hold `:` but never `/`, so no two subjects share a name.
 */
import { createHash } from 'node:crypto';
import { type CalendarDate, parseInstant, zonedInstant, zoneOffset } from '../domain/dates.ts';
import { markdownEscape as md, OVERSIGHT_NS, OVERSIGHT_PROGRAM_ID_TYPE } from '../domain/oscal.ts';
import type { Language } from '../i18n/index.ts';
import type { ReportMeasure, ReportModel } from './model.ts';
import { type ReportText, reportText } from './text.ts';

export const OSCAL_VERSION = '1.0.6';
export { OVERSIGHT_NS };

const SYSTEM_ID_TYPE = OVERSIGHT_PROGRAM_ID_TYPE;

/** RFC 9562's namespace for names that are URLs. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A name-based UUID, version 5 (SHA-1 of namespace and name, RFC 9562 §5.5). */
export function nameUuid(name: string, namespace: string = OVERSIGHT_UUID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const bytes = Buffer.from(createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The namespace of every UUID Oversight derives: the v5 UUID of its OSCAL namespace URL. */
export const OVERSIGHT_UUID_NAMESPACE = nameUuid(OVERSIGHT_NS, URL_NAMESPACE);

interface Prop {
  name: string;
  ns?: string;
  value: string;
}
interface Link {
  href: string;
  rel?: string;
  text?: string;
}
interface Task {
  uuid: string;
  type: 'milestone';
  title: string;
  description: string;
  props?: Prop[];
  timing?: { 'on-date': { date: string } };
  remarks?: string;
}

/** An OSCAL string (no line break, no space at either end); undefined when nothing is left. */
const oneLine = (s: string | null | undefined): string | undefined => {
  const v = (s ?? '').replace(/\s+/g, ' ').trim();
  return v === '' ? undefined : v;
};

/** Oversight's own prop; left out when it has no value. */
const prop = (name: string, value: string | number | boolean | null | undefined): Prop[] => {
  const v = value === null || value === undefined ? undefined : oneLine(String(value));
  return v === undefined ? [] : [{ name, ns: OVERSIGHT_NS, value: v }];
};

/** An array OSCAL may hold (at least one member), or nothing. */
const some = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined);

/** An instant as the zone's wall clock shows it, with the zone's offset then: 2026-03-31T00:00:00+09:00. */
export function zonedDateTime(at: Date, timeZone: string): string {
  const offset = zoneOffset(timeZone, at.getTime());
  // An offset in seconds (local mean time, before 1900) has no OSCAL form: say it in UTC.
  if (offset % 60_000 !== 0) return at.toISOString();
  const wall = new Date(at.getTime() + offset).toISOString().slice(0, 19);
  const ms = at.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`;
  if (offset === 0) return `${wall}${fraction}Z`;
  const minutes = Math.abs(offset) / 60_000;
  const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return `${wall}${fraction}${offset < 0 ? '-' : '+'}${hhmm}`;
}

/** A calendar date as OSCAL's date-time: the start of that day in the zone. */
export function zonedDay(day: CalendarDate, timeZone: string): string {
  return zonedDateTime(zonedInstant(day, 0, timeZone), timeZone);
}

/** Gives each name one UUID; a name met again (two identical findings) gets a numbered one. */
function uuidRegistry() {
  const seen = new Map<string, number>();
  return (name: string): string => {
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return nameUuid(n === 0 ? name : `${name}#${n + 1}`);
  };
}

/** Whether a finding is about a measure: the measure itself or one of its milestones or verifications. */
const concerns = (path: string, measure: string) =>
  path === `measures/${measure}` || path.startsWith(`measures/${measure}/`);

function isClosed(m: ReportMeasure): boolean {
  if (m.milestones.length > 0) return m.milestones.every((ms) => ms.actual !== null);
  return m.derived === 'done' || m.derived === 'verified';
}

export function renderOscalPoam(
  model: ReportModel,
  options: { lang: Language; generatedAt: string /* ISO instant */ },
): string {
  const x: ReportText = reportText(model, options.lang);
  const zone = model.program.timeZone;
  const at = parseInstant(options.generatedAt);
  if (!at) throw new Error(`generatedAt is not an instant with an offset: ${options.generatedAt}`);
  const generatedAt = zonedDateTime(at, zone);
  const day = (d: CalendarDate) => zonedDay(d, zone);
  const list = (codes: string[]) =>
    new Intl.ListFormat(options.lang, { type: 'conjunction', style: 'long' }).format(codes);
  const directive = model.directive;
  const base = `oversight:${model.program.code}/directive/${directive.code}`;
  const uuid = uuidRegistry();

  // Parties: the regulated organization and the regulator (one party when they are the same).
  const partyUuid = (code: string) => nameUuid(`oversight:${model.program.code}/organization/${code}`);
  const parties = [model.organization, directive.issuer]
    .filter((o, i, all) => all.findIndex((p) => p.code === o.code) === i)
    .map((o) => ({
      uuid: partyUuid(o.code),
      type: 'organization' as const,
      name: oneLine(x.name(o)) ?? o.code,
      'short-name': oneLine(o.code),
    }));

  const previous = model.previous
    ? x.t(model.previous.kind === 'report' ? 'rpt.previousReport' : 'rpt.previousDue', {
        directive: model.previous.directive,
        date: x.date(model.previous.asOf),
      })
    : x.t('rpt.noPrevious');
  const metadata = {
    title: md(x.t('rpt.oscal.title', { title: x.t('rpt.title'), directive: directive.code })),
    'last-modified': generatedAt,
    version: model.asOf,
    'oscal-version': OSCAL_VERSION,
    props: some([
      ...prop('program-name', model.program.name),
      ...prop('time-zone', zone),
      ...prop('directive', directive.code),
      ...prop('directive-title', directive.title),
      ...prop('directive-issued', directive.issuedOn),
      ...prop('directive-reference', directive.reference),
      ...prop('report-due', directive.reportDue),
      ...prop('follows-up', directive.followsUp),
      ...prop('as-of', model.asOf),
      ...prop('previous-as-of', model.previous?.asOf),
    ]),
    roles: [
      { id: 'regulated-organization', title: md(x.t('rpt.oscal.roleRegulated')) },
      { id: 'regulator', title: md(x.t('rpt.oscal.roleRegulator')) },
    ],
    parties,
    'responsible-parties': [
      { 'role-id': 'regulated-organization', 'party-uuids': [partyUuid(model.organization.code)] },
      { 'role-id': 'regulator', 'party-uuids': [partyUuid(directive.issuer.code)] },
    ],
    remarks: [
      x.t('rpt.subtitle', {
        directive: directive.code,
        issuer: x.name(directive.issuer),
        issuedOn: x.date(directive.issuedOn),
      }),
      x.t('rpt.asOf', { date: x.date(model.asOf) }),
      ...(directive.reportDue ? [x.t('rpt.due', { date: x.date(directive.reportDue) })] : []),
      previous,
      x.t('rpt.generated', { program: model.program.code, date: x.date(model.asOf) }),
    ]
      .map(md)
      .join('\n\n'),
  };

  const observations = model.findings.map((f) => ({
    finding: f,
    uuid: uuid(`${base}/finding/${f.rule}/${f.path}`),
  }));
  const observationsOf = (measure: string) => {
    const related = observations
      .filter((o) => concerns(o.finding.path, measure))
      .map((o) => ({ 'observation-uuid': o.uuid }));
    return some(related);
  };

  // Evidence resources, and the measure each belongs to.
  const resources = model.measures.flatMap((m) =>
    m.evidence.map((e) => ({
      measure: m.code,
      resource: {
        uuid: uuid(`oversight:${model.program.code}/evidence/${e.code}/${e.sha256}/${e.filename}`),
        title: md(e.filename),
        props: prop('attached-to', e.code),
        rlinks: [
          {
            href: encodeURIComponent(e.filename),
            hashes: [{ algorithm: 'SHA-256', value: e.sha256.toLowerCase() }],
          },
        ],
      },
    })),
  );

  const replanLine = (r: ReportMeasure['milestones'][number]['replansSince'][number]) =>
    x.t('rpt.replan', {
      on: x.date(r.on),
      from: x.date(r.from),
      to: x.date(r.to),
      days: x.shift(r.days),
      reason: r.reason,
    });

  const risks = [];
  const poamItems = [];
  for (const m of model.measures) {
    const title = md(`${m.code}: ${x.measureTitle(m)}`);
    const items = model.items.filter((i) => i.measures.includes(m.code));
    const closed = isClosed(m);
    const riskUuid = uuid(`${base}/measure/${m.code}/risk`);
    const related = observationsOf(m.code);

    const tasks: Task[] = m.milestones.map((ms) => {
      const when = ms.actual ?? ms.planned;
      const key = ms.actual ? 'rpt.oscal.taskDone' : ms.late ? 'rpt.oscal.taskLate' : 'rpt.oscal.task';
      return {
        uuid: uuid(`${base}/milestone/${ms.code}`),
        type: 'milestone',
        title: md(`${ms.code}: ${ms.title}`),
        description: md(
          x.t(key, {
            baseline: x.date(ms.baseline),
            planned: x.date(ms.planned),
            actual: x.date(ms.actual),
            slip: x.shift(ms.slipDays),
          }),
        ),
        props: some([
          ...prop('milestone', ms.code),
          ...prop('baseline-date', ms.baseline),
          ...prop('planned-date', ms.planned),
          ...prop('actual-date', ms.actual),
          ...prop('slip-days', ms.slipDays),
          ...prop('late', ms.late ? true : null),
        ]),
        timing: when ? { 'on-date': { date: day(when) } } : undefined,
        remarks:
          ms.replansSince.length > 0
            ? [md(x.t('rpt.replans')), ...ms.replansSince.map((r) => `- ${md(replanLine(r))}`)].join('\n\n')
            : undefined,
      };
    });
    const replans = m.milestones.flatMap((ms) =>
      ms.replansSince.map((r) => `- ${md(`${ms.code}: ${replanLine(r)}`)}`),
    );

    risks.push({
      uuid: riskUuid,
      title,
      description: md(
        items.length > 0
          ? x.t('rpt.oscal.riskDescription', {
              items: list(items.map((i) => i.code)),
              directive: directive.code,
            })
          : x.t('rpt.oscal.answersNone', { directive: directive.code }),
      ),
      statement: md(
        x.t('rpt.oscal.statement', {
          declared: x.t(`status.${m.declared}`),
          derived: x.t(`status.${m.derived}`),
          committed: x.date(m.committed),
        }),
      ),
      props: prop('measure', m.code),
      status: closed ? 'closed' : 'open',
      deadline: m.committed ? day(m.committed) : undefined,
      remediations: [
        {
          uuid: uuid(`${base}/measure/${m.code}/remediation`),
          lifecycle: closed ? 'completed' : 'planned',
          title,
          description: md(x.t('rpt.oscal.remediation', { committed: x.date(m.committed) })),
          tasks: some(tasks),
          remarks: replans.length > 0 ? [md(x.t('rpt.replans')), ...replans].join('\n\n') : undefined,
        },
      ],
      'related-observations': related,
    });

    poamItems.push({
      uuid: uuid(`${base}/measure/${m.code}`),
      title,
      description:
        items.length > 0
          ? [
              md(x.t('rpt.oscal.answers', { directive: directive.code })),
              items.map((i) => `- ${md(`${i.code}: ${x.itemText(i)}`)}`).join('\n'),
            ].join('\n\n')
          : md(x.t('rpt.oscal.answersNone', { directive: directive.code })),
      props: some([
        ...prop('measure', m.code),
        ...prop('category', m.category),
        ...prop('kind', m.kind),
        ...prop('declared-status', m.declared),
        ...prop('derived-status', m.derived),
        ...prop('owner', m.owner),
        ...prop('committed-date', m.committed),
        ...prop('illustrative', m.illustrative ? true : null),
        ...items.flatMap((i) => prop('answers', i.code)),
      ]),
      links: some(
        resources
          .filter((r) => r.measure === m.code)
          .map((r): Link => ({ href: `#${r.resource.uuid}`, rel: 'evidence', text: r.resource.title })),
      ),
      'related-observations': related,
      'related-risks': [{ 'risk-uuid': riskUuid }],
    });
  }

  // OSCAL wants at least one poam-item: with no measure yet, the directive itself is the open item.
  if (poamItems.length === 0)
    poamItems.push({
      uuid: uuid(`${base}/unanswered`),
      title: md(`${directive.code}: ${directive.title}`),
      description: md(x.t('rpt.noMeasures')),
      props: prop('directive', directive.code),
    });

  const document = {
    'plan-of-action-and-milestones': {
      uuid: nameUuid(`${base}/poam`),
      metadata,
      'system-id': { 'identifier-type': SYSTEM_ID_TYPE, id: model.program.code },
      observations: some(
        observations.map(({ finding: f, uuid: id }) => ({
          uuid: id,
          description: md(`${f.rule}: ${x.finding(f)}`),
          props: some([
            ...prop('rule', f.rule),
            ...prop('severity', f.severity),
            ...prop('record-kind', f.kind),
            ...prop('record-code', f.code),
            ...prop('record-path', f.path),
          ]),
          methods: ['EXAMINE'],
          types: ['finding'],
          collected: generatedAt,
        })),
      ),
      risks: some(risks),
      'poam-items': poamItems,
      'back-matter': resources.length > 0 ? { resources: resources.map((r) => r.resource) } : undefined,
    },
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
