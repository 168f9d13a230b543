/**
 * The control chain: who holds what over whom through the ownership graph. An organization
 * controls another along a path where every holding carries at least half of the votes (so a 50/50
 * joint venture counts as joint control); its effective stake is the sum over all paths of the
 * product of the voting shares along each.
 */
export interface Holding {
  owner: string;
  owned: string;
  /** Percent of equity. */
  share: number;
  /** Percent of votes; the equity share when absent. */
  voting?: number | undefined;
}

export interface Influence {
  holder: string;
  /** Sum over all ownership paths of the product of voting shares, 0..1. */
  effective: number;
  /** Some path carries at least half of the votes at every step. */
  controls: boolean;
  /** The path with the largest stake, holder first, target last. */
  path: string[];
}

const votes = (h: Holding) => (h.voting ?? h.share) / 100;

/** Every organization with a stake in `target`, directly or through others. */
export function influenceOver(holdings: readonly Holding[], target: string): Influence[] {
  const holdersOf = new Map<string, Holding[]>();
  for (const h of holdings) {
    const list = holdersOf.get(h.owned);
    if (list) list.push(h);
    else holdersOf.set(h.owned, [h]);
  }
  const result = new Map<string, Influence & { best: number }>();
  // Walk up from the target along every simple path.
  const walk = (org: string, stake: number, controlling: boolean, path: string[]) => {
    for (const h of holdersOf.get(org) ?? []) {
      if (path.includes(h.owner)) continue; // a cycle of cross-holdings
      const s = stake * votes(h);
      const c = controlling && votes(h) >= 0.5;
      const p = [h.owner, ...path];
      const entry = result.get(h.owner) ?? {
        holder: h.owner,
        effective: 0,
        controls: false,
        path: p,
        best: -1,
      };
      entry.effective += s;
      entry.controls ||= c;
      if (s > entry.best) {
        entry.best = s;
        entry.path = p;
      }
      result.set(h.owner, entry);
      walk(h.owner, s, c, p);
    }
  };
  walk(target, 1, true, [target]);
  return [...result.values()]
    .map(({ best: _best, ...i }) => ({ ...i, effective: Math.min(1, i.effective) }))
    .sort((a, b) => b.effective - a.effective || a.holder.localeCompare(b.holder));
}

/** `org` and every organization it controls (at least half of the votes at every step down). */
export function controlledGroup(holdings: readonly Holding[], org: string): Set<string> {
  const owns = new Map<string, Holding[]>();
  for (const h of holdings) {
    const list = owns.get(h.owner);
    if (list) list.push(h);
    else owns.set(h.owner, [h]);
  }
  const group = new Set([org]);
  const queue = [org];
  for (let i = 0; i < queue.length; i++) {
    for (const h of owns.get(queue[i]!) ?? []) {
      if (votes(h) > 0.5 && !group.has(h.owned)) {
        group.add(h.owned);
        queue.push(h.owned);
      }
    }
  }
  return group;
}

/** The ownership edges of a program file, as holdings. */
export function holdingsOf(file: {
  ownerships: ReadonlyArray<{ owner: string; owned: string; share: number; voting?: number | undefined }>;
}): Holding[] {
  return file.ownerships.map((o) => ({ owner: o.owner, owned: o.owned, share: o.share, voting: o.voting }));
}

/** The regulated organization of a program and every organization it controls. */
export function regulatedGroup(
  file: Parameters<typeof holdingsOf>[0] & { program: { regulatedOrganization: string } },
) {
  return controlledGroup(holdingsOf(file), file.program.regulatedOrganization);
}
