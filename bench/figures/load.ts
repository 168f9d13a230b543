/**
 * The program dashboard API under load: 64 connections for 10 s (autocannon, in a process of its
 * own), against the app on a real socket with the generated program loaded, then against a bare
 * `node:http` server sending the same bytes, in the same run: the ceiling this machine allows.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';
import { BENCH_BACKENDS, loadedDatabase, type Row, SCALE } from '../support.ts';

const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

interface Load {
  p99: number;
  throughput: number;
  non2xx: number;
  errors: number;
}

/** Runs autocannon in a child process (so it does not share the server's event loop). */
function load(url: string, headers: Record<string, string>): Promise<Load> {
  const args = [autocannonBin, '-c', String(CONNECTIONS), '-d', String(SECONDS), '-j'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(err);
      const r = JSON.parse(stdout) as {
        latency: { p99: number };
        requests: { average: number };
        non2xx: number;
        errors: number;
      };
      resolve({ p99: r.latency.p99, throughput: r.requests.average, non2xx: r.non2xx, errors: r.errors });
    });
  });
}

const listening = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
const closing = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

export async function loadFigures(detail: (line: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  for (const backend of BENCH_BACKENDS) {
    const { t, code, token } = await loadedDatabase(backend);
    const app = createApp({ database: t, logger: createLogger('error') });
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
    });
    try {
      const port = (server.address() as AddressInfo).port;
      const url = `http://127.0.0.1:${port}/api/v1/programs/${code}/dashboard`;
      const headers = { authorization: `Bearer ${token}` };
      const first = await fetch(url, { headers });
      if (first.status !== 200) throw new Error(`dashboard: ${first.status} ${await first.text()}`);
      const body = Buffer.from(await first.arrayBuffer());
      const type = first.headers.get('content-type') ?? 'application/json';
      const app_ = await load(url, headers);
      if (app_.non2xx > 0 || app_.errors > 0)
        throw new Error(`dashboard under load: ${app_.non2xx} non-2xx, ${app_.errors} errors`);
      const bare = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': type, 'content-length': body.length });
        res.end(body);
      });
      const barePort = await listening(bare);
      const ceiling = await load(`http://127.0.0.1:${barePort}/`, headers);
      await closing(bare);
      detail(
        `\ndashboard API, scale ${SCALE}, ${backend.name}: ${body.length} bytes; app p99 ${app_.p99} ms, ${Math.round(app_.throughput)} req/s; bare node:http p99 ${ceiling.p99} ms, ${Math.round(ceiling.throughput)} req/s`,
      );
      rows.push(
        {
          figure: `dashboard API p99, ${CONNECTIONS} connections × ${SECONDS} s, scale ${SCALE}`,
          backend: backend.name,
          value: app_.p99,
          unit: 'ms',
          target: { text: '< 50 ms', met: app_.p99 < 50 },
        },
        {
          figure: `dashboard API throughput, ${CONNECTIONS} connections, scale ${SCALE}`,
          backend: backend.name,
          value: app_.throughput,
          unit: 'req/s',
          target: { text: '≥ 25 % of bare', met: app_.throughput >= 0.25 * ceiling.throughput },
          ceiling: { value: ceiling.throughput, label: 'bare node:http, same bytes' },
          ratio: { value: app_.throughput / ceiling.throughput, atLeast: 0.25 },
        },
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    }
  }
  return rows;
}
