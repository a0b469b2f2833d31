//! Loops of a region, for passes that hoist out of them (TLB lookups of loop-invariant
//! addresses): back edges, natural loops with their nesting, and the retreating edges
//! that form no natural loop (irreducible control flow, which guest code can have).

import type { BlockId, Region } from './function.js';
import type { DomTree } from './dominators.js';
import { computeDominators } from './dominators.js';

export interface Edge {
  readonly from: BlockId;
  readonly to: BlockId;
}

export interface Loop {
  /** The block every iteration enters through; it dominates the whole loop. */
  readonly header: BlockId;
  /** Blocks of the loop, the header and nested loops included. */
  readonly blocks: ReadonlySet<BlockId>;
  /** Sources of the back edges to the header. */
  readonly latches: readonly BlockId[];
  /** Edges from a block of the loop to a block outside it. */
  readonly exits: readonly Edge[];
  /** The innermost loop containing this one. */
  readonly parent: Loop | undefined;
  readonly children: Loop[];
  /** 1 for an outermost loop. */
  readonly depth: number;
}

export interface LoopInfo {
  /** All natural loops, outer loops before the loops they contain. */
  readonly loops: readonly Loop[];
  /** Edges whose target dominates their source. */
  readonly backEdges: readonly Edge[];
  /** Retreating edges (against reverse postorder) whose target does not dominate their
   * source: entries into the middle of a cycle. They belong to no natural loop. */
  readonly irreducible: readonly Edge[];
  /** The innermost loop containing each block in a loop. */
  readonly loopOf: ReadonlyMap<BlockId, Loop>;
}

export function findLoops(region: Region, dom: DomTree = computeDominators(region)): LoopInfo {
  const { cfg } = dom;
  const order = new Map<BlockId, number>();
  cfg.rpo.forEach((b, i) => order.set(b, i));
  const backEdges: Edge[] = [];
  const irreducible: Edge[] = [];
  const latchesOf = new Map<BlockId, BlockId[]>();
  for (const from of cfg.rpo) {
    for (const to of cfg.succs.get(from) ?? []) {
      if (order.get(to)! > order.get(from)!) continue;
      if (dom.dominates(to, from)) {
        backEdges.push({ from, to });
        if (!latchesOf.has(to)) latchesOf.set(to, []);
        latchesOf.get(to)!.push(from);
      } else {
        irreducible.push({ from, to });
      }
    }
  }

  // Headers in reverse postorder put every loop after the loops that contain it.
  const headers = [...latchesOf.keys()].sort((a, b) => order.get(a)! - order.get(b)!);
  const loops: Loop[] = [];
  const loopOf = new Map<BlockId, Loop>();
  for (const header of headers) {
    const latches = latchesOf.get(header)!;
    const blocks = naturalLoop(header, latches, cfg.preds, dom);
    let parent: Loop | undefined;
    for (const outer of loops) if (outer.blocks.has(header) && (parent === undefined || outer.depth > parent.depth)) parent = outer;
    const exits: Edge[] = [];
    for (const b of blocks) for (const s of cfg.succs.get(b) ?? []) if (!blocks.has(s)) exits.push({ from: b, to: s });
    const loop: Loop = { header, blocks, latches, exits, parent, children: [], depth: (parent?.depth ?? 0) + 1 };
    parent?.children.push(loop);
    loops.push(loop);
    for (const b of blocks) loopOf.set(b, loop);
  }
  return { loops, backEdges, irreducible, loopOf };
}

/** The header plus every block that reaches a latch without passing the header. */
function naturalLoop(header: BlockId, latches: readonly BlockId[],
  preds: ReadonlyMap<BlockId, readonly BlockId[]>, dom: DomTree): Set<BlockId> {
  const blocks = new Set<BlockId>([header]);
  const work = latches.filter((l) => !blocks.has(l));
  for (const l of work) blocks.add(l);
  while (work.length > 0) {
    const b = work.pop()!;
    for (const p of preds.get(b) ?? []) {
      if (blocks.has(p) || !dom.isReachable(p)) continue;
      blocks.add(p);
      work.push(p);
    }
  }
  return blocks;
}
