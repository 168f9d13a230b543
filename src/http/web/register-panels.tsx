/** @jsxImportSource hono/jsx */
/** What an edit page shows besides its form: a relationship's decisions, an incident's records and secondary damage. */
import { DECISIONS } from '../../domain/vocab.ts';
import { formatDate, formatInstant } from '../../i18n/format.ts';
import type { Attestation } from '../../services/attestation.service.ts';
import { type FieldSpec, RecordForm } from './record-form.tsx';
import { enc, type FormState, type Kit, versionOf, vocabOptions } from './register-kit.tsx';

export const decisionFields = (kit: Kit): FieldSpec[] => [
  {
    name: 'decision',
    label: 'fields.decision',
    type: 'select',
    required: true,
    options: vocabOptions(kit.t, 'decision', DECISIONS),
  },
  { name: 'targetDate', label: 'fields.targetDate', type: 'date', hint: 'fields.targetDateHint' },
  { name: 'on', label: 'fields.decidedOn', type: 'date', initial: kit.view.today },
  { name: 'reason', label: 'fields.reason', type: 'textarea', required: true },
];

export const attestationFields = (kit: Kit): FieldSpec[] => [
  {
    name: 'statement',
    label: 'fields.statement',
    type: 'textarea',
    required: true,
    hint: 'fields.statementHint',
  },
  { name: 'on', label: 'fields.attestedOn', type: 'date', initial: kit.view.today },
];

/** What the contractor (or the program office) has attested of a relationship or an access edge, and a form for the next. */
export function AttestationPanel(props: {
  kit: Kit;
  path: string;
  code: string;
  attestations: Attestation[];
  state?: FormState | undefined;
}) {
  const { kit } = props;
  return (
    <section aria-labelledby="attestations">
      <h2 id="attestations">{kit.t('ui.attestation.title')}</h2>
      {props.attestations.length === 0 ? (
        <p class="muted">{kit.t('ui.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{kit.t('fields.attestedOn')}</th>
              <th scope="col">{kit.t('fields.organization')}</th>
              <th scope="col">{kit.t('fields.statement')}</th>
              <th scope="col">{kit.t('fields.by')}</th>
            </tr>
          </thead>
          <tbody>
            {props.attestations.map((a) => (
              <tr>
                <td class="d">{formatDate(kit.lang, a.on)}</td>
                <td>{a.organization}</td>
                <td class="small">{a.statement}</td>
                <td class="small">
                  {a.by ?? '—'} · {formatInstant(kit.lang, a.at, kit.view.file.program.timeZone)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {kit.may('provider.write') ? (
        <>
          <h3>{kit.t('ui.attestation.add')}</h3>
          <RecordForm
            lang={kit.lang}
            action={`${kit.base}/${props.path}/${enc(props.code)}/attestation`}
            mode="create"
            fields={attestationFields(kit)}
            values={props.state?.action === 'attestation' ? props.state.values : {}}
            errors={props.state?.action === 'attestation' ? props.state.errors : undefined}
            submit={kit.t('ui.attestation.save')}
            idPrefix="a-"
          />
        </>
      ) : null}
    </section>
  );
}

/** The decision history of an outsourcing relationship, oldest first, and (for the program office) a form to record the next. */
export function DecisionPanel(props: { kit: Kit; code: string; state?: FormState | undefined }) {
  const { kit } = props;
  const r = kit.view.file.relationships.find((x) => x.code === props.code);
  if (!r) return null;
  return (
    <section aria-labelledby="decisions">
      <h2 id="decisions">{kit.t('ui.relationship.decisions')}</h2>
      {r.decisions.length === 0 ? (
        <p class="muted">{kit.t('ui.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{kit.t('fields.decidedOn')}</th>
              <th scope="col">{kit.t('fields.decision')}</th>
              <th scope="col">{kit.t('fields.targetDate')}</th>
              <th scope="col">{kit.t('fields.reason')}</th>
              <th scope="col">{kit.t('fields.by')}</th>
            </tr>
          </thead>
          <tbody>
            {r.decisions.map((d) => (
              <tr>
                <td class="d">{formatDate(kit.lang, d.on)}</td>
                <td>{kit.t(`decision.${d.decision}`)}</td>
                <td class="d">{formatDate(kit.lang, d.targetDate)}</td>
                <td class="small">{d.reason ?? '—'}</td>
                <td class="small">{d.by ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {kit.may('program.write') ? (
        <>
          <h3>{kit.t('ui.relationship.decide')}</h3>
          <RecordForm
            lang={kit.lang}
            action={`${kit.base}/relationships/${enc(r.code)}/decision`}
            mode="create"
            fields={decisionFields(kit)}
            values={props.state?.action === 'decision' ? props.state.values : {}}
            errors={props.state?.action === 'decision' ? props.state.errors : undefined}
            version={versionOf(kit.view, 'relationship', r.code)}
            submit={kit.t('ui.relationship.saveDecision')}
            idPrefix="d-"
          />
        </>
      ) : null}
    </section>
  );
}

/** The records an incident affected, by category, and the secondary damage reported since. */
export function SecondaryDamagePanel(props: { kit: Kit; code: string }) {
  const { kit } = props;
  const incident = kit.view.file.incidents.find((x) => x.code === props.code);
  if (!incident) return null;
  return (
    <>
      <section aria-labelledby="records">
        <h2 id="records">{kit.t('ui.incident.records')}</h2>
        {incident.records.length === 0 ? (
          <p class="muted">{kit.t('ui.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{kit.t('fields.category')}</th>
                <th scope="col">{kit.t('fields.recordStatus')}</th>
                <th scope="col" class="n">
                  {kit.t('fields.count')}
                </th>
                <th scope="col">{kit.t('fields.asOf')}</th>
              </tr>
            </thead>
            <tbody>
              {incident.records.map((r) => (
                <tr>
                  <td>{r.category}</td>
                  <td>{kit.t(`recordStatus.${r.status}`)}</td>
                  <td class="n">{r.count.toLocaleString(kit.lang)}</td>
                  <td class="d">{formatDate(kit.lang, r.asOf)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="damage">
        <h2 id="damage">{kit.t('ui.registers.secondary-damage')}</h2>
        {kit.may('program.write') ? (
          <p>
            <a class="button" href={`${kit.base}/secondary-damage/new?incident=${enc(incident.code)}`}>
              {kit.t('ui.form.newSecondaryDamage')}
            </a>
          </p>
        ) : null}
        {incident.secondaryDamage.length === 0 ? (
          <p class="muted">{kit.t('ui.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{kit.t('fields.reportedOn')}</th>
                <th scope="col">{kit.t('fields.damageKind')}</th>
                <th scope="col" class="n">
                  {kit.t('fields.count')}
                </th>
                <th scope="col">{kit.t('fields.description')}</th>
              </tr>
            </thead>
            <tbody>
              {incident.secondaryDamage.map((d) => (
                <tr>
                  <td class="d">{formatDate(kit.lang, d.reportedOn)}</td>
                  <td>{kit.t(`damage.${d.kind}`)}</td>
                  <td class="n">{d.count === undefined ? '—' : d.count.toLocaleString(kit.lang)}</td>
                  <td class="small">{d.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
