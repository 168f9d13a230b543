/** @jsxImportSource hono/jsx */
/** The facts of the group diagrams as tables: who owns whom, who holds what over the regulated organization, the exposure paths. */
import type { TFunction } from 'i18next';
import type { ControlChain } from '../../services/governance.service.ts';
import type { ChainHolding } from './diagrams.tsx';
import type { EdgeEnd, namer, PathRow } from './group-data.ts';

export interface TableWords {
  t: TFunction;
  number: (n: number) => string;
  percent: (n: number) => string;
  via: (via: string) => string;
  end: (end: EdgeEnd) => string;
  names: ReturnType<typeof namer>;
}

const CAPTION = 'caption-side:top;text-align:left;font-weight:600;padding:4px 0 6px';
const SPACED = 'margin:0 0 16px';

function Org(props: { words: TableWords; code: string }) {
  const name = props.words.names.organization(props.code);
  return (
    <span>
      {name}
      {name === props.code ? null : (
        <>
          {' '}
          <code class="muted">{props.code}</code>
        </>
      )}
    </span>
  );
}

/** Names of a chain of holdings, holder first. */
function chainNames(words: TableWords, steps: ControlChain['holders'][number]['chain']): string {
  return [steps[0]?.owner, ...steps.map((s) => s.owned)]
    .filter((c): c is string => c !== undefined)
    .map(words.names.organization)
    .join(' → ');
}

/** Who owns whom: the edges of the control chain diagram. */
export function OwnershipTable(props: { words: TableWords; holdings: ChainHolding[] }) {
  const { words } = props;
  const { t } = words;
  return (
    <table style={SPACED}>
      <caption style={CAPTION}>{t('ui.group.chain.ownerships')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('ui.group.chain.owner')}</th>
          <th scope="col">{t('ui.group.chain.owned')}</th>
          <th scope="col" class="n">
            {t('ui.group.chain.share')}
          </th>
          <th scope="col" class="n">
            {t('ui.group.chain.voting')}
          </th>
        </tr>
      </thead>
      <tbody>
        {props.holdings.map((h) => (
          <tr>
            <td>
              <Org words={words} code={h.owner} />
            </td>
            <td>
              <Org words={words} code={h.owned} />
            </td>
            <td class="n">{words.percent(h.share)}</td>
            <td class="n">{words.percent(h.voting)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Who holds what over the regulated organization, directly or through others. */
export function HoldersTable(props: { words: TableWords; chain: ControlChain; regulated: string }) {
  const { words, chain } = props;
  const { t } = words;
  return (
    <table style={SPACED}>
      <caption style={CAPTION}>{t('ui.group.chain.holders', { org: props.regulated })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('ui.group.chain.holder')}</th>
          <th scope="col" class="n">
            {t('ui.group.chain.effective')}
          </th>
          <th scope="col">{t('ui.group.chain.controls')}</th>
          <th scope="col">{t('ui.group.chain.path')}</th>
        </tr>
      </thead>
      <tbody>
        {chain.holders.map((h) => (
          <tr>
            <td>
              <Org words={words} code={h.holder} />
            </td>
            <td class="n">{words.percent(h.effective)}</td>
            <td>{h.controls ? t('ui.yes') : t('ui.no')}</td>
            <td>{chainNames(words, h.chain)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Outsourcing providers that hold a stake in their own customer, or are controlled by one that does. */
export function ProvidersTable(props: { words: TableWords; chain: ControlChain }) {
  const { words, chain } = props;
  const { t } = words;
  return (
    <table style={SPACED}>
      <caption style={CAPTION}>{t('ui.group.chain.providers')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('ui.group.chain.relationship')}</th>
          <th scope="col">{t('ui.group.chain.provider')}</th>
          <th scope="col">{t('ui.group.chain.customer')}</th>
          <th scope="col">{t('ui.group.chain.through')}</th>
          <th scope="col" class="n">
            {t('ui.group.chain.effective')}
          </th>
          <th scope="col">{t('ui.group.chain.path')}</th>
        </tr>
      </thead>
      <tbody>
        {chain.providersInChain.length === 0 ? (
          <tr>
            <td colspan={6} class="muted">
              {t('ui.none')}
            </td>
          </tr>
        ) : null}
        {chain.providersInChain.map((p) => (
          <tr>
            <td>
              <code>{p.relationship}</code>
            </td>
            <td>
              <Org words={words} code={p.provider} />
            </td>
            <td>
              <Org words={words} code={p.customer} />
            </td>
            <td>{p.through === null ? '—' : <Org words={words} code={p.through} />}</td>
            <td class="n">{words.percent(p.effective)}</td>
            <td>{chainNames(words, p.chain)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One step of a path in words: how, until when (with the milestone that ends it), and where to. */
function StepText(props: { words: TableWords; step: PathRow['steps'][number] }) {
  const { words, step } = props;
  const how = step.end
    ? words.t('ui.group.exposure.step', {
        via: words.via(step.via),
        end: `${words.end(step.end)}${step.end.milestone && step.end.date !== null ? ` (${step.end.milestone})` : ''}`,
      })
    : words.via(step.via);
  return (
    <>
      {' '}
      <span class="muted small">{`—${how}→`}</span> {words.names.system(step.to)}
    </>
  );
}

export function PathTable(props: { words: TableWords; rows: PathRow[] }) {
  const { words, rows } = props;
  const { t } = words;
  return (
    <table>
      <caption style={CAPTION}>{t('ui.group.exposure.paths')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('ui.group.exposure.organization')}</th>
          <th scope="col">{t('ui.group.exposure.system')}</th>
          <th scope="col">{t('ui.group.exposure.criticality')}</th>
          <th scope="col">{t('ui.group.exposure.path')}</th>
          <th scope="col">{t('ui.group.exposure.dataClasses')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td colspan={5} class="muted">
              {t('ui.group.exposure.empty')}
            </td>
          </tr>
        ) : null}
        {rows.map((r) => (
          <tr>
            <td>
              <Org words={words} code={r.organization} />
            </td>
            <td>
              {r.reached.name} <code class="muted">{r.reached.system}</code>
            </td>
            <td>
              {r.reached.criticality === 'critical' ? (
                <strong>{t(`criticality.${r.reached.criticality}`)}</strong>
              ) : (
                t(`criticality.${r.reached.criticality}`)
              )}
            </td>
            <td>
              {r.steps.map((s) => (
                <StepText words={words} step={s} />
              ))}
            </td>
            <td>{r.reached.dataClasses.join(', ') || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
