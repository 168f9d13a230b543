/**
 * The files of evidence, on disk, named by their SHA-256: written once (the same file twice is one
 * file), read back only after their hash is checked again, so a file changed on disk is refused.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../domain/errors.ts';

export interface EvidenceStore {
  put(bytes: Uint8Array): string;
  get(sha256: string): Buffer;
  /** The size of the file stored by this name, or undefined (its bytes are checked only when read). */
  sizeOf(sha256: string): number | undefined;
}

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function diskEvidenceStore(dir: string | undefined): EvidenceStore {
  const root = dir ?? mkdtempSync(join(tmpdir(), 'oversight-evidence-'));
  const pathOf = (sha: string) => join(root, sha.slice(0, 2), sha);
  return {
    put(bytes) {
      const sha = sha256Of(bytes);
      const path = pathOf(sha);
      if (!existsSync(path)) {
        mkdirSync(join(root, sha.slice(0, 2)), { recursive: true });
        // Written beside, then renamed: a reader never sees half a file.
        const partial = `${path}.${process.pid}.partial`;
        writeFileSync(partial, bytes, { mode: 0o640 });
        renameSync(partial, path);
      }
      return sha;
    },
    sizeOf(sha) {
      if (!/^[0-9a-f]{64}$/.test(sha)) return undefined;
      try {
        return statSync(pathOf(sha)).size;
      } catch {
        return undefined;
      }
    },
    get(sha) {
      if (!/^[0-9a-f]{64}$/.test(sha))
        throw new AppError('not_found', 'errors.not_found', { entity: 'evidence', code: sha.slice(0, 80) });
      let bytes: Buffer;
      try {
        bytes = readFileSync(pathOf(sha));
      } catch {
        throw new AppError('not_found', 'errors.evidence_missing', { sha });
      }
      if (sha256Of(bytes) !== sha) throw new AppError('conflict', 'errors.evidence_altered', { sha });
      return bytes;
    },
  };
}
