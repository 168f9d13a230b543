/**
 * `serve --workers N`: N server processes behind one port (node:cluster hands each connection to
 * a worker in turn). They share the PostgreSQL database, so sessions, tokens, the sign-in
 * throttle, locks and the audit log are one; migrations and the demo seed run once under an
 * advisory lock (server.ts). A worker that dies is replaced. The embedded database allows one
 * process only, so workers need DATABASE_URL.
 */
import cluster from 'node:cluster';

/** In the primary: forks the workers and replaces any that exits; in a worker: runs `serveOne`. */
export async function serveWorkers(
  workers: number,
  serveOne: () => Promise<{ stop(): Promise<void> }>,
  say: (msg: string) => void,
  prepare: () => void = () => {},
): Promise<void> {
  if (workers === 1) {
    // One process: no cluster. A failure to start reaches the caller (and its exit status).
    const running = await serveOne();
    await new Promise<void>((resolve) => {
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
    });
    await running.stop();
    return;
  }
  if (cluster.isPrimary) {
    prepare();
    let stopping = false;
    let failedToStart = false;
    const ready = new Set<number>();
    const stopped = new Promise<void>((resolve) => {
      for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
      cluster.on('exit', (worker, code, signal) => {
        if (stopping) return;
        // A worker that never started (a busy port, an unreachable database) would fail again: stop.
        if (!ready.has(worker.id)) {
          failedToStart = true;
          return resolve();
        }
        say(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
        cluster.fork();
      });
    });
    cluster.on('message', (worker, message) => {
      if (message === 'ready') ready.add(worker.id);
    });
    for (let i = 0; i < workers; i++) cluster.fork();
    await stopped;
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
    process.exit(failedToStart ? 1 : 0);
  }
  const running = await serveOne();
  process.send?.('ready');
  await new Promise<void>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => resolve());
  });
  await running.stop();
  // The channel to the primary would keep a worker alive after its server has stopped.
  process.exit(0);
}
