// CFG, dominator tree and loop detection, on regions written as text.
import { describe, expect, it } from 'vitest';
import { buildCfg } from '../../ir/cfg.js';
import { computeDominators } from '../../ir/dominators.js';
import { findLoops } from '../../ir/loops.js';
import { parseRegion } from '../../ir/parse.js';

/** A region whose blocks only branch: `edges` maps each block to its successors. */
function shape(edges: Record<number, number[]>): ReturnType<typeof parseRegion> {
  const lines = ['region @0x1000 {', 'block0:', '    v0:i32 = getcsr frm'];
  const ids = Object.keys(edges).map(Number);
  ids.forEach((id) => {
    if (id !== 0) lines.push(`block${id}:`);
    const out = edges[id];
    if (out.length === 0) lines.push('    exit 0x2000');
    else if (out.length === 1) lines.push(`    br block${out[0]}`);
    else lines.push(`    switch v0, [${out.slice(0, -1).map((b, i) => `${i}: block${b}`).join(', ')}], default block${out.at(-1)}`);
  });
  lines.push('}', '');
  return parseRegion(lines.join('\n'));
}

describe('CFG and dominators', () => {
  // 0 -> 1 -> {2, 3} -> 4; 5 unreachable -> 4
  const diamond = shape({ 0: [1], 1: [2, 3], 2: [4], 3: [4], 4: [], 5: [4] });

  it('lists successors, predecessors and reverse postorder', () => {
    const cfg = buildCfg(diamond);
    expect(cfg.entry).toBe(0);
    expect(cfg.succs.get(1)).toEqual([2, 3]);
    expect(cfg.preds.get(4)).toEqual([2, 3, 5]);
    expect(cfg.rpo[0]).toBe(0);
    expect(cfg.rpo.at(-1)).toBe(4);
    expect(cfg.rpo).not.toContain(5);
  });

  it('computes immediate dominators and dominance', () => {
    const dom = computeDominators(diamond);
    expect(Object.fromEntries(dom.idom)).toEqual({ 1: 0, 2: 1, 3: 1, 4: 1 });
    expect(dom.dominates(1, 4)).toBe(true);
    expect(dom.dominates(2, 4)).toBe(false);
    expect(dom.dominates(4, 4)).toBe(true);
    expect(dom.strictlyDominates(4, 4)).toBe(false);
    expect(dom.isReachable(5)).toBe(false);
    expect(dom.dominates(0, 5)).toBe(false);
    expect(dom.children.get(1)).toEqual(expect.arrayContaining([2, 3, 4]));
    expect(dom.preorder()[0]).toBe(0);
  });
});

describe('loops', () => {
  it('finds nested natural loops, their latches and exits', () => {
    // 0 -> 1 (outer header) -> 2 (inner header) -> 3 -> {2, 4}; 4 -> {1, 5}; 5 exits
    const region = shape({ 0: [1], 1: [2], 2: [3], 3: [2, 4], 4: [1, 5], 5: [] });
    const info = findLoops(region);
    expect(info.backEdges).toEqual([{ from: 3, to: 2 }, { from: 4, to: 1 }].sort((a, b) => a.from - b.from));
    expect(info.irreducible).toEqual([]);
    const [outer, inner] = info.loops;
    expect(outer.header).toBe(1);
    expect([...outer.blocks].sort()).toEqual([1, 2, 3, 4]);
    expect(outer.exits).toEqual([{ from: 4, to: 5 }]);
    expect(outer.depth).toBe(1);
    expect(inner.header).toBe(2);
    expect([...inner.blocks].sort()).toEqual([2, 3]);
    expect(inner.latches).toEqual([3]);
    expect(inner.parent).toBe(outer);
    expect(inner.depth).toBe(2);
    expect(outer.children).toEqual([inner]);
    expect(info.loopOf.get(3)).toBe(inner);
    expect(info.loopOf.get(4)).toBe(outer);
    expect(info.loopOf.has(5)).toBe(false);
  });

  it('merges back edges to one header and handles self loops', () => {
    const region = shape({ 0: [1], 1: [2, 3], 2: [1], 3: [1, 4], 4: [4, 5], 5: [] });
    const info = findLoops(region);
    expect(info.loops.map((l) => [l.header, [...l.latches].sort(), [...l.blocks].sort()])).toEqual([
      [1, [2, 3], [1, 2, 3]],
      [4, [4], [4]],
    ]);
  });

  it('reports retreating edges into the middle of a cycle as irreducible', () => {
    // 0 -> {1, 2}; 1 <-> 2: neither header dominates the other.
    const info = findLoops(shape({ 0: [1, 2], 1: [2], 2: [1, 3], 3: [] }));
    expect(info.loops).toEqual([]);
    expect(info.irreducible).toHaveLength(1);
  });
});
