/**
 * Delivering a notification on one channel: an e-mail over SMTP (nodemailer) or a webhook (an
 * HTTP POST signed with HMAC-SHA256 over a timestamp and the body). Each attempt is written to the
 * delivery log; a failed one throws, so that the job queue tries again later. The text is made at
 * sending time in the person's language (their setting, else the server's).
 */
import { createHmac } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { type Kysely, sql, type Transaction } from 'kysely';
import nodemailer from 'nodemailer';
import type { Job } from '../db/jobs.ts';
import type { DB } from '../db/schema.ts';
import type { NotificationKind } from '../domain/reminders.ts';
import { type Language, t } from '../i18n/index.ts';
import { notificationText } from '../i18n/notifications.ts';
import type { Channel } from './notification.service.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  language: Language;
  /** The notification's id: the Message-ID and a header, so a receiver can tell a repeat. */
  notification: string;
  kind: NotificationKind;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

const SMTP_TIMEOUTS_MS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/** A mailer over SMTP, from a URL such as `smtp://user:pass@host:587` or `smtps://host`. */
export function smtpMailer(url: string, from: string): Mailer {
  // nodemailer waits up to ten minutes on a silent server by default; a minute is plenty. Its URL
  // carries options as query parameters, and one the operator wrote there wins.
  const withTimeouts = new URL(url);
  for (const [name, ms] of Object.entries(SMTP_TIMEOUTS_MS))
    if (!withTimeouts.searchParams.has(name)) withTimeouts.searchParams.set(name, String(ms));
  const transport = nodemailer.createTransport(withTimeouts.toString());
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: `<${mail.notification}@oversight>`,
        headers: {
          'Content-Language': mail.language,
          'X-Oversight-Notification': mail.notification,
          'X-Oversight-Kind': mail.kind,
        },
      });
    },
  };
}

/**
 * The signature a webhook request carries in `Oversight-Signature: t=<unix seconds>,v1=<hex>`:
 * HMAC-SHA256 with the receiver's secret over `<unix seconds>.<body>`. A receiver recomputes it,
 * compares in constant time, and refuses a timestamp more than a few minutes old (a replay).
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export interface DeliveryDeps {
  mailer: Mailer | undefined;
  /** Where the app is reached, for the links in messages. */
  baseUrl: string;
  /** The language of people who chose none. */
  language: Language;
  /** Who is delivering, for the log. */
  worker: string;
  webhookTimeoutMs?: number;
  /** Let webhooks reach loopback and private addresses; refused otherwise. */
  allowPrivateWebhooks?: boolean;
}

/**
 * The addresses a webhook may not reach unless the operator allows it: a person's webhook URL
 * would otherwise let them make the server post to its own loopback, the cloud's metadata service
 * (169.254.169.254) or the internal network.
 */
const PRIVATE_NETWORKS = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE_NETWORKS.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE_NETWORKS.addSubnet(net, prefix, 'ipv6');

// An IPv4 address written as IPv6 (::ffff:127.0.0.1) is judged by BlockList as the IPv4 address it is.
const isPrivateAddress = (address: string) =>
  PRIVATE_NETWORKS.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** The private address a webhook URL leads to, if any (its host looked up as the sender would). */
export async function privateWebhookAddress(url: string): Promise<string | undefined> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  return addresses.find(isPrivateAddress);
}

const privateAddressError = (address: string) =>
  new Error(
    `the webhook's address leads to ${address}, a private or loopback address (allowed only with OVERSIGHT_WEBHOOK_ALLOW_PRIVATE=true)`,
  );

/**
 * The look-up the connection itself uses: a private address is refused here, so the address checked
 * is the address connected to — a name cannot resolve to a public address for a check and to a
 * private one for the connection (DNS rebinding).
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) return callback(privateAddressError(blocked.address), '', 0);
    if (addresses.length === 0) return callback(new Error(`no address for ${hostname}`), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** POSTs a webhook's body; answers the status. No redirect is followed. */
function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
  allowPrivate: boolean,
): Promise<number> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  // An address written in the URL is not looked up: it is judged as it is.
  if (!allowPrivate && isIP(host) && isPrivateAddress(host)) return Promise.reject(privateAddressError(host));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal,
        ...(allowPrivate ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    // Aborted: say why (a timeout, or the claim lost to another process), as fetch would.
    req.on('error', (err) => reject(signal.aborted ? signal.reason : err));
    req.end(body);
  });
}

function payloadOf(job: Job): { notification: string; channel: Channel } {
  const p = job.payload as { notification?: unknown; channel?: unknown };
  if (typeof p?.notification !== 'string' || (p.channel !== 'email' && p.channel !== 'webhook'))
    throw new Error(`job ${job.id} has no notification and channel`);
  return { notification: p.notification, channel: p.channel };
}

/** Writes a finished delivery's log row; run in the transaction that marks its job done. */
export type DeliveryRecord = (db: Kysely<DB> | Transaction<DB>) => Promise<unknown>;

/**
 * Delivers a notification on the job's channel. A failed attempt is logged and thrown; a sent (or
 * skipped) one is not logged here but handed back, so that its log row and the job's completion
 * are written together: once a receiver has accepted a message, nothing may make it look unsent.
 * `signal` aborts a send whose claim was lost to another process.
 */
export async function deliverNotification(
  db: Kysely<DB>,
  job: Job,
  deps: DeliveryDeps,
  signal?: AbortSignal,
): Promise<DeliveryRecord | undefined> {
  const { notification, channel } = payloadOf(job);
  const n = await db
    .selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .leftJoin('notification_settings as s', 's.user_id', 'n.user_id')
    .select([
      'n.id',
      'n.kind',
      'n.program_code',
      'n.params',
      'n.created_at',
      'u.disabled_at',
      's.language',
      's.email',
      's.email_enabled',
      's.webhook_url',
      's.webhook_secret',
      's.kinds_off',
      sql<boolean>`n.program_code is null or exists (select 1 from role_assignments r
        where r.user_id = n.user_id and r.program_code = n.program_code)`.as('concerned'),
    ])
    .where('n.id', '=', notification)
    .executeTakeFirst();
  // Gone with its user: nothing to deliver.
  if (!n) return undefined;
  const lang: Language = n.language ?? deps.language;
  const facts = {
    id: n.id,
    kind: n.kind as NotificationKind,
    program: n.program_code,
    params: n.params as Record<string, unknown>,
  };
  const text = notificationText(lang, facts);
  const link = new URL(text.path, deps.baseUrl).toString();
  const entry = (
    target: string,
    outcome: 'sent' | 'failed' | 'skipped',
    started: number,
    status?: number,
    error?: string,
  ): DeliveryRecord => {
    const row = {
      job_id: job.id,
      notification_id: n.id,
      channel,
      target,
      attempt: job.attempts,
      outcome,
      status: status ?? null,
      error: error?.slice(0, 1000) ?? null,
      worker: deps.worker,
      duration_ms: Math.round(performance.now() - started),
    };
    return (h) => h.insertInto('notification_deliveries').values(row).execute();
  };
  const started = performance.now();
  // The kind turned off, the account disabled or its role in the program taken away since the
  // reminder was made: not sent, and said so.
  const unwanted = n.disabled_at !== null || (n.kinds_off ?? []).includes(n.kind) || !n.concerned;

  const log = (...args: Parameters<typeof entry>) => entry(...args)(db);

  if (channel === 'email') {
    if (!n.email || n.email_enabled === false || unwanted) return entry(n.email ?? '-', 'skipped', started);
    if (!deps.mailer) {
      await log(n.email, 'failed', started, undefined, 'SMTP_URL is not set');
      throw new Error('SMTP_URL is not set: e-mail cannot be sent');
    }
    const settingsUrl = new URL('/account/notifications', deps.baseUrl).toString();
    const footer = t(lang, 'notify.footer', { program: n.program_code ?? '', url: settingsUrl });
    try {
      signal?.throwIfAborted();
      await deps.mailer.send({
        to: n.email,
        subject: t(lang, 'notify.emailSubject', { title: text.title }),
        text: [...text.lines, t(lang, 'notify.open', { url: link }), '—', footer].join('\n\n'),
        html: emailHtml(lang, text.title, text.lines, link, footer),
        language: lang,
        notification: n.id,
        kind: facts.kind,
      });
    } catch (err) {
      await log(n.email, 'failed', started, undefined, (err as Error).message);
      throw err;
    }
    return entry(n.email, 'sent', started);
  }

  if (!n.webhook_url || !n.webhook_secret || unwanted) return entry(n.webhook_url ?? '-', 'skipped', started);
  const body = JSON.stringify({
    id: n.id,
    kind: facts.kind,
    program: n.program_code,
    createdAt: new Date(n.created_at).toISOString(),
    language: lang,
    title: text.title,
    text: text.lines.join('\n\n'),
    url: link,
    params: facts.params,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  let status: number | undefined;
  try {
    status = await postWebhook(
      n.webhook_url,
      {
        'content-type': 'application/json',
        'user-agent': 'Oversight-Webhook/1',
        'oversight-delivery': n.id,
        'oversight-event': facts.kind,
        'oversight-signature': `t=${timestamp},v1=${webhookSignature(n.webhook_secret, timestamp, body)}`,
      },
      body,
      AbortSignal.any([AbortSignal.timeout(deps.webhookTimeoutMs ?? 10_000), ...(signal ? [signal] : [])]),
      deps.allowPrivateWebhooks ?? false,
    );
    if (status < 200 || status > 299) throw new Error(`the receiver answered ${status}`);
  } catch (err) {
    await log(n.webhook_url, 'failed', started, status, (err as Error).message);
    throw err;
  }
  return entry(n.webhook_url, 'sent', started, status);
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function emailHtml(lang: Language, title: string, lines: string[], link: string, footer: string): string {
  const paragraphs = lines.map((l) => `<p>${escapeHtml(l).replace(/\n/g, '<br>')}</p>`).join('');
  return `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif;line-height:1.5">
<h1 style="font-size:18px">${escapeHtml(title)}</h1>${paragraphs}
<p><a href="${escapeHtml(link)}">${escapeHtml(t(lang, 'notify.open', { url: link }))}</a></p>
<hr><p style="color:#555;font-size:12px">${escapeHtml(footer)}</p></body></html>`;
}
