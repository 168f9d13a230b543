/**
 * The frame a POA&M's plan is imported into: the program (code, name, time zone), the regulated
 * organization and the regulator (from the metadata's parties and their roles), and the directive
 * whose items the measures answer. Oversight's own export says all of this in its props; for any
 * other POA&M each value is taken from what the document does say, and the report says so.
 */
import { isTimeZone } from '../dates.ts';
import { dayOfDateTime } from '../oscal.ts';
import type { DirectiveInput, OrganizationInput, ProgramInfo } from '../program-file/schema.ts';
import { codeKeeper, fitText, isCode, type MapContext, own, ownDate, ownEntries } from './context.ts';
import { at, type OscalParty, ROOT } from './oscal-types.ts';
import type { ReportNote } from './report.ts';

export interface ImportSettings {
  /** The program's code (`--program`): else Oversight's own, else made from the system-id. */
  program?: string | undefined;
  /** The program's IANA time zone (`--time-zone`): else Oversight's own, else from the document's offset. */
  timeZone?: string | undefined;
}

export interface Setting {
  program: ProgramInfo;
  organizations: OrganizationInput[];
  directive: Omit<DirectiveInput, 'items'>;
}

const META = at(ROOT, 'metadata');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Roles whose party is the organization the plan is about (Oversight's, and OSCAL's usual ones). */
const REGULATED_ROLES = ['regulated-organization', 'system-owner', 'prepared-for'];
const REGULATOR_ROLES = ['regulator'];

export function mapSetting(ctx: MapContext, options: ImportSettings): Setting {
  const { poam } = ctx;
  const meta = poam.metadata;
  ctx.usage.use(
    at(META, 'title'),
    at(META, 'last-modified'),
    at(META, 'version'),
    at(META, 'oscal-version'),
    at(ROOT, 'uuid'),
  );
  // Oversight's own prose (what the report is, how it was made) is made again by its next report.
  if (ctx.ours && meta.remarks !== undefined) ctx.usage.use(at(META, 'remarks'));
  own(ctx, meta.props, META, 'as-of');

  const code = programCode(ctx, options);
  const timeZone = programZone(ctx, options);
  const nameNotes: ReportNote[] = [];
  const ownName = own(ctx, meta.props, META, 'program-name');
  const name = fitText(ownName ?? meta.title, 300, 'program.name', nameNotes) ?? code;
  if (ownName === undefined)
    ctx.supplied.push({ field: 'program.name', value: name, key: 'oscal.supplied.programName' });

  const { organizations, regulated, regulator } = mapParties(ctx);
  const directive = mapDirective(ctx, regulator ?? regulated);
  return {
    program: { code, name, timeZone, regulatedOrganization: regulated },
    organizations,
    directive,
  };
}

function programCode(ctx: MapContext, options: ImportSettings): string {
  const { poam } = ctx;
  const system = poam['system-id'];
  if (system) ctx.usage.use(at(ROOT, 'system-id'));
  const supply = (value: string, key: string, params?: Record<string, unknown>) => {
    ctx.supplied.push({ field: 'program.code', value, key, ...(params ? { params } : {}) });
    return value;
  };
  if (options.program !== undefined) return supply(options.program, 'oscal.supplied.programOption');
  if (ctx.ours && isCode(system?.id)) return system.id;
  if (system && UUID.test(system.id))
    return supply(`POAM-${system.id.slice(0, 8)}`, 'oscal.supplied.programFromSystemId', { id: system.id });
  if (isCode(system?.id)) return supply(system.id, 'oscal.supplied.programFromSystemId', { id: system.id });
  return supply(`POAM-${poam.uuid.slice(0, 8)}`, 'oscal.supplied.programFromUuid', { id: poam.uuid });
}

/**
 * The zone: the option, else Oversight's prop, else the fixed-offset zone of the document's
 * last-modified (Etc/GMT-9 for +09:00: IANA's signs are inverted), UTC when that offset is zero or
 * not a whole number of hours.
 */
function programZone(ctx: MapContext, options: ImportSettings): string {
  const meta = ctx.poam.metadata;
  if (options.timeZone !== undefined) {
    ctx.supplied.push({
      field: 'program.timeZone',
      value: options.timeZone,
      key: 'oscal.supplied.zoneOption',
    });
    return options.timeZone;
  }
  const stated = ownEntries(ctx, meta.props, META, 'time-zone')[0];
  if (stated !== undefined && isTimeZone(stated.value)) return stated.value;
  if (stated !== undefined)
    ctx.unmapped.push({
      path: stated.path,
      key: 'oscal.unmapped.badProp',
      params: { name: 'time-zone', value: stated.value },
    });
  const offset = /(Z|[+-]\d{2}:\d{2})$/i.exec(meta['last-modified'])?.[1] ?? 'Z';
  const [, sign, hh, mm] = /^([+-])(\d{2}):(\d{2})$/.exec(offset) ?? [];
  const hours = sign === undefined ? 0 : Number(hh) * (sign === '-' ? -1 : 1);
  const zone =
    sign === undefined || (hours === 0 && mm === '00') || mm !== '00'
      ? 'UTC'
      : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
  const value = isTimeZone(zone) ? zone : 'UTC';
  ctx.supplied.push({
    field: 'program.timeZone',
    value,
    key: 'oscal.supplied.zoneFromOffset',
    params: { offset },
  });
  return value;
}

interface PartyRef {
  party: OscalParty;
  index: number;
  role: string;
  /** Pointers of the responsible-party entry that names it. */
  via: string[];
}

/** The first organization party that holds one of `roles`, in the order of responsible-parties. */
function partyWithRole(ctx: MapContext, roles: readonly string[]): PartyRef | undefined {
  const meta = ctx.poam.metadata;
  const parties = meta.parties ?? [];
  for (const [j, rp] of (meta['responsible-parties'] ?? []).entries()) {
    if (!roles.includes(rp['role-id'])) continue;
    for (const [k, uuid] of rp['party-uuids'].entries()) {
      const index = parties.findIndex((p) => p.uuid === uuid && p.type === 'organization');
      if (index >= 0)
        return {
          party: parties[index]!,
          index,
          role: rp['role-id'],
          via: [
            at(META, 'responsible-parties', j, 'role-id'),
            at(META, 'responsible-parties', j, 'party-uuids', k),
          ],
        };
    }
  }
  return undefined;
}

function mapParties(ctx: MapContext): {
  organizations: OrganizationInput[];
  regulated: string;
  regulator: string | undefined;
} {
  const meta = ctx.poam.metadata;
  const codes = codeKeeper();
  const organizations: OrganizationInput[] = [];
  const byParty = new Map<number, string>();
  const take = (ref: PartyRef, kind: 'regulated' | 'regulator'): string => {
    const known = byParty.get(ref.index);
    ctx.usage.use(...ref.via);
    (meta.roles ?? []).forEach((r, i) => {
      if (r.id === ref.role) ctx.usage.use(at(META, 'roles', i));
    });
    if (known !== undefined) return known;
    const base = at(META, 'parties', ref.index);
    ctx.usage.use(at(base, 'uuid'), at(base, 'type'), at(base, 'name'), at(base, 'short-name'));
    const notes: ReportNote[] = [{ key: 'oscal.note.role', params: { role: ref.role } }];
    const code = codes.take(ref.party['short-name'], `ORG-${organizations.length + 1}`);
    const name = fitText(ref.party.name ?? ref.party['short-name'], 300, 'name', notes) ?? code;
    organizations.push({ code, name, kind });
    byParty.set(ref.index, code);
    ctx.mapped.push({ path: base, became: 'organization', code, title: name, notes });
    return code;
  };

  const regulatedRef = partyWithRole(ctx, REGULATED_ROLES);
  let regulated: string;
  if (regulatedRef) regulated = take(regulatedRef, 'regulated');
  else {
    const system = ctx.poam['system-id']?.id;
    regulated = codes.take('OWNER', 'OWNER');
    const name = system ? `Owner of system ${system}` : `Owner of the plan: ${meta.title}`.slice(0, 300);
    organizations.push({ code: regulated, name, kind: 'regulated' });
    ctx.supplied.push({
      field: 'organizations',
      value: `${regulated}: ${name}`,
      key: 'oscal.supplied.regulated',
      params: { roles: REGULATED_ROLES.join(', ') },
    });
  }
  const regulatorRef = partyWithRole(ctx, REGULATOR_ROLES);
  const regulator = regulatorRef ? take(regulatorRef, 'regulator') : undefined;
  return { organizations, regulated, regulator };
}

function mapDirective(ctx: MapContext, issuer: string): Omit<DirectiveInput, 'items'> {
  const meta = ctx.poam.metadata;
  const notes: ReportNote[] = [];
  const ownCode = own(ctx, meta.props, META, 'directive');
  const code = isCode(ownCode) ? ownCode : 'POAM';
  const ownTitle = own(ctx, meta.props, META, 'directive-title');
  const title = fitText(ownTitle ?? meta.title, 500, 'title', notes) ?? code;
  const published = meta.published === undefined ? undefined : dayOfDateTime(meta.published);
  const ownIssued = ownDate(ctx, meta.props, META, 'directive-issued');
  const issuedOn = ownIssued ?? published ?? ctx.day;
  if (ownIssued === undefined && published !== undefined) ctx.usage.use(at(META, 'published'));
  const reference = fitText(
    own(ctx, meta.props, META, 'directive-reference') ??
      (ctx.ours ? undefined : `OSCAL POA&M ${ctx.poam.uuid}, version ${meta.version}`),
    200,
    'reference',
    notes,
  );
  let reportDue = ownDate(ctx, meta.props, META, 'report-due');
  if (reportDue !== undefined && reportDue < issuedOn) {
    const path = ownEntries(ctx, meta.props, META, 'report-due')[0]!.path;
    ctx.unmapped.push({
      path,
      key: 'oscal.unmapped.badProp',
      params: { name: 'report-due', value: reportDue },
    });
    reportDue = undefined;
  }
  // The directive it follows up is not in the POA&M, and a program file refers only to what it holds.
  const followsUp = ownEntries(ctx, meta.props, META, 'follows-up')[0];
  if (followsUp !== undefined)
    ctx.unmapped.push({
      path: followsUp.path,
      key: 'oscal.unmapped.followsUp',
      params: { code: followsUp.value },
    });

  if (ownCode === undefined)
    ctx.supplied.push({
      field: 'directives[0]',
      value: `${code}: ${title}`,
      key: 'oscal.supplied.directive',
      params: { issuer, issuedOn },
    });
  else ctx.mapped.push({ path: META, became: 'directive', code, title, notes });
  return {
    code,
    issuer,
    issuedOn,
    title,
    ...(reference !== undefined ? { reference } : {}),
    ...(reportDue !== undefined ? { reportDue } : {}),
  };
}
