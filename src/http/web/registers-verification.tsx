import type { MeasureInput, VerificationInput } from '../../domain/program-file/schema.ts';
import { reverificationDue } from '../../domain/verification-gate.ts';
import { RECURRENCES, VERIFICATION_RESULTS } from '../../domain/vocab.ts';
import { createVerification, updateVerification } from '../../services/verification.service.ts';
import type { FieldSpec } from './record-form.tsx';
import {
  dateColumn,
  enc,
  type Kit,
  linkColumn,
  measureOptions,
  numberColumn,
  provenanceFields,
  type RegisterDef,
  underMeasure,
  underMeasureFields,
  versionOf,
  vocabColumn,
  vocabOptions,
} from './register-kit.tsx';

type VerificationRow = VerificationInput & { measure: MeasureInput; nextDue: string | null };

/** The fields of a verification, on both forms; the measure and the code only when creating. */
const verificationFields = (kit: Kit): FieldSpec[] => [
  { name: 'method', label: 'fields.method', type: 'textarea', required: true },
  { name: 'plannedOn', label: 'fields.plannedOn', type: 'date' },
  { name: 'performedOn', label: 'fields.performedOn', type: 'date' },
  {
    name: 'result',
    label: 'fields.result',
    type: 'select',
    options: vocabOptions(kit.t, 'result', VERIFICATION_RESULTS),
    hint: 'fields.resultHint',
  },
  {
    name: 'recurrence',
    label: 'fields.recurrence',
    type: 'select',
    required: true,
    options: vocabOptions(kit.t, 'recurrence', RECURRENCES),
    initial: 'none',
  },
  {
    name: 'followUpMeasure',
    label: 'fields.followUpMeasure',
    type: 'select',
    options: measureOptions(kit),
    hint: 'fields.followUpMeasureHint',
  },
  { name: 'evidence', label: 'fields.evidenceNote', type: 'textarea', hint: 'fields.evidenceNoteHint' },
  { name: 'notes', label: 'fields.notes', type: 'textarea' },
  ...provenanceFields,
];

/** The measure page, where the result shows with what it asks for next. */
const measurePage = (measure: string) => `/measures/${enc(measure)}#verifications`;

export const verificationsRegister: RegisterDef<VerificationRow> = {
  path: 'verifications',
  title: 'ui.registers.verifications',
  rows: (view) =>
    view.file.measures.flatMap((m) => {
      const again = reverificationDue(m, view.today);
      return m.verifications.map((v) => ({
        ...v,
        measure: m,
        nextDue: again?.verification === v.code ? again.due : null,
      }));
    }),
  columns: (kit) => [
    linkColumn(
      'code',
      'fields.code',
      (r) => r.code,
      (r) => `${kit.base}/verifications/${enc(r.code)}/edit`,
    ),
    {
      ...linkColumn(
        'measure',
        'fields.measure',
        (r) => r.measure.code,
        (r) => `${kit.base}${measurePage(r.measure.code)}`,
      ),
      filter: 'values',
    },
    { key: 'method', label: 'fields.method', value: (r) => r.method, align: 'wide' },
    dateColumn(kit, 'planned', 'fields.plannedOn', (r) => r.plannedOn),
    dateColumn(kit, 'performed', 'fields.performedOn', (r) => r.performedOn),
    vocabColumn(kit, 'result', 'fields.result', 'result', VERIFICATION_RESULTS, (r) => r.result),
    vocabColumn(kit, 'recurrence', 'fields.recurrence', 'recurrence', RECURRENCES, (r) => r.recurrence),
    dateColumn(kit, 'nextDue', 'fields.nextDue', (r) => r.nextDue),
    numberColumn('attached', 'fields.attached', (r) => r.attachments.length),
    {
      key: 'followUp',
      label: 'fields.followUpMeasure',
      value: (r) => r.followUpMeasure ?? null,
      filter: 'values',
      cell: (r) =>
        r.followUpMeasure ? (
          <a href={`${kit.base}/measures/${enc(r.followUpMeasure)}`}>
            <code>{r.followUpMeasure}</code>
          </a>
        ) : r.result === 'ineffective' ? (
          <span class="badge s-late">{kit.t('ui.verification.followUpMissing')}</span>
        ) : null,
    },
  ],
  create: {
    label: 'ui.form.newVerification',
    permission: 'measure.write',
    fields: (kit) => [...underMeasureFields(kit), ...verificationFields(kit)],
    run: underMeasure(createVerification),
    next: (input) => measurePage(String(input.measure)),
  },
  edit: {
    fields: verificationFields,
    record: (view, code) => {
      const m = view.file.measures.find((x) => x.verifications.some((v) => v.code === code));
      const v = m?.verifications.find((x) => x.code === code);
      return (
        v && {
          values: v,
          version: versionOf(view, 'verification', code),
          title: `${v.code} (${m!.code})`,
        }
      );
    },
    run: updateVerification,
    next: (code) => `/verifications?q=${enc(code)}`,
  },
};
