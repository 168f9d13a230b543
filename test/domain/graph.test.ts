import { describe, expect, it } from 'vitest';
import { findCycles } from '../../src/domain/graph.ts';

const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe('dependency cycles', () => {
  it('finds none in a chain or a diamond', () => {
    expect(findCycles(graph({ a: ['b'], b: ['c'], c: [] }))).toEqual([]);
    expect(findCycles(graph({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }))).toEqual([]);
  });
  it('finds a two-node and a three-node cycle, each once', () => {
    const cycles = findCycles(graph({ a: ['b'], b: ['a'], x: ['y'], y: ['z'], z: ['x'] }));
    expect(cycles.map((c) => [...c].sort().join())).toEqual(['a,b', 'x,y,z']);
  });
  it('reports a self-dependency as a cycle of one', () => {
    expect(findCycles(graph({ a: ['a'] }))).toEqual([['a']]);
  });
  it('handles a chain of 50,000 nodes without overflowing the stack', () => {
    const edges = new Map<string, string[]>();
    for (let i = 0; i < 50_000; i++) edges.set(`n${i}`, i > 0 ? [`n${i - 1}`] : []);
    expect(findCycles(edges)).toEqual([]);
    edges.set('n0', ['n49999']);
    expect(findCycles(edges)).toHaveLength(1);
  });
});
