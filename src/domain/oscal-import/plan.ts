/**
 * The plan of a POA&M: each poam-item, with the risks it relates to, becomes a measure; a risk no
 * poam-item relates to becomes a measure of its own; the milestone tasks of the risks' planned or
 * completed remediations become the measure's milestones (milestones.ts). Oversight's own export
 * carries codes, category, kind, status and the directive items answered in props, used as they
 * are; any other POA&M gets readable codes (M-1…, milestones MS-1-1…, items I-1…) and defaults.
 *
 * Status of a measure — never `closed`, which needs an effective verification with evidence that a
 * POA&M does not give: Oversight's `declared-status` when present (`closed` becomes `completed`);
 * else `completed` when all its risks are closed, `in_progress` when one is being remediated or a
 * milestone of its plan has started by the document's day, `planned` otherwise.
 */
import type { CalendarDate } from '../dates.ts';
import { markdownEscape, markdownUnescape, OVERSIGHT_NS } from '../oscal.ts';
import type { DirectiveItemInput } from '../program-file/schema.ts';
import { MEASURE_CATEGORIES, MEASURE_KINDS, MEASURE_STATUSES, type MeasureStatus } from '../vocab.ts';
import {
  codeKeeper,
  fitText,
  isCode,
  type MapContext,
  type MeasureDraft,
  type MilestoneDraft,
  own,
  ownEntries,
} from './context.ts';
import { mapTask, resolveDependencies, stripCode } from './milestones.ts';
import { at, type OscalPoamItem, type OscalRisk, ROOT } from './oscal-types.ts';
import type { MappedEntry, ReportNote } from './report.ts';

interface Unit {
  item?: { value: OscalPoamItem; index: number };
  risks: number[];
  notes: ReportNote[];
}

export interface Plan {
  measures: MeasureDraft[];
  items: DirectiveItemInput[];
}

const isOneOf = <T extends string>(list: readonly T[], value: string | undefined): value is T =>
  value !== undefined && (list as readonly string[]).includes(value);

export function mapPlan(ctx: MapContext): Plan {
  const measureCodes = codeKeeper();
  const milestoneCodes = codeKeeper();
  const itemCodes = codeKeeper();
  const items: DirectiveItemInput[] = [];
  const taskCodes = new Map<string, string>();
  const dependencies: Array<{ from: MilestoneDraft; to: string; path: string }> = [];
  const defaults = { category: 0, kind: 0 };

  const measures = unitsOf(ctx).map((unit, u): MeasureDraft => {
    const n = u + 1;
    const notes = unit.notes;
    const item = unit.item?.value;
    const risks = ctx.poam.risks ?? [];
    const firstRisk: OscalRisk | undefined = unit.risks[0] === undefined ? undefined : risks[unit.risks[0]];
    const base = unit.item ? at(ROOT, 'poam-items', unit.item.index) : at(ROOT, 'risks', unit.risks[0]!);
    const props = item ? item.props : firstRisk?.props;
    const wanted = own(ctx, props, base, 'measure');
    const code = measureCodes.take(wanted, `M-${n}`);
    if (wanted !== undefined && wanted !== code)
      notes.push({ key: 'oscal.note.codeTaken', params: { wanted } });
    const title =
      fitText(stripCode(item?.title ?? firstRisk?.title ?? '', wanted), 500, 'title', notes) ?? code;
    ctx.usage.use(at(base, 'title'), at(base, 'uuid'), at(base, 'description'));

    const category = own(ctx, props, base, 'category');
    const kind = own(ctx, props, base, 'kind');
    const owner = fitText(own(ctx, props, base, 'owner'), 200, 'owner', notes);
    const illustrative = own(ctx, props, base, 'illustrative') === 'true';
    const declared = own(ctx, props, base, 'declared-status');
    // Derived in Oversight from the milestones: its next report makes them again.
    own(ctx, props, base, 'derived-status');
    own(ctx, props, base, 'committed-date');
    if (!isOneOf(MEASURE_CATEGORIES, category)) defaults.category++;
    if (!isOneOf(MEASURE_KINDS, kind)) defaults.kind++;

    const entries: MappedEntry[] = [];
    const milestones: MilestoneDraft[] = [];
    const described: string[] = [];
    const starts: CalendarDate[] = [];
    for (const r of unit.risks) {
      const risk = risks[r]!;
      const rbase = at(ROOT, 'risks', r);
      ctx.usage.use(...['uuid', 'title', 'description', 'statement', 'status'].map((f) => at(rbase, f)));
      own(ctx, risk.props, rbase, 'measure');
      // Oversight's deadline is the committed date, made again from the milestones.
      if (ctx.ours) ctx.usage.use(at(rbase, 'deadline'));
      else described.push(...riskText(risk));
      if (unit.item)
        entries.push({ path: rbase, became: 'measure', code, title: oneLine(risk.title), notes: [] });
      for (const [k, rem] of (risk.remediations ?? []).entries()) {
        // A recommendation is not a plan the owner took on: left for the report.
        if (rem.lifecycle === 'recommendation') continue;
        const kbase = at(rbase, 'remediations', k);
        ctx.usage.use(...['uuid', 'lifecycle', 'title', 'description'].map((f) => at(kbase, f)));
        if (!ctx.ours) described.push(`Remediation (${rem.lifecycle}): ${rem.title}`, rem.description);
        const done = risk.status === 'closed' || rem.lifecycle === 'completed';
        for (const [t, task] of (rem.tasks ?? []).entries()) {
          // An action, not a dated step: left for the report.
          if (task.type !== 'milestone') continue;
          const tbase = at(kbase, 'tasks', t);
          const mapped = mapTask(ctx, task, tbase, done, `MS-${n}-${milestones.length + 1}`, milestoneCodes);
          milestones.push(mapped.milestone);
          entries.push(mapped.entry);
          taskCodes.set(task.uuid, mapped.milestone.code);
          if (mapped.starts !== null) starts.push(mapped.starts);
          if (!ctx.ours && task.description)
            described.push(`- ${mapped.milestone.code}: ${task.description}`);
          for (const [d, dep] of (task.dependencies ?? []).entries())
            dependencies.push({
              from: mapped.milestone,
              to: dep['task-uuid'],
              path: at(tbase, 'dependencies', d),
            });
        }
      }
    }

    const status = statusOf(ctx, unit, declared, starts, notes);
    for (const e of entries) if (e.became === 'measure') e.status = status;
    const answers = answersOf(ctx, unit, n, title, items, itemCodes, notes);
    const description = ctx.ours
      ? undefined
      : fitText(
          [item?.description ?? '', ...described].filter((s) => s.trim() !== '').join('\n\n'),
          20_000,
          'description',
          notes,
          'keep',
        );
    ctx.mapped.push({ path: base, became: 'measure', code, title, status, notes }, ...entries);
    return {
      code,
      title,
      category: isOneOf(MEASURE_CATEGORIES, category) ? category : 'safety_management',
      kind: isOneOf(MEASURE_KINDS, kind) ? kind : 'permanent',
      status,
      ...(owner !== undefined ? { owner } : {}),
      ...(description !== undefined ? { description } : {}),
      answers,
      milestones,
      source: `OSCAL ${unit.item ? 'poam-item' : 'risk'} ${(item ? item.uuid : firstRisk?.uuid) ?? base}`,
      ...(illustrative ? { illustrative } : {}),
    };
  });

  resolveDependencies(ctx, dependencies, taskCodes);
  if (defaults.category > 0)
    ctx.supplied.push({
      field: 'measures[].category',
      value: 'safety_management',
      key: 'oscal.supplied.category',
      params: { count: defaults.category },
    });
  if (defaults.kind > 0)
    ctx.supplied.push({
      field: 'measures[].kind',
      value: 'permanent',
      key: 'oscal.supplied.kind',
      params: { count: defaults.kind },
    });
  if (!ctx.ours && measures.length > 0)
    ctx.supplied.push({
      field: 'directives[0].items',
      value: items.map((i) => i.code).join(', '),
      key: 'oscal.supplied.items',
    });
  return { measures, items };
}

const oneLine = (s: string) => markdownUnescape(s).replace(/\s+/g, ' ').trim();

/** Oversight's placeholder for a directive no measure answers yet (OSCAL wants one poam-item). */
const isPlaceholder = (item: OscalPoamItem) =>
  (item.props ?? []).some((p) => p.ns === OVERSIGHT_NS && p.name === 'directive') &&
  !(item.props ?? []).some((p) => p.ns === OVERSIGHT_NS && p.name === 'measure') &&
  (item['related-risks'] ?? []).length === 0;

/**
 * Pairs each poam-item with the risks it relates to. A related-risks entry naming a mitigating
 * factor (NIST's example does) is taken as the risk that holds the factor; one naming nothing, or a
 * risk an earlier poam-item already took, is reported. Risks no poam-item took follow, one each.
 */
function unitsOf(ctx: MapContext): Unit[] {
  const risks = ctx.poam.risks ?? [];
  const byUuid = new Map(risks.map((r, i) => [r.uuid, i] as const));
  const byFactor = new Map<string, number>();
  risks.forEach((r, i) => {
    for (const f of r['mitigating-factors'] ?? []) byFactor.set(f.uuid, i);
  });
  const claimed = new Map<number, string>();
  const units: Unit[] = [];
  ctx.poam['poam-items'].forEach((item, index) => {
    const base = at(ROOT, 'poam-items', index);
    if (ctx.ours && isPlaceholder(item)) {
      ctx.unmapped.push({
        path: base,
        key: 'oscal.unmapped.placeholder',
        params: { title: oneLine(item.title) },
      });
      ctx.usage.use(base);
      return;
    }
    const unit: Unit = { item: { value: item, index }, risks: [], notes: [] };
    (item['related-risks'] ?? []).forEach((rel, j) => {
      const path = at(base, 'related-risks', j);
      const uuid = rel['risk-uuid'];
      const direct = byUuid.get(uuid);
      const r = direct ?? byFactor.get(uuid);
      ctx.usage.use(path);
      if (r === undefined) {
        ctx.unmapped.push({ path, key: 'oscal.unmapped.danglingRisk', params: { uuid } });
        return;
      }
      const other = claimed.get(r);
      if (other !== undefined) {
        ctx.unmapped.push({ path, key: 'oscal.unmapped.riskClaimed', params: { uuid, other } });
        return;
      }
      claimed.set(r, base);
      unit.risks.push(r);
      if (direct === undefined)
        unit.notes.push({ key: 'oscal.note.riskViaFactor', params: { uuid, risk: at(ROOT, 'risks', r) } });
    });
    units.push(unit);
  });
  risks.forEach((_, r) => {
    if (!claimed.has(r)) units.push({ risks: [r], notes: [{ key: 'oscal.note.riskAlone' }] });
  });
  return units;
}

function riskText(risk: OscalRisk): string[] {
  return [
    `Risk: ${risk.title}`,
    risk.description,
    risk.statement,
    ...(risk.deadline ? [`Deadline: ${risk.deadline}`] : []),
  ];
}

function statusOf(
  ctx: MapContext,
  unit: Unit,
  declared: string | undefined,
  starts: readonly CalendarDate[],
  notes: ReportNote[],
): MeasureStatus {
  if (declared === 'closed') {
    notes.push({ key: 'oscal.note.closedAsCompleted' });
    return 'completed';
  }
  if (isOneOf(MEASURE_STATUSES, declared)) return declared;
  if (declared !== undefined) notes.push({ key: 'oscal.note.unknownStatus', params: { value: declared } });
  const statuses = unit.risks.map((r) => ctx.poam.risks![r]!.status);
  if (statuses.length === 0) {
    notes.push({ key: 'oscal.note.statusNoRisk' });
    return 'planned';
  }
  if (statuses.every((s) => s === 'closed')) {
    notes.push({ key: 'oscal.note.statusClosed' });
    return 'completed';
  }
  const open = [...new Set(statuses.filter((s) => s !== 'closed'))].join(', ');
  if (statuses.includes('remediating')) {
    notes.push({ key: 'oscal.note.statusRemediating' });
    return 'in_progress';
  }
  const started = starts.filter((d) => d <= ctx.day).sort()[0];
  if (started !== undefined) {
    notes.push({ key: 'oscal.note.statusStarted', params: { status: open, date: started, day: ctx.day } });
    return 'in_progress';
  }
  notes.push({ key: 'oscal.note.statusNotStarted', params: { status: open, day: ctx.day } });
  return 'planned';
}

/**
 * The directive items a measure answers. Oversight's export names them in `answers` props and
 * lists them with their texts in the poam-item's description (`- CODE: text`); an older export
 * without the props is read from that list. Any other POA&M: one item per poam-item, the weakness
 * it names, answered by its measure.
 */
function answersOf(
  ctx: MapContext,
  unit: Unit,
  n: number,
  title: string,
  items: DirectiveItemInput[],
  itemCodes: ReturnType<typeof codeKeeper>,
  notes: ReportNote[],
): string[] {
  if (!ctx.ours) {
    const code = itemCodes.take(undefined, `I-${n}`);
    items.push({ code, text: title, items: [] });
    notes.push({ key: 'oscal.note.answersItem', params: { item: code } });
    return [code];
  }
  if (!unit.item) return [];
  const base = at(ROOT, 'poam-items', unit.item.index);
  const lines = unit.item.value.description.split('\n');
  let answers = ownEntries(ctx, unit.item.value.props, base, 'answers');
  if (answers.length === 0) {
    answers = lines.flatMap((l) => {
      const found = /^- (\S+): /.exec(l)?.[1];
      return found === undefined ? [] : [{ value: markdownUnescape(found), path: at(base, 'description') }];
    });
    if (answers.length > 0) notes.push({ key: 'oscal.note.answersFromText' });
  }
  const bullets = answers.map((a) => `- ${markdownEscape(a.value)}: `);
  const out: string[] = [];
  for (const { value: code, path } of answers) {
    if (!isCode(code)) {
      ctx.unmapped.push({ path, key: 'oscal.unmapped.badProp', params: { name: 'answers', value: code } });
      continue;
    }
    if (!out.includes(code)) out.push(code);
    if (itemCodes.has(code)) continue;
    itemCodes.take(code, code);
    // The item's text: its bullet, and the lines after it up to the next bullet.
    const prefix = `- ${markdownEscape(code)}: `;
    const first = lines.findIndex((l) => l.startsWith(prefix));
    let text = '';
    if (first >= 0) {
      const rest = lines.slice(first + 1);
      const end = rest.findIndex((l) => bullets.some((b) => l.startsWith(b)));
      text = markdownUnescape(
        [lines[first]!.slice(prefix.length), ...rest.slice(0, end < 0 ? rest.length : end)].join('\n'),
      ).trim();
    } else notes.push({ key: 'oscal.note.itemTextMissing', params: { item: code } });
    items.push({ code, text: text === '' ? code : text.slice(0, 20_000), items: [] });
  }
  return out;
}
