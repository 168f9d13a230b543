/** @jsxImportSource hono/jsx */
/** A record's history from the audit log: who changed what, when, before → after. */
import { formatInstant } from '../../i18n/format.ts';
import { type Language, translator } from '../../i18n/index.ts';
import type { HistoryEntry } from '../../services/audit.service.ts';

export function History(props: { lang: Language; entries: HistoryEntry[]; timeZone: string }) {
  const t = translator(props.lang);
  return (
    <section aria-labelledby="history">
      <h2 id="history">{t('ui.history.title')}</h2>
      {props.entries.length === 0 ? (
        <p class="muted">{t('ui.none')}</p>
      ) : (
        <details class="form" open={props.entries.length <= 3 ? true : undefined}>
          <summary>{t('ui.history.count', { count: props.entries.length })}</summary>
          <table>
            <thead>
              <tr>
                <th scope="col" class="n">
                  #
                </th>
                <th scope="col">{t('ui.audit.at')}</th>
                <th scope="col">{t('ui.audit.actor')}</th>
                <th scope="col">{t('ui.audit.action')}</th>
                <th scope="col">{t('ui.history.changes')}</th>
              </tr>
            </thead>
            <tbody>
              {props.entries.map((e) => (
                <tr>
                  <td class="n">{e.seq}</td>
                  <td class="d">{formatInstant(props.lang, e.at, props.timeZone)}</td>
                  <td>
                    <code>{e.actor}</code>
                  </td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td class="small">
                    {e.changes.length === 0 ? (
                      <span class="muted">{t('ui.history.created')}</span>
                    ) : (
                      <ul class="plain">
                        {e.changes.map((c) => (
                          <li>
                            <code>{c.field}</code>: <del>{c.before}</del> → <ins>{c.after}</ins>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
