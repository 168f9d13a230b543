import type { Finding } from '../../domain/lint/index.ts';
import type { MeasureInput, MilestoneInput } from '../../domain/program-file/schema.ts';
import type { MeasureSchedule, MilestoneSchedule } from '../../domain/schedule-analysis.ts';
import { MEASURE_CATEGORIES, MEASURE_KINDS, MEASURE_STATUSES } from '../../domain/vocab.ts';
import { findingMessage } from '../../i18n/findings.ts';
import { formatDays } from '../../i18n/format.ts';
import { createMeasure, updateMeasure } from '../../services/measure.service.ts';
import { createMilestone, updateMilestone } from '../../services/milestone.service.ts';
import { SeverityBadge, StatusBadge } from './layout.tsx';
import type { FieldSpec } from './record-form.tsx';
import {
  type AnyRegister,
  dateColumn,
  enc,
  itemOptions,
  type Kit,
  linkColumn,
  milestoneOptions,
  numberColumn,
  organizationOptions,
  provenanceFields,
  type RegisterDef,
  underMeasure,
  underMeasureFields,
  versionOf,
  vocabColumn,
  vocabOptions,
} from './register-kit.tsx';

/** The states a measure is in, derived from its milestones and checks. */
export const DERIVED = [
  'not_started',
  'on_track',
  'at_risk',
  'late',
  'done',
  'verified',
  'cancelled',
] as const;

type MeasureRow = MeasureSchedule & { measure: MeasureInput };

const measureFields = (kit: Kit): FieldSpec[] => [
  {
    name: 'code',
    label: 'fields.code',
    type: 'text',
    required: true,
    createOnly: true,
    hint: 'fields.codeHint',
  },
  { name: 'title', label: 'fields.title', type: 'text', required: true },
  { name: 'titleJa', label: 'fields.titleJa', type: 'text' },
  {
    name: 'category',
    label: 'fields.category',
    type: 'select',
    required: true,
    options: vocabOptions(kit.t, 'category', MEASURE_CATEGORIES),
  },
  {
    name: 'kind',
    label: 'fields.kind',
    type: 'select',
    required: true,
    options: vocabOptions(kit.t, 'kind', MEASURE_KINDS),
  },
  { name: 'owner', label: 'fields.owner', type: 'text' },
  { name: 'organization', label: 'fields.organization', type: 'select', options: organizationOptions(kit) },
  {
    name: 'status',
    label: 'fields.declaredStatus',
    type: 'select',
    required: true,
    options: vocabOptions(kit.t, 'status', MEASURE_STATUSES),
    initial: 'planned',
  },
  { name: 'adoptedOn', label: 'fields.adoptedOn', type: 'date' },
  { name: 'answers', label: 'fields.answers', type: 'multi', options: itemOptions(kit) },
  { name: 'concerns', label: 'fields.concerns', type: 'multi', options: organizationOptions(kit) },
  { name: 'milestones[0].title', label: 'fields.firstMilestone', type: 'text', createOnly: true },
  { name: 'milestones[0].planned', label: 'fields.firstMilestoneDate', type: 'date', createOnly: true },
  { name: 'description', label: 'fields.description', type: 'textarea' },
  ...provenanceFields,
];

export const measuresRegister: RegisterDef<MeasureRow> = {
  path: 'measures',
  title: 'ui.registers.measures',
  rows: (view) => {
    const byCode = new Map(view.file.measures.map((m) => [m.code, m]));
    return view.analysis.schedule.measures.map((s) => ({ ...s, measure: byCode.get(s.code)! }));
  },
  columns: (kit) => [
    linkColumn(
      'code',
      'fields.code',
      (r) => r.code,
      (r) => `${kit.base}/measures/${enc(r.code)}`,
    ),
    {
      key: 'title',
      label: 'fields.title',
      value: (r) => (kit.lang === 'ja' && r.measure.titleJa ? r.measure.titleJa : r.measure.title),
      align: 'wide',
    },
    vocabColumn(
      kit,
      'category',
      'fields.category',
      'category',
      MEASURE_CATEGORIES,
      (r) => r.measure.category,
    ),
    vocabColumn(kit, 'kind', 'fields.kind', 'kind', MEASURE_KINDS, (r) => r.measure.kind),
    { key: 'owner', label: 'fields.owner', value: (r) => r.measure.owner ?? null, filter: 'values' },
    {
      ...vocabColumn(kit, 'status', 'fields.status', 'status', DERIVED, (r) => r.derived),
      cell: (r) => (
        <>
          <StatusBadge lang={kit.lang} status={r.derived} />
          {r.mismatch ? <span class="small muted"> ≠ {kit.t(`status.${r.declared}`)}</span> : null}
        </>
      ),
    },
    {
      key: 'item',
      label: 'fields.answers',
      value: (r) => r.measure.answers.join(', '),
      values: (r) => r.measure.answers,
      filter: 'values',
    },
    dateColumn(kit, 'committed', 'fields.committed', (r) => r.committed),
    dateColumn(kit, 'forecast', 'fields.forecast', (r) => r.forecast),
    numberColumn('milestones', 'fields.milestones', (r) => r.measure.milestones.length),
  ],
  create: {
    label: 'ui.form.newMeasure',
    permission: 'measure.write',
    fields: measureFields,
    run: (ctx, program, input, kit) => {
      const { 'milestones[0].title': title, 'milestones[0].planned': planned, ...measure } = input;
      const code = String(measure.code ?? '');
      // The first milestone, when one is given, is committed to today.
      const milestones =
        title || planned
          ? [
              {
                code: `${code}.1`,
                title: title || measure.title || code,
                committedOn: kit.view.today,
                planned: planned ?? null,
              },
            ]
          : [];
      return createMeasure(ctx, program, { ...measure, milestones });
    },
    next: (input) => `/measures/${enc(String(input.code))}`,
  },
  edit: {
    fields: (kit) => measureFields(kit),
    record: (view, code) => {
      const m = view.file.measures.find((x) => x.code === code);
      return m && { values: m, version: versionOf(view, 'measure', code), title: m.title };
    },
    run: updateMeasure,
    next: (code) => `/measures/${enc(code)}`,
  },
};

type MilestoneRow = MilestoneSchedule & { milestone: MilestoneInput };

const MILESTONE_STATES = ['on_track', 'late', 'done'] as const;
const stateOf = (r: MilestoneSchedule) => (r.actual ? 'done' : r.late ? 'late' : 'on_track');

export const milestonesRegister: RegisterDef<MilestoneRow> = {
  path: 'milestones',
  title: 'ui.registers.milestones',
  rows: (view) => {
    const byCode = new Map(
      view.file.measures.flatMap((m) => m.milestones.map((ms) => [ms.code, ms] as const)),
    );
    return view.analysis.schedule.milestones.map((s) => ({ ...s, milestone: byCode.get(s.code)! }));
  },
  columns: (kit) => [
    linkColumn(
      'code',
      'fields.code',
      (r) => r.code,
      (r) => `${kit.base}/milestones/${enc(r.code)}/edit`,
    ),
    {
      ...linkColumn(
        'measure',
        'fields.measure',
        (r) => r.measure,
        (r) => `${kit.base}/measures/${enc(r.measure)}#milestones`,
      ),
      filter: 'values',
    },
    { key: 'title', label: 'fields.title', value: (r) => r.title, align: 'wide' },
    dateColumn(kit, 'baseline', 'fields.baseline', (r) => r.baseline),
    dateColumn(kit, 'planned', 'fields.planned', (r) => r.planned),
    dateColumn(kit, 'actual', 'fields.actual', (r) => r.actual),
    {
      ...numberColumn('slip', 'fields.slip', (r) => r.slipDays),
      text: (r) => formatDays(kit.lang, r.slipDays),
    },
    {
      ...numberColumn('float', 'fields.float', (r) => (r.actual ? null : r.floatDays)),
      text: (r) => (r.actual ? '' : formatDays(kit.lang, r.floatDays)),
    },
    numberColumn('replans', 'fields.replans', (r) => r.replans),
    {
      ...vocabColumn(kit, 'state', 'fields.state', 'status', MILESTONE_STATES, stateOf),
      cell: (r) => <StatusBadge lang={kit.lang} status={stateOf(r)} />,
    },
  ],
  create: {
    label: 'ui.form.newMilestone',
    permission: 'measure.write',
    fields: (kit) => [
      ...underMeasureFields(kit),
      { name: 'title', label: 'fields.title', type: 'text', required: true },
      {
        name: 'committedOn',
        label: 'fields.committedOn',
        type: 'date',
        required: true,
        createOnly: true,
        initial: kit.view.today,
      },
      { name: 'planned', label: 'fields.planned', type: 'date', createOnly: true },
      { name: 'dependsOn', label: 'fields.dependsOn', type: 'multi', options: milestoneOptions(kit) },
      ...provenanceFields,
    ],
    run: underMeasure(createMilestone),
    next: (input) => `/measures/${enc(String(input.measure))}#milestones`,
  },
  edit: {
    fields: (kit) => [
      { name: 'title', label: 'fields.title', type: 'text', required: true },
      { name: 'actual', label: 'fields.actual', type: 'date', hint: 'fields.actualHint' },
      { name: 'dependsOn', label: 'fields.dependsOn', type: 'multi', options: milestoneOptions(kit) },
      ...provenanceFields,
    ],
    record: (view, code) => {
      const m = view.file.measures.find((x) => x.milestones.some((ms) => ms.code === code));
      const ms = m?.milestones.find((x) => x.code === code);
      return (
        ms && { values: ms, version: versionOf(view, 'milestone', code), title: `${ms.code} ${ms.title}` }
      );
    },
    run: updateMilestone,
    next: (code) => `/milestones?q=${enc(code)}`,
  },
};

/** Where a finding's record is edited or shown, from its path (`measures/M-1/milestones/MS-1`). */
function findingHref(base: string, f: Finding): string | undefined {
  const [kind, code, sub, subCode] = f.path.split('/');
  if (kind === 'measures' && sub === 'milestones' && subCode)
    return `${base}/milestones/${enc(subCode)}/edit`;
  if (kind === 'measures' && code) return `${base}/measures/${enc(code)}`;
  if (kind === 'directives' && code) return `${base}/directives/${enc(code)}`;
  if ((kind === 'relationships' || kind === 'access') && code) return `${base}/${kind}/${enc(code)}/edit`;
  return undefined;
}

export const findingsRegister: RegisterDef<Finding> = {
  path: 'findings',
  title: 'ui.registers.findings',
  rows: (view) => view.lint.findings,
  columns: (kit) => [
    {
      ...vocabColumn(
        kit,
        'severity',
        'fields.severity',
        'severity',
        ['error', 'warning', 'info'],
        (f) => f.severity,
      ),
      cell: (f) => <SeverityBadge lang={kit.lang} severity={f.severity} />,
    },
    {
      key: 'rule',
      label: 'fields.rule',
      value: (f) => f.rule,
      filter: 'values',
      cell: (f) => <code>{f.rule}</code>,
    },
    {
      key: 'record',
      label: 'fields.record',
      value: (f) => f.code,
      cell: (f) => {
        const href = findingHref(kit.base, f);
        return href ? (
          <a href={href}>
            <code>{f.code}</code>
          </a>
        ) : (
          <code>{f.code}</code>
        );
      },
    },
    { key: 'message', label: 'fields.message', value: (f) => findingMessage(kit.lang, f), align: 'wide' },
  ],
};

export const PLAN_REGISTERS: AnyRegister[] = [measuresRegister, milestonesRegister, findingsRegister];
