//! Copy propagation through block parameters, the IR's only copies: a parameter that
//! receives the same value on every edge (or itself, around a loop) is that value; one
//! that receives equal constants on every edge (or itself) is that constant, made once at the top of
//! its block. Uses are forwarded and the parameter and its arguments go.
//!
//!   block1:                                  block1:
//!     v2 = iconst.i64 0                        v2 = iconst.i64 0
//!     br block3(v0, v2)                        br block3
//!   block2:                                  block2:
//!     v3 = iconst.i64 0              =>        v3 = iconst.i64 0
//!     br block3(v0, v3)                        br block3
//!   block3(v4:i64, v5:i64):                  block3:
//!     v6 = add.i64 v4, v5                      v9 = iconst.i64 0
//!                                              v6 = add.i64 v0, v9
//!
//! Sound because the parameter holds that value on entry whichever way the block is
//! reached, and a value reaching the block on every edge dominates it (SSA: each
//! argument's definition dominates its branch); a new constant depends on nothing.

import type { Inst, Param, Region } from '../ir/function.js';
import type { Pass } from './pass.js';
import { definitions, Forwarding, freshValue, incomingCalls, removeParams, removeTrivialParams } from './rewrite.js';

export const copyprop: Pass = {
  name: 'copyprop',
  summary: 'copy propagation: block parameters that always receive one value (or one constant)',
  run: runCopyprop,
};

function runCopyprop(region: Region): void {
  const fwd = new Forwarding();
  for (let changed = true; changed;) {
    changed = removeTrivialParams(region, fwd);
    changed = constantParams(region) || changed;
  }
}

/** Replaces the parameters that receive one constant on every edge; returns whether any did. */
function constantParams(region: Region): boolean {
  const defs = definitions(region);
  const incoming = incomingCalls(region);
  const fwd = new Forwarding();
  let nextValue = freshValue(region);
  for (const block of region.blocks) {
    const calls = incoming.get(block.id) ?? [];
    if (block.params.length === 0 || calls.length === 0) continue;
    const dead = new Set<number>();
    const made: Inst[] = [];
    block.params.forEach((p, i) => {
      const args = calls.map((call) => call.args[i]).filter((v) => v !== p.value);
      const c = commonConstant(p, args.map((v) => defs.get(v)));
      if (c === undefined) return;
      const result = nextValue++;
      made.push({ op: c.op, result, type: c.type, args: [], imm: c.imm });
      fwd.set(p.value, result);
      dead.add(i);
    });
    if (dead.size === 0) continue;
    removeParams(block, dead, calls);
    block.insts.unshift(...made);
  }
  fwd.apply(region);
  return fwd.size > 0;
}

/** The constant instruction every argument is defined by (equal op, type and bits). */
function commonConstant(param: Param, args: readonly (Inst | undefined)[]): Inst | undefined {
  const first = args[0];
  if (first === undefined || (first.op !== 'iconst' && first.op !== 'fconst')) return undefined;
  if (first.type !== param.type) return undefined;
  return args.every((a) => a !== undefined && a.op === first.op && a.type === first.type && a.imm === first.imm) ? first : undefined;
}
