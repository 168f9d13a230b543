/** @jsxImportSource hono/jsx */
/** The audit log of a program as a page, newest first, for auditors and admins. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { formatInstant } from '../../i18n/format.ts';
import { translator } from '../../i18n/index.ts';
import { listAuditEvents } from '../../services/audit.service.ts';
import { getProgram } from '../../services/program.service.ts';
import { readQuery } from '../api/define.ts';
import type { AppEnv } from '../env.ts';
import { Layout } from './layout.tsx';
import { codeParam } from './params.ts';

const PAGE_SIZE = 200;
/** The page's query: where to start (other parameters, such as `lang`, are the app's). */
const PAGE_QUERY = z.object({
  before: z.coerce.number().int().min(1).optional(),
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  code: z.string().max(64).optional(),
});

/** When a replayed history's event was really written (its own instant is the day it replays). */
function replayedAt(payload: unknown): string | undefined {
  const at = (payload as { history?: { recordedAt?: unknown } } | null)?.history?.recordedAt;
  return typeof at === 'string' ? at : undefined;
}

export function registerAuditPage(app: OpenAPIHono<AppEnv>): void {
  app.get('/programs/:program/audit', async (c) => {
    const lang = c.var.lang;
    const t = translator(lang);
    const code = codeParam(c, 'program');
    const query = readQuery(c, PAGE_QUERY);
    const filters = Object.fromEntries(
      (['actor', 'action', 'code'] as const).filter((k) => query[k]).map((k) => [k, query[k]!.trim()]),
    );
    const events = await listAuditEvents(c.var.ctx, code, {
      limit: PAGE_SIZE,
      ...(query.before ? { before: query.before } : {}),
      ...filters,
    });
    const program = await getProgram(c.var.ctx, code);
    const older = events.at(-1);
    const api = `/api/v1/programs/${encodeURIComponent(code)}`;
    return c.html(
      <Layout
        lang={lang}
        title={t('ui.audit.title')}
        program={{ code, name: program.name }}
        current="audit"
        path={c.req.path}
      >
        <h1>{t('ui.audit.title')}</h1>
        <p class="sub">{t('ui.audit.subtitle')}</p>
        <form method="get" class="filters" aria-label={t('ui.register.filters')}>
          {(['actor', 'action', 'code'] as const).map((k) => (
            <div>
              <label for={`audit-${k}`}>{t(`ui.audit.filter.${k}`)}</label>
              <input id={`audit-${k}`} name={k} value={query[k] ?? ''} />
            </div>
          ))}
          <div class="filter-actions">
            <button type="submit">{t('ui.register.apply')}</button>{' '}
            <a href={`/programs/${encodeURIComponent(code)}/audit`}>{t('ui.register.clear')}</a>
          </div>
        </form>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col" class="n">
                  #
                </th>
                <th scope="col">{t('ui.audit.at')}</th>
                <th scope="col">{t('ui.audit.actor')}</th>
                <th scope="col">{t('ui.audit.action')}</th>
                <th scope="col">{t('fields.record')}</th>
                <th scope="col">{t('ui.audit.links')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr>
                  <td class="n">{e.id}</td>
                  <td class="d">{formatInstant(lang, e.at, program.timeZone)}</td>
                  <td>
                    <code>{e.actor}</code>
                  </td>
                  <td>
                    <code>{e.action}</code>
                    {replayedAt(e.payload) ? (
                      <div class="small muted">
                        {t('ui.audit.replayed', {
                          at: formatInstant(lang, replayedAt(e.payload)!, program.timeZone),
                        })}
                      </div>
                    ) : null}
                  </td>
                  <td>{e.code ? <code>{e.code}</code> : '—'}</td>
                  <td class="small">
                    <a href={`${api}/export?asOf=${encodeURIComponent(e.at)}`}>{t('ui.audit.then')}</a>
                    {' · '}
                    <a href={`${api}/audit/${e.id}/proof`}>{t('ui.audit.proof')}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {older && events.length === PAGE_SIZE ? (
          <p>
            <a href={`/programs/${encodeURIComponent(code)}/audit?before=${older.id}`}>
              {t('ui.audit.older')}
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });
}
