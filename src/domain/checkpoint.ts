/**
 * Checkpoints of the audit log as C2SP signed notes (c2sp.org/signed-note, c2sp.org/tlog-checkpoint),
 * so transparency-log tooling and witnesses can read them:
 *
 *     <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key hash ‖ Ed25519 signature)>\n
 *
 * The key hash is the first 4 bytes of SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key); the signature
 * covers the note's text up to and including the last newline before the blank line.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

const ED25519 = 0x01;
const DASH = '\u2014';

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

/** The raw 32 bytes of an Ed25519 public key. */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url');
}

export function keyHash(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([ED25519]), publicKey]))
    .digest()
    .subarray(0, 4);
}

/** The verifier key in the note format: `<name>+<key hash hex>+<base64(0x01 ‖ public key)>`. */
export function verifierKey(name: string, publicKey: Buffer): string {
  return `${name}+${keyHash(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64')}`;
}

/** Reads a verifier key back: its name and raw public key; undefined when malformed. */
export function parseVerifierKey(text: string): { name: string; publicKey: Buffer } | undefined {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  if (!m) return undefined;
  const raw = Buffer.from(m[3]!, 'base64');
  if (raw.length !== 33 || raw[0] !== ED25519) return undefined;
  const publicKey = raw.subarray(1);
  if (keyHash(m[1]!, publicKey).toString('hex') !== m[2]) return undefined;
  return { name: m[1]!, publicKey };
}

export const checkpointBody = (c: Checkpoint) => `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`;

/** Signs a checkpoint: the whole signed note. */
export function signCheckpoint(c: Checkpoint, name: string, privateKey: KeyObject): string {
  const body = checkpointBody(c);
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const signature = sign(null, Buffer.from(body), privateKey);
  const blob = Buffer.concat([keyHash(name, publicKey), signature]).toString('base64');
  return `${body}\n${DASH} ${name} ${blob}\n`;
}

export type NoteCheck =
  | { ok: true; checkpoint: Checkpoint }
  | { ok: false; reason: 'malformed' | 'no_signature' | 'bad_signature' };

/** Reads a signed checkpoint and checks its signature by the given key. */
export function openCheckpoint(note: string, name: string, publicKey: Buffer): NoteCheck {
  const at = note.indexOf('\n\n');
  if (at < 0) return { ok: false, reason: 'malformed' };
  const body = note.slice(0, at + 1);
  const lines = body.split('\n');
  const [origin, size, root] = lines;
  if (!origin || !size || !/^\d{1,16}$/.test(size) || !root) return { ok: false, reason: 'malformed' };
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== 32) return { ok: false, reason: 'malformed' };
  const id = keyHash(name, publicKey);
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
    format: 'jwk',
  });
  const signatures = note
    .slice(at + 2)
    .split('\n')
    .filter((l) => l.startsWith(`${DASH} ${name} `));
  if (signatures.length === 0) return { ok: false, reason: 'no_signature' };
  for (const line of signatures) {
    const blob = Buffer.from(line.slice(`${DASH} ${name} `.length), 'base64');
    if (blob.length !== 68 || !blob.subarray(0, 4).equals(id)) continue;
    if (verify(null, Buffer.from(body), key, blob.subarray(4)))
      return { ok: true, checkpoint: { origin, size: Number(size), root: rootHash } };
  }
  return { ok: false, reason: 'bad_signature' };
}

/** A private key from its PKCS#8 PEM text. */
export const privateKeyFrom = (pem: string) => createPrivateKey(pem);
