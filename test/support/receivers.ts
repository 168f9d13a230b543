/**
 * Real receivers for the notification tests: an SMTP server (smtp-server) in the test process that
 * keeps every message it accepted, parsed (mailparser), and an HTTP server that takes webhooks and
 * can be told to fail the first attempts.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  language: string | undefined;
  notification: string | undefined;
  kind: string | undefined;
}

export interface MailReceiver {
  url: string;
  mails: ReceivedMail[];
  /** Holds the next `n` messages unanswered until `release()` (a sender killed meanwhile never hears back). */
  hold(n: number): void;
  held(): number;
  close(): Promise<void>;
}

const header = (m: ParsedMail, name: string) => {
  const v = m.headers.get(name);
  return typeof v === 'string' ? v : undefined;
};

export async function startMailReceiver(): Promise<MailReceiver> {
  const mails: ReceivedMail[] = [];
  let toHold = 0;
  let holding = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (toHold > 0) {
          // Never answered: the sender cannot know whether it was delivered, and it was not.
          toHold--;
          holding++;
          return;
        }
        const parsed = await simpleParser(Buffer.concat(chunks));
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address).join(','),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : '',
          language: header(parsed, 'content-language'),
          notification: header(parsed, 'x-oversight-notification'),
          kind: header(parsed, 'x-oversight-kind'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    mails,
    hold: (n) => {
      toHold = n;
    },
    held: () => holding,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedHook {
  headers: IncomingMessage['headers'];
  body: string;
  status: number;
}

export interface HookReceiver {
  url: string;
  /** Every request, answered or refused. */
  requests: ReceivedHook[];
  /** Answer the next `n` requests with 503. */
  failNext(n: number): void;
  /** Take this long to answer each request from now on. */
  answerAfter(ms: number): void;
  close(): Promise<void>;
}

export async function startHookReceiver(): Promise<HookReceiver> {
  const requests: ReceivedHook[] = [];
  let failures = 0;
  let delay = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = failures > 0 ? 503 : 204;
      if (failures > 0) failures--;
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      setTimeout(() => res.writeHead(status).end(), delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/oversight`,
    requests,
    failNext: (n) => {
      failures = n;
    },
    answerAfter: (ms) => {
      delay = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
