//! What the passes share for editing a region in place: forwarding values (a pass records
//! "v7 is v3" and rewrites every use once at the end), block parameters with the branch
//! arguments that feed them, and which instructions may be deleted or merged.

import type { Block, BlockCall, BlockId, Inst, Region, Value } from '../ir/function.js';
import { instTargets, terminatorOf } from '../ir/function.js';
import { OPCODES } from '../ir/opcodes.js';

/** Values replaced by others, resolved transitively (`v7 -> v5 -> v3` reads as v3). */
export class Forwarding {
  private readonly to = new Map<Value, Value>();

  get size(): number {
    return this.to.size;
  }

  /** From now on, every use of `from` means `to`. */
  set(from: Value, to: Value): void {
    const target = this.resolve(to);
    if (target === from) throw new Error(`optimizer: forwarding v${from} to itself`);
    this.to.set(from, target);
  }

  resolve(v: Value): Value {
    let r = v;
    for (let next = this.to.get(r); next !== undefined; next = this.to.get(r)) r = next;
    // Path compression keeps long chains (promoted registers) cheap.
    for (let x = v, next = this.to.get(x); next !== undefined && next !== r; next = this.to.get(x)) {
      this.to.set(x, r);
      x = next;
    }
    return r;
  }

  /** Rewrites the operands and branch arguments of every instruction of the region. */
  apply(region: Region): void {
    if (this.to.size === 0) return;
    for (const b of region.blocks) {
      for (const inst of b.insts) {
        for (let i = 0; i < inst.args.length; i++) inst.args[i] = this.resolve(inst.args[i]);
        for (const t of instTargets(inst)) for (let i = 0; i < t.args.length; i++) t.args[i] = this.resolve(t.args[i]);
      }
    }
  }
}

/** Every branch into each block (one entry per edge, so a `condbr` to one block twice
 * appears twice), from every block of the region, reachable or not. */
export function incomingCalls(region: Region): Map<BlockId, BlockCall[]> {
  const calls = new Map<BlockId, BlockCall[]>();
  for (const b of region.blocks) {
    const term = terminatorOf(b);
    if (term === undefined) continue;
    for (const t of instTargets(term)) {
      let list = calls.get(t.block);
      if (list === undefined) calls.set(t.block, (list = []));
      list.push(t);
    }
  }
  return calls;
}

/** Removes the parameters of `block` at the given indexes, and the matching argument of
 * every branch to it. */
export function removeParams(block: Block, indexes: ReadonlySet<number>, incoming: readonly BlockCall[]): void {
  if (indexes.size === 0) return;
  block.params = block.params.filter((_, i) => !indexes.has(i));
  for (const call of incoming) call.args = call.args.filter((_, i) => !indexes.has(i));
}

/** Whether an instruction may be deleted when its result is unused: it has no effect
 * besides its result and cannot trap (reading guest state or memory is fine). */
export function isRemovable(inst: Inst): boolean {
  const info = OPCODES[inst.op];
  return !info.sideEffects && !info.mayTrap && !info.terminator && inst.result !== undefined;
}

/** Whether an instruction's result depends on its operands and immediates only, so two
 * identical ones compute the same value wherever they are. */
export function isPure(inst: Inst): boolean {
  return isRemovable(inst) && OPCODES[inst.op].reads.length === 0;
}

/** One past the highest value a block parameter or instruction defines (in valid IR every
 * used value is one of them), for creating fresh values without allocating. */
export function freshValue(region: Region): Value {
  let n = 0;
  for (const b of region.blocks) {
    for (const p of b.params) if (p.value >= n) n = p.value + 1;
    for (const i of b.insts) if (i.result !== undefined && i.result >= n) n = i.result + 1;
  }
  return n;
}

/** The defining instruction of every instruction result. */
export function definitions(region: Region): Map<Value, Inst> {
  const defs = new Map<Value, Inst>();
  for (const b of region.blocks) for (const i of b.insts) if (i.result !== undefined) defs.set(i.result, i);
  return defs;
}

/** Replaces block parameters that only ever receive one value (besides themselves, around
 * a loop) by that value, until none is left; returns whether any was. These are the
 * trivial phis of SSA construction (Braun et al., "Simple and Efficient Construction of
 * Static Single Assignment Form", CC 2013, section 3.1): the value reaches the block
 * along every path, so it dominates it and may replace the parameter everywhere. */
export function removeTrivialParams(region: Region, fwd: Forwarding): boolean {
  const incoming = incomingCalls(region);
  let any = false;
  for (let changed = true; changed;) {
    changed = false;
    for (const block of region.blocks) {
      if (block.params.length === 0) continue;
      const calls = incoming.get(block.id) ?? [];
      const dead = new Set<number>();
      block.params.forEach((p, i) => {
        const self = p.value;
        let only: Value | undefined;
        for (const call of calls) {
          const a = fwd.resolve(call.args[i]);
          if (a === self || a === only) continue;
          if (only !== undefined) return;
          only = a;
        }
        // No incoming value at all: the block is unreachable; DCE removes it.
        if (only === undefined) return;
        fwd.set(self, only);
        dead.add(i);
      });
      if (dead.size > 0) {
        removeParams(block, dead, calls);
        changed = any = true;
      }
    }
  }
  if (any) fwd.apply(region);
  return any;
}
