/** The API of one's notifications: the list (in the caller's language), marking read, settings, deliveries. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { NOTIFICATION_KINDS } from '../../domain/reminders.ts';
import { LANGUAGES } from '../../i18n/index.ts';
import { notificationText } from '../../i18n/notifications.ts';
import {
  getNotificationSettings,
  listDeliveries,
  listNotifications,
  markNotificationsRead,
  readSchema,
  settingsSchema,
  updateNotificationSettings,
} from '../../services/notification.service.ts';
import type { AppEnv } from '../env.ts';
import { define, readBody, readQuery } from './define.ts';

const listQuery = z.object({
  unread: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).optional(),
});

const notification = z.object({
  id: z.uuid(),
  kind: z.enum(NOTIFICATION_KINDS),
  program: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
  title: z.string(),
  text: z.string(),
  path: z.string(),
  params: z.record(z.string(), z.unknown()),
});

const settings = z.object({
  language: z.enum(LANGUAGES).nullable(),
  email: z.string().nullable(),
  emailEnabled: z.boolean(),
  webhookUrl: z.string().nullable(),
  webhookSecret: z.string().nullable(),
  dueDays: z.number().int(),
  kindsOff: z.array(z.enum(NOTIFICATION_KINDS)),
  digestWeekday: z.number().int(),
  version: z.number().int(),
});

export function registerNotificationApi(app: OpenAPIHono<AppEnv>): void {
  define(app, {
    method: 'get',
    path: '/notifications',
    tag: 'Notifications',
    summary: 'My notifications, newest first, 50 a page, in the language of the request',
    query: listQuery,
    response: z.object({
      unread: z.number().int(),
      total: z.number().int(),
      notifications: z.array(notification),
    }),
    handler: async (c) => {
      const q = readQuery(c, listQuery);
      const list = await listNotifications(c.var.ctx, { unread: q.unread === 'true', page: q.page ?? 1 });
      return c.json({
        unread: list.unread,
        total: list.total,
        notifications: list.notifications.map((n) => {
          const text = notificationText(c.var.lang, n);
          return { ...n, title: text.title, text: text.lines.join('\n\n'), path: text.path };
        }),
      });
    },
  });
  define(app, {
    method: 'post',
    path: '/notifications/read',
    tag: 'Notifications',
    summary: 'Mark some of my notifications read (`ids`), or all of them (`all: true`)',
    body: readSchema,
    response: z.object({ marked: z.number().int() }),
    handler: async (c) => c.json({ marked: await markNotificationsRead(c.var.ctx, await readBody(c)) }),
  });
  define(app, {
    method: 'get',
    path: '/me/notification-settings',
    tag: 'Notifications',
    summary: 'My notification settings (through a session of the browser only: they hold the webhook’s key)',
    response: settings,
    handler: async (c) => c.json(await getNotificationSettings(c.var.ctx)),
  });
  define(app, {
    method: 'patch',
    path: '/me/notification-settings',
    tag: 'Notifications',
    summary: 'Change my notification settings: only the fields sent (a new webhook address gets a new key)',
    body: settingsSchema,
    response: settings,
    handler: async (c) => c.json(await updateNotificationSettings(c.var.ctx, await readBody(c))),
  });
  define(app, {
    method: 'get',
    path: '/me/deliveries',
    tag: 'Notifications',
    summary: 'The log of deliveries of my notifications by e-mail and webhook, newest first',
    response: z.array(
      z.object({
        notification: z.uuid(),
        kind: z.enum(NOTIFICATION_KINDS),
        channel: z.enum(['email', 'webhook']),
        target: z.string(),
        attempt: z.number().int(),
        outcome: z.enum(['sent', 'failed', 'skipped']),
        status: z.number().int().nullable(),
        error: z.string().nullable(),
        at: z.string(),
      }),
    ),
    handler: async (c) => c.json(await listDeliveries(c.var.ctx)),
  });
}
