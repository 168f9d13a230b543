/** @jsxImportSource hono/jsx */
/**
 * A measure's verifications on its page: each result, when it falls due again, and what the result
 * asks for next — the additional measure an ineffective result needs, the evidence that closing the
 * measure needs.
 */
import type { MeasureInput } from '../../domain/program-file/schema.ts';
import { closingIssue, latestPerformed, reverificationDue } from '../../domain/verification-gate.ts';
import { formatDate } from '../../i18n/format.ts';
import { type Language, translator } from '../../i18n/index.ts';

const enc = encodeURIComponent;

export function VerificationList(props: {
  lang: Language;
  base: string;
  measure: MeasureInput;
  today: string;
}) {
  const { lang, base, measure: m } = props;
  const t = translator(lang);
  const again = reverificationDue(m, props.today);
  const latest = latestPerformed(m.verifications);
  const gate = m.verifications.map((v) => ({ ...v, attached: v.attachments.length }));
  // Closing needs the latest check effective, with evidence: say what is missing, before anyone tries.
  const closable = m.status !== 'closed' && m.status !== 'cancelled' && latest?.result === 'effective';
  const missingEvidence = closable && closingIssue('closed', gate, m.code) !== undefined;
  return (
    <>
      <ul class="plain verifications">
        {m.verifications.map((v) => (
          <li>
            <a href={`${base}/verifications/${enc(v.code)}/edit`}>
              <code>{v.code}</code>
            </a>{' '}
            {v.method} —{' '}
            {[
              v.plannedOn ? `${t('ui.planned')} ${formatDate(lang, v.plannedOn)}` : '',
              v.performedOn ? `${t('ui.performed')} ${formatDate(lang, v.performedOn)}` : '',
            ]
              .filter(Boolean)
              .join(', ') || t('ui.verification.undated')}
            {v.result ? (
              <>
                {' '}
                <span class={`badge r-${v.result}`}>{t(`result.${v.result}`)}</span>
              </>
            ) : null}
            {v.attachments.length > 0 ? (
              <span class="small muted">
                {' '}
                · {t('ui.verification.attached', { count: v.attachments.length })}
              </span>
            ) : null}
            {again?.verification === v.code ? (
              <div class="small">
                {t('ui.verification.dueAgain', {
                  recurrence: t(`recurrence.${again.recurrence}`),
                  due: formatDate(lang, again.due),
                })}{' '}
                {again.days < 0 ? <span class="badge s-late">{t('ui.verification.overdue')}</span> : null}
              </div>
            ) : null}
            {v.result === 'ineffective' && v.followUpMeasure === undefined ? (
              <div class="callout warn" role="alert">
                <p>{t('ui.verification.ineffectiveAsks', { code: v.code })}</p>
                <p>
                  <a class="button" href={`${base}/verifications/${enc(v.code)}/edit#f-followUpMeasure`}>
                    {t('ui.verification.nameFollowUp')}
                  </a>{' '}
                  <a href={`${base}/measures/new`}>{t('ui.verification.newFollowUp')}</a>
                </p>
              </div>
            ) : null}
            {v.followUpMeasure !== undefined ? (
              <div class="small muted">
                {t('ui.verification.answeredBy')}{' '}
                <a href={`${base}/measures/${enc(v.followUpMeasure)}`}>
                  <code>{v.followUpMeasure}</code>
                </a>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {missingEvidence ? (
        <p class="small">{t('ui.verification.attachToClose', { code: latest!.code })}</p>
      ) : null}
      <p>
        <a href={`${base}/verifications/new?measure=${enc(m.code)}`}>{t('ui.form.newVerification')}</a>
      </p>
    </>
  );
}
