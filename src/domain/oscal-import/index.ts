/**
 * OSCAL POA&M (JSON) → a program file and a mapping report. Pure: the text in, the program and the
 * report (or a failure saying what is wrong and where) out; the service imports the program.
 *
 * Steps: parse.ts (JSON, a POA&M, NIST's OSCAL 1.0.6 schema), setting.ts (program, organizations,
 * directive), plan.ts and milestones.ts (measures, milestones, directive items), report.ts (what
 * became what, what was supplied, and every part of the document that was not read). The program is
 * checked with the program-file schema and checks before it is handed on, so an import never fails
 * halfway. docs/oscal-import.md has the mapping table.
 */
import { isTimeZone } from '../dates.ts';
import { formatPath } from '../errors.ts';
import { dayOfDateTime, OVERSIGHT_PROGRAM_ID_TYPE } from '../oscal.ts';
import { checkProgramFile } from '../program-file/check.ts';
import { zodIssues } from '../program-file/parse.ts';
import { FORMAT_VERSION, type ProgramFile, programFileSchema } from '../program-file/schema.ts';
import { isCode, type MapContext, ownDate } from './context.ts';
import { at, type OscalDocument, ROOT } from './oscal-types.ts';
import { type OscalFailure, parsePoamText } from './parse.ts';
import { mapPlan } from './plan.ts';
import { leftovers, type OscalImportReport, Usage } from './report.ts';
import { type ImportSettings, mapSetting } from './setting.ts';

export type { OscalFailure } from './parse.ts';
export type { OscalImportReport } from './report.ts';
export type { ImportSettings } from './setting.ts';

export type OscalRead = { ok: true; file: ProgramFile; report: OscalImportReport } | OscalFailure;

/** Reads a POA&M's text into a program and its mapping report, or into what is wrong with it. */
export function readOscalPoam(text: string, options: ImportSettings = {}): OscalRead {
  if (options.program !== undefined && !isCode(options.program))
    return { ok: false, key: 'errors.oscal_bad_program', params: { value: options.program }, issues: [] };
  if (options.timeZone !== undefined && !isTimeZone(options.timeZone))
    return { ok: false, key: 'errors.oscal_bad_zone', params: { value: options.timeZone }, issues: [] };
  const parsed = parsePoamText(text);
  if (!parsed.ok) return parsed;
  return mapPoam(parsed.document, options);
}

/** Maps a POA&M that passed the schema. */
export function mapPoam(document: OscalDocument, options: ImportSettings = {}): OscalRead {
  const poam = document['plan-of-action-and-milestones'];
  const meta = poam.metadata;
  const usage = new Usage();
  if ('$schema' in document) usage.use('/$schema');
  const ctx: MapContext = {
    poam,
    ours: poam['system-id']?.['identifier-type'] === OVERSIGHT_PROGRAM_ID_TYPE,
    usage,
    mapped: [],
    supplied: [],
    unmapped: [],
    day: '',
  };
  ctx.day =
    ownDate(ctx, meta.props, at(ROOT, 'metadata'), 'as-of') ??
    dayOfDateTime(meta['last-modified']) ??
    meta['last-modified'].slice(0, 10);

  const setting = mapSetting(ctx, options);
  const plan = mapPlan(ctx);
  const draft = {
    oversight: FORMAT_VERSION,
    program: setting.program,
    organizations: setting.organizations,
    directives: [{ ...setting.directive, items: plan.items }],
    measures: plan.measures,
  };
  // Whatever the document held, what is handed on is a program the import takes whole.
  const checked = programFileSchema.safeParse(draft);
  const issues = [
    ...(checked.success ? [] : zodIssues(checked.error.issues).map(({ rawPath: _r, ...i }) => i)),
    ...checkProgramFile(draft).map((i) => ({ ...i, path: formatPath(i.path) })),
  ];
  if (!checked.success || issues.length > 0)
    return { ok: false, key: 'errors.oscal_unmappable', params: { count: issues.length }, issues };

  const file = checked.data;
  const tasks = (poam.risks ?? []).flatMap((r) => (r.remediations ?? []).flatMap((x) => x.tasks ?? []));
  const report: OscalImportReport = {
    document: {
      uuid: poam.uuid,
      title: meta.title,
      version: meta.version,
      oscalVersion: meta['oscal-version'],
      lastModified: meta['last-modified'],
      fromOversight: ctx.ours,
    },
    program: file.program.code,
    counts: {
      poamItems: poam['poam-items'].length,
      risks: (poam.risks ?? []).length,
      milestoneTasks: tasks.filter((t) => t.type === 'milestone').length,
      measures: file.measures.length,
      milestones: file.measures.reduce((n, m) => n + m.milestones.length, 0),
      items: plan.items.length,
      organizations: file.organizations.length,
    },
    mapped: ctx.mapped,
    supplied: ctx.supplied,
    unmapped: [...ctx.unmapped, ...leftovers(document, usage)].sort((a, b) =>
      comparePointers(a.path, b.path),
    ),
  };
  return { ok: true, file, report };
}

/** Document order for the pointers of one document: list positions compared as numbers. */
function comparePointers(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    const [p, q] = [Number(x[i]), Number(y[i])];
    if (Number.isInteger(p) && Number.isInteger(q)) return p - q;
    return x[i]! < y[i]! ? -1 : 1;
  }
  return x.length - y.length;
}
