/** @jsxImportSource hono/jsx */
/** The registers of the group's exposure: outsourcing relationships, systems, access, incidents and secondary damage. */
import { AppError } from '../../domain/errors.ts';
import type { AccessInput, IncidentInput, SystemInput } from '../../domain/program-file/schema.ts';
import { quarterOf, type RegisterRow } from '../../domain/register.ts';
import {
  ACCESS_VIAS,
  CRITICALITIES,
  DAMAGE_KINDS,
  DECISIONS,
  RELATIONSHIP_SCOPES,
  SYSTEM_KINDS,
} from '../../domain/vocab.ts';
import { type Attestation, attest, attestationsOf } from '../../services/attestation.service.ts';
import { createIncident, reportSecondaryDamage, updateIncident } from '../../services/incident.service.ts';
import {
  createRelationship,
  decideRelationship,
  updateRelationship,
} from '../../services/relationship.service.ts';
import { createSystem, grantAccess, updateAccess, updateSystem } from '../../services/system.service.ts';
import type { FieldSpec } from './record-form.tsx';
import {
  type AnyRegister,
  dateColumn,
  enc,
  type Kit,
  linkColumn,
  measureOptions,
  milestoneOptions,
  numberColumn,
  organizationOptions,
  provenanceFields,
  type RegisterDef,
  systemOptions,
  versionOf,
  vocabColumn,
  vocabOptions,
} from './register-kit.tsx';
import {
  AttestationPanel,
  attestationFields,
  DecisionPanel,
  decisionFields,
  SecondaryDamagePanel,
} from './register-panels.tsx';

/** The quarter of a relationship without a target date. */
export const NO_DATE = 'none';

const code: FieldSpec = {
  name: 'code',
  label: 'fields.code',
  type: 'text',
  required: true,
  createOnly: true,
  hint: 'fields.codeHint',
};

/** A contractor edits its records' own words; the parties and links are the program office's. */
const forOffice = (kit: Kit, fields: FieldSpec[], names: readonly string[]) =>
  kit.may('program.write') ? fields : fields.filter((f) => !names.includes(f.name));

const relationshipFields = (kit: Kit): FieldSpec[] =>
  forOffice(
    kit,
    [
      code,
      { name: 'title', label: 'fields.service', type: 'text', required: true },
      {
        name: 'customer',
        label: 'fields.customer',
        type: 'select',
        required: true,
        options: organizationOptions(kit),
        initial: kit.view.file.program.regulatedOrganization,
      },
      {
        name: 'provider',
        label: 'fields.provider',
        type: 'select',
        required: true,
        options: organizationOptions(kit),
      },
      {
        name: 'scope',
        label: 'fields.scope',
        type: 'select',
        required: true,
        options: vocabOptions(kit.t, 'scope', RELATIONSHIP_SCOPES),
      },
      { name: 'startedOn', label: 'fields.startedOn', type: 'date' },
      { name: 'systems', label: 'fields.systems', type: 'multi', options: systemOptions(kit) },
      // Which measures carry it out is the program office's to say (a contractor does not see them).
      ...(kit.may('program.write')
        ? [
            {
              name: 'measures',
              label: 'fields.measures',
              type: 'multi',
              options: measureOptions(kit),
            } satisfies FieldSpec,
          ]
        : []),
      { name: 'description', label: 'fields.description', type: 'textarea' },
      ...provenanceFields,
    ],
    ['customer', 'provider', 'systems', 'measures'],
  );

export const relationshipsRegister: RegisterDef<RegisterRow> = {
  path: 'relationships',
  title: 'ui.registers.relationships',
  rows: (view) => view.register,
  columns: (kit) => [
    linkColumn(
      'reference',
      'fields.code',
      (r) => r.reference!,
      (r) => `${kit.base}/relationships/${enc(r.reference!)}/edit`,
    ),
    { key: 'title', label: 'fields.service', value: (r) => r.title!, align: 'wide' },
    {
      key: 'provider',
      label: 'fields.provider',
      value: (r) => r.provider!,
      text: (r) => r.providerName || r.provider!,
      filter: 'values',
      cell: (r) => (
        <>
          {r.providerName || r.provider}
          {r.providerParent ? <div class="small muted">← {r.providerParent}</div> : null}
        </>
      ),
    },
    vocabColumn(kit, 'scope', 'fields.scope', 'scope', RELATIONSHIP_SCOPES, (r) => r.scope),
    vocabColumn(kit, 'decision', 'fields.decision', 'decision', DECISIONS, (r) => r.decision),
    dateColumn(kit, 'targetDate', 'fields.targetDate', (r) => r.targetDate),
    {
      key: 'quarter',
      label: 'fields.quarter',
      value: (r) => (r.targetDate ? quarterOf(r.targetDate) : NO_DATE),
      text: (r) => (r.targetDate ? quarterOf(r.targetDate) : kit.t('ui.noDate')),
      filter: 'values',
      option: (v) => (v === NO_DATE ? kit.t('ui.noDate') : v),
    },
    vocabColumn(kit, 'criticality', 'fields.criticality', 'criticality', CRITICALITIES, (r) => r.criticality),
  ],
  actions: (kit) => (
    <>
      {' · '}
      <a href={`/api/v1/programs/${enc(kit.view.file.program.code)}/register?format=xlsx`}>
        {kit.t('ui.register.xlsx')}
      </a>
    </>
  ),
  create: {
    label: 'ui.form.newRelationship',
    permission: 'program.write',
    fields: relationshipFields,
    run: (ctx, program, input) => createRelationship(ctx, program, input),
    next: (input) => `/relationships/${enc(String(input.code))}/edit`,
  },
  edit: {
    fields: relationshipFields,
    record: (view, c) => {
      const r = view.file.relationships.find((x) => x.code === c);
      return r && { values: r, version: versionOf(view, 'relationship', c), title: r.title };
    },
    run: updateRelationship,
    next: (c) => `/relationships?q=${enc(c)}`,
    related: async (ctx, program, c) => ({
      attestations: await attestationsOf(ctx, program, 'relationship', c),
    }),
    extra: (kit, c, state, related) => (
      <>
        <DecisionPanel kit={kit} code={c} state={state} />
        <AttestationPanel
          kit={kit}
          path="relationships"
          code={c}
          attestations={related.attestations as Attestation[]}
          state={state}
        />
      </>
    ),
    actions: [
      {
        path: 'decision',
        fields: decisionFields,
        run: decideRelationship,
        next: (c) => `/relationships/${enc(c)}/edit#decisions`,
      },
      {
        path: 'attestation',
        fields: attestationFields,
        run: (ctx, program, c, input) => attest(ctx, program, 'relationship', c, input),
        next: (c) => `/relationships/${enc(c)}/edit#attestations`,
      },
    ],
  },
};

const systemFields = (kit: Kit): FieldSpec[] => [
  code,
  { name: 'name', label: 'fields.name', type: 'text', required: true },
  {
    name: 'kind',
    label: 'fields.systemKind',
    type: 'select',
    required: true,
    options: vocabOptions(kit.t, 'systemKind', SYSTEM_KINDS),
  },
  { name: 'owner', label: 'fields.ownerOrganization', type: 'select', options: organizationOptions(kit) },
  {
    name: 'criticality',
    label: 'fields.criticality',
    type: 'select',
    required: true,
    options: vocabOptions(kit.t, 'criticality', CRITICALITIES),
  },
  { name: 'dataClasses', label: 'fields.dataClasses', type: 'list', hint: 'fields.listHint' },
  { name: 'description', label: 'fields.description', type: 'textarea' },
  ...provenanceFields,
];

export const systemsRegister: RegisterDef<SystemInput & { reachedBy: number }> = {
  path: 'systems',
  title: 'ui.registers.systems',
  rows: (view) => {
    // One pass over the access edges, not one per system (3,000 × 10,000 at ten times the case).
    const reachedBy = new Map<string, number>();
    for (const a of view.file.access) reachedBy.set(a.system, (reachedBy.get(a.system) ?? 0) + 1);
    return view.file.systems.map((s) => ({ ...s, reachedBy: reachedBy.get(s.code) ?? 0 }));
  },
  columns: (kit) => [
    linkColumn(
      'code',
      'fields.code',
      (r) => r.code,
      (r) => `${kit.base}/systems/${enc(r.code)}/edit`,
    ),
    { key: 'name', label: 'fields.name', value: (r) => r.name, align: 'wide' },
    vocabColumn(kit, 'kind', 'fields.systemKind', 'systemKind', SYSTEM_KINDS, (r) => r.kind),
    { key: 'owner', label: 'fields.ownerOrganization', value: (r) => r.owner ?? null, filter: 'values' },
    vocabColumn(kit, 'criticality', 'fields.criticality', 'criticality', CRITICALITIES, (r) => r.criticality),
    { key: 'dataClasses', label: 'fields.dataClasses', value: (r) => r.dataClasses.join(', ') },
    {
      ...numberColumn('access', 'fields.accessEdges', (r) => r.reachedBy),
      cell: (r) => <a href={`${kit.base}/access?system=${enc(r.code)}`}>{r.reachedBy}</a>,
    },
  ],
  create: {
    label: 'ui.form.newSystem',
    permission: 'program.write',
    fields: systemFields,
    run: (ctx, program, input) => createSystem(ctx, program, input),
    next: (input) => `/systems?q=${enc(String(input.code))}`,
  },
  edit: {
    fields: systemFields,
    record: (view, c) => {
      const s = view.file.systems.find((x) => x.code === c);
      return s && { values: s, version: versionOf(view, 'system', c), title: s.name };
    },
    run: updateSystem,
    next: (c) => `/systems?q=${enc(c)}`,
  },
};

const accessFields = (kit: Kit): FieldSpec[] =>
  forOffice(
    kit,
    [
      code,
      {
        name: 'organization',
        label: 'fields.organization',
        type: 'select',
        required: true,
        options: organizationOptions(kit),
      },
      { name: 'system', label: 'fields.system', type: 'select', required: true, options: systemOptions(kit) },
      {
        name: 'via',
        label: 'fields.via',
        type: 'select',
        required: true,
        options: vocabOptions(kit.t, 'via', ACCESS_VIAS),
      },
      { name: 'from', label: 'fields.from', type: 'date' },
      { name: 'until', label: 'fields.until', type: 'date' },
      // Which milestone ends the access is the program office's to say (a contractor does not see milestones).
      ...(kit.may('program.write')
        ? [
            {
              name: 'untilMilestone',
              label: 'fields.untilMilestone',
              type: 'select',
              options: milestoneOptions(kit),
              hint: 'fields.untilMilestoneHint',
            } satisfies FieldSpec,
          ]
        : []),
      { name: 'description', label: 'fields.description', type: 'textarea' },
      ...provenanceFields,
    ],
    ['organization', 'system', 'untilMilestone'],
  );

export const accessRegister: RegisterDef<AccessInput> = {
  path: 'access',
  title: 'ui.registers.access',
  rows: (view) => view.file.access,
  columns: (kit) => [
    linkColumn(
      'code',
      'fields.code',
      (r) => r.code,
      (r) => `${kit.base}/access/${enc(r.code)}/edit`,
    ),
    { key: 'organization', label: 'fields.organization', value: (r) => r.organization, filter: 'values' },
    { key: 'system', label: 'fields.system', value: (r) => r.system, filter: 'values' },
    vocabColumn(kit, 'via', 'fields.via', 'via', ACCESS_VIAS, (r) => r.via),
    dateColumn(kit, 'from', 'fields.from', (r) => r.from),
    dateColumn(kit, 'until', 'fields.until', (r) => r.until),
    { key: 'untilMilestone', label: 'fields.untilMilestone', value: (r) => r.untilMilestone ?? null },
  ],
  create: {
    label: 'ui.form.newAccess',
    permission: 'program.write',
    fields: accessFields,
    run: (ctx, program, input) => grantAccess(ctx, program, input),
    next: (input) => `/access?q=${enc(String(input.code))}`,
  },
  edit: {
    fields: accessFields,
    record: (view, c) => {
      const a = view.file.access.find((x) => x.code === c);
      return (
        a && { values: a, version: versionOf(view, 'access', c), title: `${a.organization} → ${a.system}` }
      );
    },
    run: updateAccess,
    next: (c) => `/access?q=${enc(c)}`,
    related: async (ctx, program, c) => ({ attestations: await attestationsOf(ctx, program, 'access', c) }),
    extra: (kit, c, state, related) => (
      <AttestationPanel
        kit={kit}
        path="access"
        code={c}
        attestations={related.attestations as Attestation[]}
        state={state}
      />
    ),
    actions: [
      {
        path: 'attestation',
        fields: attestationFields,
        run: (ctx, program, c, input) => attest(ctx, program, 'access', c, input),
        next: (c) => `/access/${enc(c)}/edit#attestations`,
      },
    ],
  },
};

const incidentFields = (): FieldSpec[] => [
  code,
  { name: 'title', label: 'fields.title', type: 'text', required: true },
  { name: 'accessFrom', label: 'fields.accessFrom', type: 'date' },
  { name: 'accessUntil', label: 'fields.accessUntil', type: 'date' },
  { name: 'detectedOn', label: 'fields.detectedOn', type: 'date' },
  { name: 'containedOn', label: 'fields.containedOn', type: 'date' },
  { name: 'announcedOn', label: 'fields.announcedOn', type: 'date' },
  { name: 'summary', label: 'fields.summary', type: 'textarea' },
  ...provenanceFields,
];

export const incidentsRegister: RegisterDef<IncidentInput> = {
  path: 'incidents',
  title: 'ui.registers.incidents',
  rows: (view) => view.file.incidents,
  columns: (kit) => [
    linkColumn(
      'code',
      'fields.code',
      (r) => r.code,
      (r) => `${kit.base}/incidents/${enc(r.code)}/edit`,
    ),
    { key: 'title', label: 'fields.title', value: (r) => r.title, align: 'wide' },
    dateColumn(kit, 'detectedOn', 'fields.detectedOn', (r) => r.detectedOn),
    dateColumn(kit, 'announcedOn', 'fields.announcedOn', (r) => r.announcedOn),
    dateColumn(kit, 'containedOn', 'fields.containedOn', (r) => r.containedOn),
    numberColumn('records', 'fields.records', (r) =>
      r.records.filter((x) => x.status === 'total').reduce((sum, x) => sum + x.count, 0),
    ),
    {
      ...numberColumn('secondaryDamage', 'fields.secondaryDamage', (r) => r.secondaryDamage.length),
      cell: (r) => (
        <a href={`${kit.base}/secondary-damage?incident=${enc(r.code)}`}>{r.secondaryDamage.length}</a>
      ),
    },
  ],
  create: {
    label: 'ui.form.newIncident',
    permission: 'program.write',
    fields: incidentFields,
    run: (ctx, program, input) => createIncident(ctx, program, input),
    next: (input) => `/incidents/${enc(String(input.code))}/edit`,
  },
  edit: {
    fields: incidentFields,
    record: (view, c) => {
      const i = view.file.incidents.find((x) => x.code === c);
      return i && { values: i, version: versionOf(view, 'incident', c), title: i.title };
    },
    run: updateIncident,
    next: (c) => `/incidents?q=${enc(c)}`,
    extra: (kit, c) => <SecondaryDamagePanel kit={kit} code={c} />,
  },
};

type DamageRow = IncidentInput['secondaryDamage'][number] & { incident: string };

export const secondaryDamageRegister: RegisterDef<DamageRow> = {
  path: 'secondary-damage',
  title: 'ui.registers.secondary-damage',
  rows: (view) =>
    view.file.incidents.flatMap((i) => i.secondaryDamage.map((d) => ({ ...d, incident: i.code }))),
  columns: (kit) => [
    {
      ...linkColumn(
        'incident',
        'fields.incident',
        (r) => r.incident,
        (r) => `${kit.base}/incidents/${enc(r.incident)}/edit`,
      ),
      filter: 'values',
    },
    dateColumn(kit, 'reportedOn', 'fields.reportedOn', (r) => r.reportedOn),
    vocabColumn(kit, 'kind', 'fields.damageKind', 'damage', DAMAGE_KINDS, (r) => r.kind),
    numberColumn('count', 'fields.count', (r) => r.count ?? null),
    { key: 'description', label: 'fields.description', value: (r) => r.description, align: 'wide' },
  ],
  create: {
    label: 'ui.form.newSecondaryDamage',
    permission: 'program.write',
    fields: (kit) => [
      {
        name: 'incident',
        label: 'fields.incident',
        type: 'select',
        required: true,
        options: kit.view.file.incidents.map((i) => ({ value: i.code, label: `${i.code} — ${i.title}` })),
      },
      {
        name: 'reportedOn',
        label: 'fields.reportedOn',
        type: 'date',
        required: true,
        initial: kit.view.today,
      },
      {
        name: 'kind',
        label: 'fields.damageKind',
        type: 'select',
        required: true,
        options: vocabOptions(kit.t, 'damage', DAMAGE_KINDS),
      },
      { name: 'count', label: 'fields.count', type: 'number' },
      { name: 'description', label: 'fields.description', type: 'textarea', required: true },
      ...provenanceFields,
    ],
    run: (ctx, program, { incident, ...report }) => {
      if (!incident)
        throw new AppError('validation', 'errors.validation', { count: 1 }, [
          { path: 'incident', key: 'validation.required' },
        ]);
      return reportSecondaryDamage(ctx, program, String(incident), report);
    },
    next: (input) => `/incidents/${enc(String(input.incident))}/edit`,
  },
};

export const GROUP_REGISTERS: AnyRegister[] = [
  relationshipsRegister,
  systemsRegister,
  accessRegister,
  incidentsRegister,
  secondaryDamageRegister,
];
