#!/usr/bin/env node
/**
 * Checks an Oversight audit-log proof on its own, with nothing of Oversight but this file:
 *
 *   bin/oversight audit proof 42 > proof.json
 *   node scripts/verify-proof.mjs proof.json '<verifier key>'
 *
 * 1. The checkpoint (a C2SP signed note) is signed by the verifier key (Ed25519; the 4-byte key
 *    hash is SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[:4]).
 * 2. The event's leaf hash is SHA-256(0x00 ‖ RFC 8785 canonical JSON of the event).
 * 3. The inclusion proof leads from that leaf to the checkpoint's root (RFC 9162 §2.1.3.2).
 * Exit 0 when all three hold, 1 otherwise.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';

const [file, verifierKey] = process.argv.slice(2);
if (!file || !verifierKey) {
  console.error('usage: node scripts/verify-proof.mjs PROOF.json VERIFIER_KEY');
  process.exit(2);
}
const fail = (why) => {
  console.error(`NOT VERIFIED: ${why}`);
  process.exit(1);
};
const sha256 = (...parts) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
let proof;
try {
  proof = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  fail(`cannot read ${file}: ${err.message}`);
}
// The shape first: every number a whole one in range, the event the one the proof is about.
const whole = (n) => Number.isSafeInteger(n) && n >= 0;
if (typeof proof !== 'object' || proof === null) fail('the proof is not a JSON object');
if (!whole(proof.leafIndex) || !whole(proof.treeSize) || proof.leafIndex >= proof.treeSize)
  fail('the leaf index is not inside the tree');
if (proof.seq !== proof.leafIndex + 1 || proof.event?.seq !== proof.seq)
  fail('the event, its sequence number and the leaf index do not agree');
if (!Array.isArray(proof.proof) || !proof.proof.every((p) => typeof p === 'string'))
  fail('the proof path is not a list of hashes');
if (typeof proof.checkpoint !== 'string' || !proof.checkpoint.includes('\n\n'))
  fail('the checkpoint is not a signed note');

// 1. The checkpoint's signature.
// name+hash+key: the key's base64 may hold '+' itself, so only the first two separate.
const [, name, hashHex, keyB64] = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(verifierKey.trim()) ?? [];
const raw = Buffer.from(keyB64 ?? '', 'base64');
if (raw.length !== 33 || raw[0] !== 1) fail('the verifier key is not an Ed25519 key');
const publicKey = raw.subarray(1);
const keyHash = sha256(Buffer.from(`${name}\n`), Buffer.from([1]), publicKey).subarray(0, 4);
if (keyHash.toString('hex') !== hashHex) fail('the verifier key’s hash does not match its key');
const note = proof.checkpoint;
const at = note.indexOf('\n\n');
const body = note.slice(0, at + 1);
const [origin, size, rootB64] = body.split('\n');
const key = createPublicKey({
  key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
  format: 'jwk',
});
const signed = note
  .slice(at + 2)
  .split('\n')
  .filter((l) => l.startsWith(`\u2014 ${name} `))
  .map((l) => Buffer.from(l.slice(name.length + 3), 'base64'))
  .some(
    (b) =>
      b.length === 68 &&
      b.subarray(0, 4).equals(keyHash) &&
      verify(null, Buffer.from(body), key, b.subarray(4)),
  );
if (!signed) fail('the checkpoint is not signed by this key');
if (Number(size) !== proof.treeSize) fail('the proof is for another tree size than the checkpoint');

// 2. The event's leaf hash.
const leaf = sha256(Buffer.from([0]), Buffer.from(canonicalize(proof.event), 'utf8'));
if (leaf.toString('base64') !== proof.leafHash) fail('the event does not give the leaf hash');

// 3. The inclusion proof, RFC 9162 §2.1.3.2.
let fn = BigInt(proof.leafIndex);
let sn = BigInt(proof.treeSize - 1);
let r = leaf;
for (const p of proof.proof.map((x) => Buffer.from(x, 'base64'))) {
  if (sn === 0n) fail('the proof is too long');
  if ((fn & 1n) === 1n || fn === sn) {
    r = sha256(Buffer.from([1]), p, r);
    if ((fn & 1n) === 0n)
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
  } else r = sha256(Buffer.from([1]), r, p);
  fn >>= 1n;
  sn >>= 1n;
}
if (sn !== 0n || !r.equals(Buffer.from(rootB64, 'base64')))
  fail('the proof does not lead to the checkpoint’s root');
console.log(
  `VERIFIED: event ${proof.seq} is in the log ${origin} of ${proof.treeSize} events signed by ${name}.`,
);
