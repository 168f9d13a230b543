/**
 * The Merkle tree against RFC 6962's public test vectors (transparency-dev/merkle), and against
 * itself: every proof of trees up to 40 leaves verifies, and any change to a proof, a size, a leaf
 * or a root makes it fail.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  subtreeRoot,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from '../../src/domain/merkle.ts';

const V = JSON.parse(readFileSync(new URL('../fixtures/rfc6962/vectors.json', import.meta.url), 'utf8')) as {
  leaves: string[];
  roots: string[];
  inclusion: Array<{ leaf: number; size: number; proof: string[] }>;
  consistency: Array<{ size1: number; size2: number; proof: string[] }>;
};
const hex = (h: string) => Buffer.from(h, 'hex');
const leaves = V.leaves.map((l) => leafHash(hex(l)));

describe('Merkle tree (RFC 6962)', () => {
  it('computes the roots of the public test vectors, both ways', () => {
    for (let n = 1; n <= 8; n++) {
      expect(subtreeRoot(leaves.slice(0, n)).toString('hex'), `size ${n}`).toBe(V.roots[n - 1]);
      expect(treeRoot(leaves.slice(0, n)).root.toString('hex'), `size ${n}`).toBe(V.roots[n - 1]);
    }
    expect(treeRoot([]).root.toString('hex')).toBe(createHash('sha256').digest('hex'));
  });

  it('produces and verifies the inclusion proofs of the vectors', () => {
    for (const t of V.inclusion) {
      const proof = inclusionProof(leaves.slice(0, t.size), t.leaf - 1);
      expect(proof.map((p) => p.toString('hex'))).toEqual(t.proof);
      expect(verifyInclusion(t.leaf - 1, t.size, leaves[t.leaf - 1]!, proof, hex(V.roots[t.size - 1]!))).toBe(
        true,
      );
    }
  });

  it('produces and verifies the consistency proofs of the vectors', () => {
    for (const t of V.consistency) {
      const proof = consistencyProof(leaves, t.size1, t.size2);
      expect(proof.map((p) => p.toString('hex'))).toEqual(t.proof);
      expect(
        verifyConsistency(t.size1, t.size2, proof, hex(V.roots[t.size1 - 1]!), hex(V.roots[t.size2 - 1]!)),
      ).toBe(true);
    }
  });

  it('verifies every proof of trees up to 40 leaves, and refuses each altered one', () => {
    const many = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`event ${i}`)));
    const flip = (h: Buffer) => {
      const c = Buffer.from(h);
      c[0]! ^= 8;
      return c;
    };
    for (let n = 1; n <= 40; n++) {
      const tree = many.slice(0, n);
      const root = treeRoot(tree).root;
      expect(root.equals(subtreeRoot(tree))).toBe(true);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(tree, m);
        expect(verifyInclusion(m, n, tree[m]!, proof, root)).toBe(true);
        // A wrong tree size (as transparency-dev/merkle's probes alter it).
        expect(verifyInclusion(m, n * 2, tree[m]!, proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion(m, Math.floor(n / 2), tree[m]!, proof, root)).toBe(false);
        expect(verifyInclusion(m, n, flip(tree[m]!), proof, root)).toBe(false);
        if (proof.length > 0) {
          expect(verifyInclusion(m, n, tree[m]!, [flip(proof[0]!), ...proof.slice(1)], root)).toBe(false);
          expect(verifyInclusion(m, n, tree[m]!, proof.slice(1), root)).toBe(false);
        }
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, tree[m]!, proof, root)).toBe(false);
      }
      for (let m = 1; m <= n; m++) {
        const first = treeRoot(tree.slice(0, m)).root;
        const proof = consistencyProof(tree, m, n);
        expect(verifyConsistency(m, n, proof, first, root), `${m}→${n}`).toBe(true);
        if (m < n) {
          expect(verifyConsistency(m, n, proof, flip(first), root)).toBe(false);
          expect(verifyConsistency(m, n, proof, first, flip(root))).toBe(false);
          expect(verifyConsistency(m, n, [flip(proof[0]!), ...proof.slice(1)], first, root)).toBe(false);
          expect(verifyConsistency(m, n, [...proof, root], first, root)).toBe(false);
          expect(verifyConsistency(m, n, proof.slice(0, -1), first, root)).toBe(false);
        }
      }
    }
  });
});
