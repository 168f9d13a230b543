/**
 * `serve --workers N`: N server processes behind one port (node:cluster hands each connection to
 * a worker in turn). They share the PostgreSQL database, so sessions, tokens, the sign-in
 * throttle, locks and the audit log are one; migrations and the demo seed run once under an
 * advisory lock (server.ts). A worker that dies is replaced. The embedded database allows one
 * process only, so workers need DATABASE_URL.
 */
import cluster from 'node:cluster';
import { type Language, t } from './i18n/index.ts';

/** Resolves on the first SIGINT or SIGTERM. */
const signalled = () =>
  new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
  });

/**
 * Serves until a signal: in this process alone for one worker (a failure to start reaches the
 * caller and its exit status); else the primary forks the workers and replaces any that exits,
 * and each worker runs `serveOne`.
 */
export async function serveWorkers(
  workers: number,
  serveOne: () => Promise<{ stop(): Promise<void> }>,
  say: (msg: string) => void,
  language: Language,
  prepare: () => void = () => {},
): Promise<void> {
  if (workers > 1 && cluster.isPrimary) {
    prepare();
    process.exit((await supervise(workers, say, language)) ? 0 : 1);
  }
  const running = await serveOne();
  if (cluster.isWorker) process.send?.('ready');
  await signalled();
  await running.stop();
  // The channel to the primary would keep a worker alive after its server has stopped.
  if (cluster.isWorker) process.exit(0);
}

/** Forks the workers, replaces any that exits, stops them all on a signal; false if one never started. */
async function supervise(workers: number, say: (msg: string) => void, language: Language): Promise<boolean> {
  let stopping = false;
  let failedToStart = false;
  const ready = new Set<number>();
  cluster.on('message', (worker, message) => {
    if (message === 'ready') ready.add(worker.id);
  });
  const failed = new Promise<void>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      // A worker that never started (a busy port, an unreachable database) would fail again: stop.
      if (!ready.has(worker.id)) {
        failedToStart = true;
        return resolve();
      }
      say(t(language, 'cli.workerReplaced', { pid: worker.process.pid, how: signal ?? code }));
      cluster.fork();
    });
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  await Promise.race([signalled(), failed]);
  stopping = true;
  const alive = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
  await Promise.all(
    alive.map(
      (w) =>
        new Promise<void>((resolve) => {
          w!.once('exit', () => resolve());
          w!.process.kill('SIGTERM');
        }),
    ),
  );
  return !failedToStart;
}
