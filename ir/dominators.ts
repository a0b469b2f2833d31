//! The dominator tree of a region's reachable blocks (Cooper, Harvey and Kennedy, "A
//! Simple, Fast Dominance Algorithm", 2001), with constant-time dominance queries.

import type { Cfg } from './cfg.js';
import { buildCfg } from './cfg.js';
import type { BlockId, Region } from './function.js';

export class DomTree {
  /** Immediate dominator of every reachable block except the entry. */
  readonly idom: ReadonlyMap<BlockId, BlockId>;
  /** Dominator-tree children of each reachable block, in reverse postorder. */
  readonly children: ReadonlyMap<BlockId, readonly BlockId[]>;
  private readonly pre = new Map<BlockId, number>();
  private readonly post = new Map<BlockId, number>();

  constructor(readonly cfg: Cfg, idom: ReadonlyMap<BlockId, BlockId>) {
    this.idom = idom;
    const children = new Map<BlockId, BlockId[]>();
    for (const b of cfg.rpo) children.set(b, []);
    for (const b of cfg.rpo) {
      const d = idom.get(b);
      if (d !== undefined) children.get(d)!.push(b);
    }
    this.children = children;
    if (cfg.entry !== undefined && children.has(cfg.entry)) this.number(cfg.entry);
  }

  isReachable(b: BlockId): boolean {
    return this.pre.has(b);
  }

  /** Whether every path from the entry to `b` passes through `a` (reflexive).
   * False when either block is unreachable. */
  dominates(a: BlockId, b: BlockId): boolean {
    const pa = this.pre.get(a);
    const pb = this.pre.get(b);
    if (pa === undefined || pb === undefined) return false;
    return pa <= pb && this.post.get(b)! <= this.post.get(a)!;
  }

  strictlyDominates(a: BlockId, b: BlockId): boolean {
    return a !== b && this.dominates(a, b);
  }

  /** Reachable blocks in dominator-tree preorder (every block after its dominators). */
  preorder(): BlockId[] {
    return [...this.pre.keys()];
  }

  private number(root: BlockId): void {
    let counter = 0;
    const stack: [BlockId, number][] = [[root, 0]];
    this.pre.set(root, counter++);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const kids = this.children.get(frame[0])!;
      if (frame[1] < kids.length) {
        const k = kids[frame[1]++];
        this.pre.set(k, counter++);
        stack.push([k, 0]);
      } else {
        this.post.set(frame[0], counter++);
        stack.pop();
      }
    }
  }
}

export function computeDominators(region: Region, cfg: Cfg = buildCfg(region)): DomTree {
  const order = new Map<BlockId, number>();
  cfg.rpo.forEach((b, i) => order.set(b, i));
  const idom = new Map<BlockId, BlockId>();
  if (cfg.entry === undefined) return new DomTree(cfg, idom);
  idom.set(cfg.entry, cfg.entry);
  const intersect = (a: BlockId, b: BlockId): BlockId => {
    while (a !== b) {
      while (order.get(a)! > order.get(b)!) a = idom.get(a)!;
      while (order.get(b)! > order.get(a)!) b = idom.get(b)!;
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const b of cfg.rpo) {
      if (b === cfg.entry) continue;
      let next: BlockId | undefined;
      for (const p of cfg.preds.get(b) ?? []) {
        if (!idom.has(p)) continue;
        next = next === undefined ? p : intersect(p, next);
      }
      if (next !== undefined && idom.get(b) !== next) {
        idom.set(b, next);
        changed = true;
      }
    }
  }
  idom.delete(cfg.entry);
  return new DomTree(cfg, idom);
}
