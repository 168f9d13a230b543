/**
 * An exclusive lock file beside a PGlite data directory: two processes opening one data
 * directory would corrupt it silently. The file holds the owner's pid; a lock whose process is
 * gone is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { AppError } from '../domain/errors.ts';

export interface Lock {
  path: string;
  release(): void;
}

export function acquireLock(path: string): Lock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          try {
            if (ownerOf(path) === process.pid) unlinkSync(path);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = ownerOf(path);
      if (pid !== undefined && pid !== process.pid && isAlive(pid)) {
        throw new AppError('locked', 'errors.data_dir_locked', { path, pid });
      }
      if (pid === process.pid) throw new AppError('locked', 'errors.data_dir_locked', { path, pid });
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new AppError('locked', 'errors.data_dir_locked', { path, pid: ownerOf(path) ?? '?' });
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isFinite(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
