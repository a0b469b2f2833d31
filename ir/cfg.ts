//! The control-flow graph of a region: successors and predecessors of each block, and
//! the reverse postorder of the blocks reachable from the entry.

import type { Block, BlockId, Region } from './function.js';
import { instTargets } from './function.js';

export interface Cfg {
  /** The entry block (the first in layout), if there is one. */
  readonly entry: BlockId | undefined;
  /** Distinct successors of each block in target order; targets that name no block are left out. */
  readonly succs: ReadonlyMap<BlockId, readonly BlockId[]>;
  /** Distinct predecessors of each block, in layout order. */
  readonly preds: ReadonlyMap<BlockId, readonly BlockId[]>;
  /** Reachable blocks in reverse postorder (the entry first). */
  readonly rpo: readonly BlockId[];
}

/** Distinct branch targets of a block's instructions, in order. */
export function blockSuccessors(block: Block): BlockId[] {
  const out: BlockId[] = [];
  for (const inst of block.insts) for (const t of instTargets(inst)) if (!out.includes(t.block)) out.push(t.block);
  return out;
}

export function buildCfg(region: Region): Cfg {
  const succs = new Map<BlockId, BlockId[]>();
  const preds = new Map<BlockId, BlockId[]>();
  for (const b of region.blocks) {
    if (succs.has(b.id)) continue;
    succs.set(b.id, []);
    preds.set(b.id, []);
  }
  const seen = new Set<BlockId>();
  for (const b of region.blocks) {
    if (seen.has(b.id)) continue;
    seen.add(b.id);
    const out = blockSuccessors(b).filter((s) => succs.has(s));
    succs.set(b.id, out);
    for (const s of out) preds.get(s)!.push(b.id);
  }
  const entry = region.blocks[0]?.id;
  return { entry, succs, preds, rpo: entry === undefined ? [] : reversePostorder(entry, succs) };
}

function reversePostorder(entry: BlockId, succs: ReadonlyMap<BlockId, readonly BlockId[]>): BlockId[] {
  const post: BlockId[] = [];
  const visited = new Set<BlockId>([entry]);
  // Iterative DFS: each frame is a block and the index of its next successor to visit.
  const stack: [BlockId, number][] = [[entry, 0]];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const out = succs.get(frame[0]) ?? [];
    if (frame[1] < out.length) {
      const s = out[frame[1]++];
      if (!visited.has(s)) {
        visited.add(s);
        stack.push([s, 0]);
      }
    } else {
      post.push(frame[0]);
      stack.pop();
    }
  }
  return post.reverse();
}
