/** @jsxImportSource hono/jsx */
/**
 * Notifications in the web UI: the list (newest first, unread marked, each leading to what it is
 * about), the count of unread ones beside the user's name (an htmx fragment, refreshed each
 * minute), and one's settings: language, e-mail, webhook, how early, which kinds, the digest's day,
 * with the log of deliveries below.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppError } from '../../domain/errors.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../domain/reminders.ts';
import { formatInstant } from '../../i18n/format.ts';
import { type Language, translator } from '../../i18n/index.ts';
import { notificationText } from '../../i18n/notifications.ts';
import {
  type DeliveryRow,
  getNotificationSettings,
  listDeliveries,
  listNotifications,
  markNotificationsRead,
  NOTIFICATIONS_PAGE,
  type NotificationSettings,
  unreadCount,
  updateNotificationSettings,
} from '../../services/notification.service.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { FieldError, type FieldErrors } from './forms.tsx';
import { Layout } from './layout.tsx';
import { fieldErrors, postedForm } from './register-pages.tsx';
import { pageOf } from './register-table.tsx';

async function listPage(c: Context<AppEnv>) {
  const lang = c.var.lang;
  const tr = translator(lang);
  const unreadOnly = c.req.query('unread') === '1';
  const page = pageOf(c.req.query('page') ?? '');
  const { notifications, unread, total } = await listNotifications(c.var.ctx, { unread: unreadOnly, page });
  const pages = Math.max(1, Math.ceil(total / NOTIFICATIONS_PAGE));
  const link = (p: number) =>
    `/notifications?${new URLSearchParams({ ...(unreadOnly ? { unread: '1' } : {}), page: String(p) })}`;
  return c.html(
    <Layout lang={lang} title={tr('ui.notifications.title')} path="/notifications">
      <h1>{tr('ui.notifications.title')}</h1>
      <p class="actions">
        <a href="/notifications" aria-current={unreadOnly ? undefined : 'page'}>
          {tr('ui.notifications.all')}
        </a>
        {' · '}
        <a href="/notifications?unread=1" aria-current={unreadOnly ? 'page' : undefined}>
          {tr('ui.notifications.unreadOnly', { count: unread })}
        </a>
        {' · '}
        <a href="/account/notifications">{tr('ui.notifications.settings')}</a>
      </p>
      {unread > 0 ? (
        <form method="post" action="/notifications/read" class="inline">
          <input type="hidden" name="all" value="1" />
          <button type="submit">{tr('ui.notifications.markAllRead')}</button>
        </form>
      ) : null}
      {notifications.length === 0 ? (
        <p class="muted">{tr(unreadOnly ? 'ui.notifications.noneUnread' : 'ui.notifications.none')}</p>
      ) : (
        <ol class="notifications">
          {notifications.map((n) => {
            const text = notificationText(lang, n);
            return (
              <li class={n.readAt ? 'read' : 'unread'}>
                <div class="n-head">
                  <span class={`badge n-${n.kind}`}>{tr(`notify.kind.${n.kind}`)}</span>{' '}
                  <time datetime={n.createdAt}>{formatInstant(lang, n.createdAt)}</time>
                  {n.readAt ? null : <span class="sr-only">{tr('ui.notifications.unread')}</span>}
                </div>
                <a class="n-title" href={text.path}>
                  {text.title}
                </a>
                {text.lines.map((l) => (
                  <p class="n-line">{l}</p>
                ))}
                {n.readAt ? null : (
                  <form method="post" action="/notifications/read" class="inline">
                    <input type="hidden" name="ids" value={n.id} />
                    <button type="submit" class="link-button">
                      {tr('ui.notifications.markRead')}
                    </button>
                  </form>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {pages > 1 ? (
        <nav class="sub" aria-label={tr('ui.register.pages')}>
          {page > 1 ? <a href={link(page - 1)}>{tr('ui.register.previous')}</a> : null}{' '}
          <span>{tr('ui.notifications.page', { page, pages })}</span>{' '}
          {page < pages ? <a href={link(page + 1)}>{tr('ui.register.next')}</a> : null}
        </nav>
      ) : null}
    </Layout>,
  );
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const FIELDS_WITH_ERRORS = ['email', 'dueDays', 'webhookUrl'];
const FIELD_LABELS: Record<string, string> = {
  language: 'ui.notifications.language',
  emailEnabled: 'ui.notifications.emailEnabled',
  kindsOff: 'ui.notifications.kinds',
  digestWeekday: 'ui.notifications.digestWeekday',
};

function SettingsPage(props: {
  lang: Language;
  settings: NotificationSettings;
  deliveries: DeliveryRow[];
  email: boolean;
  errors?: FieldErrors | undefined;
  notice?: string | undefined;
}) {
  const { lang, settings: s, errors } = props;
  const tr = translator(lang);
  const invalid = (f: string) => (errors?.[f] ? 'true' : undefined);
  const described = (f: string) => (errors?.[f] ? `n-${f}-error` : undefined);
  // Errors of fields shown beside them; the rest (a language, a kind, a stale version) go on top.
  const unplaced = Object.entries(errors ?? {})
    .filter(([field]) => !FIELDS_WITH_ERRORS.includes(field))
    .map(([field, message]) => {
      const label = FIELD_LABELS[field.split('.')[0]!];
      return label ? `${tr(label)}: ${message}` : message;
    });
  return (
    <Layout lang={lang} title={tr('ui.notifications.settings')} path="/account/notifications">
      <div class="narrow">
        <h1>{tr('ui.notifications.settings')}</h1>
        <p>
          <a href="/notifications">{tr('ui.notifications.title')}</a>
        </p>
        {props.notice ? (
          <p class="notice" role="status">
            {props.notice}
          </p>
        ) : null}
        {unplaced.length > 0 ? (
          <div class="error" role="alert">
            {unplaced.map((m) => (
              <p>{m}</p>
            ))}
          </div>
        ) : null}
        <form method="post" action="/account/notifications" class="card">
          <input type="hidden" name="version" value={String(s.version)} />
          <label for="n-language">{tr('ui.notifications.language')}</label>
          <select id="n-language" name="language">
            <option value="" selected={s.language === null}>
              {tr('ui.notifications.serverLanguage')}
            </option>
            <option value="ja" selected={s.language === 'ja'} lang="ja">
              日本語
            </option>
            <option value="en" selected={s.language === 'en'} lang="en">
              English
            </option>
          </select>

          <label for="n-email">{tr('ui.notifications.email')}</label>
          <input
            id="n-email"
            name="email"
            type="email"
            autocomplete="email"
            value={s.email ?? ''}
            aria-invalid={invalid('email')}
            aria-describedby={described('email')}
          />
          <FieldError id="n-email" errors={errors} field="email" />
          <label class="check-label">
            <input type="checkbox" class="check" name="emailEnabled" value="1" checked={s.emailEnabled} />{' '}
            {tr('ui.notifications.emailEnabled')}
          </label>
          {props.email ? null : <p class="muted">{tr('ui.notifications.noSmtp')}</p>}

          <label for="n-due">{tr('ui.notifications.dueDays')}</label>
          <input
            id="n-due"
            name="dueDays"
            type="number"
            min="0"
            max="90"
            required
            value={String(s.dueDays)}
            aria-invalid={invalid('dueDays')}
            aria-describedby={described('dueDays')}
          />
          <FieldError id="n-dueDays" errors={errors} field="dueDays" />

          <fieldset>
            <legend>{tr('ui.notifications.kinds')}</legend>
            {NOTIFICATION_KINDS.map((k) => (
              <label class="check-label">
                <input
                  type="checkbox"
                  class="check"
                  name="kinds"
                  value={k}
                  checked={!s.kindsOff.includes(k)}
                />{' '}
                {tr(`notify.kind.${k}`)}
              </label>
            ))}
          </fieldset>

          <label for="n-digest">{tr('ui.notifications.digestWeekday')}</label>
          <select id="n-digest" name="digestWeekday">
            {WEEKDAYS.map((d) => (
              <option value={String(d)} selected={s.digestWeekday === d}>
                {tr(`ui.notifications.weekday.${d}`)}
              </option>
            ))}
          </select>

          <label for="n-webhook">{tr('ui.notifications.webhookUrl')}</label>
          <input
            id="n-webhook"
            name="webhookUrl"
            type="url"
            value={s.webhookUrl ?? ''}
            placeholder="https://"
            aria-invalid={invalid('webhookUrl')}
            aria-describedby={described('webhookUrl')}
          />
          <FieldError id="n-webhookUrl" errors={errors} field="webhookUrl" />
          {s.webhookSecret ? (
            <>
              <p class="muted">{tr('ui.notifications.webhookHelp')}</p>
              <p>
                {tr('ui.notifications.webhookSecret')} <code class="secret">{s.webhookSecret}</code>
              </p>
              <label class="check-label">
                <input type="checkbox" class="check" name="newWebhookSecret" value="1" />{' '}
                {tr('ui.notifications.newWebhookSecret')}
              </label>
            </>
          ) : null}
          <button type="submit">{tr('ui.form.save')}</button>
        </form>

        <h2 id="deliveries-h">{tr('ui.notifications.deliveries')}</h2>
        <table aria-labelledby="deliveries-h">
          <thead>
            <tr>
              <th>{tr('ui.notifications.at')}</th>
              <th>{tr('ui.notifications.kind')}</th>
              <th>{tr('ui.notifications.channel')}</th>
              <th>{tr('ui.notifications.target')}</th>
              <th>{tr('ui.notifications.attempt')}</th>
              <th>{tr('ui.notifications.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {props.deliveries.length === 0 ? (
              <tr>
                <td colspan={6} class="muted">
                  {tr('ui.none')}
                </td>
              </tr>
            ) : null}
            {props.deliveries.map((d) => (
              <tr>
                <td class="d">{formatInstant(lang, d.at)}</td>
                <td>{tr(`notify.kind.${d.kind}`)}</td>
                <td>{tr(`ui.notifications.channels.${d.channel}`)}</td>
                <td>{d.target}</td>
                <td class="num">{d.attempt}</td>
                <td>
                  {tr(`ui.notifications.outcomes.${d.outcome}`)}
                  {d.status ? ` (${d.status})` : ''}
                  {d.error && d.outcome === 'failed' ? <span class="muted"> — {d.error}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

/** A posted settings form → the service's input (unchecked kinds are the ones turned off). */
function settingsInput(posted: Record<string, unknown>): Record<string, unknown> {
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const kinds = ([] as unknown[]).concat(posted.kinds ?? []).filter((k) => typeof k === 'string');
  const int = (v: unknown) => {
    const s = String(one(v) ?? '').trim();
    return /^-?\d+$/.test(s) ? Number(s) : s;
  };
  return {
    language: one(posted.language) ?? null,
    email: one(posted.email) ?? null,
    emailEnabled: one(posted.emailEnabled) === '1',
    webhookUrl: one(posted.webhookUrl) ?? null,
    ...(one(posted.newWebhookSecret) === '1' ? { newWebhookSecret: true } : {}),
    dueDays: int(posted.dueDays),
    digestWeekday: int(posted.digestWeekday),
    kindsOff: NOTIFICATION_KINDS.filter((k) => !kinds.includes(k)) as NotificationKind[],
    version: int(posted.version),
  };
}

export function registerNotificationPages(app: OpenAPIHono<AppEnv>, deps: Pick<AppDeps, 'email'>): void {
  app.get('/notifications', listPage);
  app.get('/notifications/badge', async (c) => {
    c.header('cache-control', 'no-store');
    // Signed out in another tab: no count, and no sending this page away from a form being filled.
    if (c.var.ctx.actor.principal.kind === 'anonymous') return c.html('');
    const unread = await unreadCount(c.var.ctx);
    const tr = translator(c.var.lang);
    return c.html(
      unread > 0 ? (
        <span class="count" title={tr('ui.notifications.unreadOnly', { count: unread })}>
          {unread}
        </span>
      ) : (
        ''
      ),
    );
  });
  app.post('/notifications/read', async (c) => {
    const posted = await postedForm(c);
    const ids = ([] as unknown[]).concat(posted.ids ?? []);
    await markNotificationsRead(c.var.ctx, posted.all === '1' ? { all: true } : { ids });
    return c.redirect('/notifications', 303);
  });
  const settingsPage = async (
    c: Context<AppEnv>,
    extra: { errors?: FieldErrors; notice?: string; posted?: Record<string, unknown> } = {},
    status = 200,
  ) =>
    c.html(
      <SettingsPage
        lang={c.var.lang}
        // A refused form shows what was sent, beside its errors (the key stays the stored one's).
        settings={{
          ...(await getNotificationSettings(c.var.ctx)),
          ...(extra.posted as Partial<NotificationSettings> | undefined),
        }}
        deliveries={await listDeliveries(c.var.ctx)}
        email={deps.email ?? false}
        {...extra}
      />,
      status as 200,
    );
  app.get('/account/notifications', (c) => settingsPage(c));
  app.post('/account/notifications', async (c) => {
    const input = settingsInput((await postedForm(c)) as Record<string, unknown>);
    try {
      await updateNotificationSettings(c.var.ctx, input);
      return settingsPage(c, { notice: translator(c.var.lang)('ui.notifications.saved') });
    } catch (err) {
      const { version: _version, newWebhookSecret: _new, ...posted } = input;
      return settingsPage(c, { errors: fieldErrors(err, c.var.lang), posted }, (err as AppError).status);
    }
  });
}
