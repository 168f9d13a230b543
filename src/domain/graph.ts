/**
 * Finds the dependency cycles in a directed graph given as `node -> [nodes it depends on]`.
 * Returns each cycle once, as the list of nodes in order (first node not repeated).
 */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const colour = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();

  const visit = (start: string) => {
    // Iterative DFS so that long chains do not overflow the call stack.
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    colour.set(start, GREY);
    stack.push(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const deps = edges.get(frame.node) ?? [];
      if (frame.next < deps.length) {
        const dep = deps[frame.next++]!;
        const c = colour.get(dep) ?? WHITE;
        if (c === GREY) {
          const cycle = stack.slice(stack.indexOf(dep));
          const key = [...cycle].sort().join('\u0000');
          if (!seen.has(key)) {
            seen.add(key);
            cycles.push(cycle);
          }
        } else if (c === WHITE && edges.has(dep)) {
          colour.set(dep, GREY);
          stack.push(dep);
          work.push({ node: dep, next: 0 });
        }
      } else {
        colour.set(frame.node, BLACK);
        stack.pop();
        work.pop();
      }
    }
  };

  for (const node of edges.keys()) {
    if ((colour.get(node) ?? WHITE) === WHITE) visit(node);
  }
  return cycles;
}
