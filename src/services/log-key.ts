/**
 * The key that signs the audit log's checkpoints: Ed25519, created on first start, kept in a file
 * outside the database (mode 0600), so that whoever can edit the database cannot sign for the log.
 * Its verifier key (C2SP note format) is published at /api/v1/audit/key.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rawPublicKey, verifierKey } from '../domain/checkpoint.ts';
import { AppError } from '../domain/errors.ts';

export const KEY_NAME = 'oversight-audit-log';

export interface LogSigner {
  /**
   * The file where the signer keeps the last checkpoint it signed (size, frontier, note), outside
   * the database: it never signs a head that does not extend it. In memory when undefined.
   */
  pinPath: string | undefined;
  name: string;
  /** The log's origin line: names this log among all others. */
  origin: string;
  privateKey: KeyObject;
  publicKey: Buffer;
  verifierKey: string;
}

export function signerFrom(privateKey: KeyObject, pinPath?: string): LogSigner {
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const id = createHash('sha256').update(publicKey).digest('hex').slice(0, 16);
  return {
    pinPath,
    name: KEY_NAME,
    origin: `oversight.local/audit-log/${id}`,
    privateKey,
    publicKey,
    verifierKey: verifierKey(KEY_NAME, publicKey),
  };
}

/** A fresh key, for an in-memory database or a test. */
export const ephemeralSigner = () => signerFrom(generateKeyPairSync('ed25519').privateKey);

/** Reads the key at `path`, or creates it there when there is none yet. */
export function loadOrCreateLogKey(path: string | undefined): LogSigner {
  if (!path) return ephemeralSigner();
  try {
    if (!existsSync(path)) {
      const { privateKey } = generateKeyPairSync('ed25519');
      try {
        writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
      } catch (err) {
        // Another server process starting at the same moment made it first: use that one.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    return signerFrom(createPrivateKey(readFileSync(path, 'utf8')), `${path}.checkpoint.json`);
  } catch (cause) {
    throw new AppError('bad_request', 'errors.log_key', { path, detail: (cause as Error).message }, [], {
      cause,
    });
  }
}
