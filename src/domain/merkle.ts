/**
 * The Merkle tree of RFC 6962 / RFC 9162 §2.1: leaf hash SHA-256(0x00 ‖ data), node hash
 * SHA-256(0x01 ‖ left ‖ right), the root of n leaves split at the largest power of two below n;
 * inclusion and consistency proofs, and their verification as RFC 9162 §2.1.3.2 and §2.1.4.2 give it.
 */
import { createHash } from 'node:crypto';

export type Hash = Buffer;

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export const leafHash = (data: Uint8Array): Hash => createHash('sha256').update(LEAF).update(data).digest();
export const nodeHash = (left: Hash, right: Hash): Hash =>
  createHash('sha256').update(NODE).update(left).update(right).digest();
export const emptyRoot = (): Hash => createHash('sha256').digest();

/** The largest power of two smaller than n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The root of leaves [lo, hi), given their leaf hashes. */
export function subtreeRoot(leaves: readonly Hash[], lo = 0, hi = leaves.length): Hash {
  const n = hi - lo;
  if (n === 0) return emptyRoot();
  if (n === 1) return leaves[lo]!;
  const k = split(n);
  return nodeHash(subtreeRoot(leaves, lo, lo + k), subtreeRoot(leaves, lo + k, hi));
}

/** The roots of a tree's perfect subtrees, left to right: all a log needs to keep to append and to know its root. */
export type Frontier = Array<{ hash: Hash; height: number }>;

/** Appends a leaf to a frontier (in place), merging perfect subtrees of the same height. */
export function appendLeaf(frontier: Frontier, leaf: Hash): void {
  let node = { hash: leaf, height: 0 };
  while (frontier.length > 0 && frontier.at(-1)!.height === node.height) {
    const left = frontier.pop()!;
    node = { hash: nodeHash(left.hash, node.hash), height: node.height + 1 };
  }
  frontier.push(node);
}

/** The root of the tree a frontier describes: its subtrees folded right to left. */
export function frontierRoot(frontier: Frontier): Hash {
  if (frontier.length === 0) return emptyRoot();
  let root = frontier.at(-1)!.hash;
  for (let i = frontier.length - 2; i >= 0; i--) root = nodeHash(frontier[i]!.hash, root);
  return root;
}

/** The root of a whole tree in one pass, without recursion, for millions of leaves. */
export function treeRoot(leaves: Iterable<Hash>): { size: number; root: Hash } {
  const frontier: Frontier = [];
  let size = 0;
  for (const leaf of leaves) {
    appendLeaf(frontier, leaf);
    size++;
  }
  return { size, root: frontierRoot(frontier) };
}

/** PATH(m, D[lo:hi]) of RFC 6962 §2.1.1: the audit path of leaf m. */
export function inclusionProof(leaves: readonly Hash[], m: number, lo = 0, hi = leaves.length): Hash[] {
  const n = hi - lo;
  if (m < 0 || m >= n) throw new RangeError(`leaf ${m} is not in a tree of ${n}`);
  if (n === 1) return [];
  const k = split(n);
  return m < k
    ? [...inclusionProof(leaves, m, lo, lo + k), subtreeRoot(leaves, lo + k, hi)]
    : [...inclusionProof(leaves, m - k, lo + k, hi), subtreeRoot(leaves, lo, lo + k)];
}

/** PROOF(m, D[n]) of RFC 6962 §2.1.2: that the first m leaves are a prefix of the n. */
export function consistencyProof(leaves: readonly Hash[], m: number, n = leaves.length): Hash[] {
  if (m < 0 || m > n || n > leaves.length) throw new RangeError(`no consistency from ${m} to ${n}`);
  if (m === 0 || m === n) return [];
  const sub = (m: number, lo: number, hi: number, whole: boolean): Hash[] => {
    const size = hi - lo;
    if (m === size) return whole ? [] : [subtreeRoot(leaves, lo, hi)];
    const k = split(size);
    return m <= k
      ? [...sub(m, lo, lo + k, whole), subtreeRoot(leaves, lo + k, hi)]
      : [...sub(m - k, lo + k, hi, false), subtreeRoot(leaves, lo, lo + k)];
  };
  return sub(m, 0, n, true);
}

const odd = (x: bigint) => (x & 1n) === 1n;

/** RFC 9162 §2.1.3.2: whether `proof` shows leaf `index` (with hash `leaf`) in the tree of `size` with `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Hash,
  proof: readonly Hash[],
  root: Hash,
): boolean {
  if (index < 0 || index >= size) return false;
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn))
        while (!odd(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
    } else r = nodeHash(r, p);
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

/** RFC 9162 §2.1.4.2: whether `proof` shows the tree of `size1` (root1) is a prefix of the tree of `size2` (root2). */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Hash[],
  root1: Hash,
  root2: Hash,
): boolean {
  if (size1 < 0 || size2 < size1) return false;
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = (size1 & (size1 - 1)) === 0 ? [root1, ...proof] : [...proof];
  let fn = BigInt(size1 - 1);
  let sn = BigInt(size2 - 1);
  while (odd(fn)) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn))
        while (!odd(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
    } else sr = nodeHash(sr, c);
    fn >>= 1n;
    sn >>= 1n;
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0n;
}
