//! Dead code elimination: blocks the entry cannot reach, then every removable op (no
//! effect, cannot trap) and block parameter whose value nothing live needs. Liveness
//! starts at the ops that must stay (state and memory writes, trapping ops, calls,
//! terminators) and flows back through operands and, for a parameter, through the
//! matching argument of each branch to its block, so a loop-carried value that only
//! feeds itself dies with its parameter.
//!
//!   block1(v4:i64, v5:i64):                block1(v4:i64):
//!     v6 = add.i64 v5, v1                    v7 = add.i64 v4, v1
//!     v7 = add.i64 v4, v1           =>       setreg x10, v7
//!     setreg x10, v7                          condbr v8, block1(v7), block2
//!     condbr v8, block1(v7, v6), block2
//!
//! Sound because a removed op has no effect and cannot trap, so running it or not
//! differs only in its result, which nothing kept reads; an unreachable block never runs.
//! Block ids are kept: the engine's per-block guest pcs stay valid.

import { buildCfg } from '../ir/cfg.js';
import type { BlockId, Region, Value } from '../ir/function.js';
import type { Pass } from './pass.js';
import { definitions, incomingCalls, isRemovable, removeParams } from './rewrite.js';

export const dce: Pass = {
  name: 'dce',
  summary: 'dead code elimination: unreachable blocks, unused ops and block parameters',
  run: runDce,
};

function runDce(region: Region): void {
  const reachable = new Set(buildCfg(region).rpo);
  region.blocks = region.blocks.filter((b) => reachable.has(b.id));

  const defs = definitions(region);
  const incoming = incomingCalls(region);
  const paramOf = new Map<Value, { block: BlockId; index: number }>();
  for (const b of region.blocks) b.params.forEach((p, index) => paramOf.set(p.value, { block: b.id, index }));

  const live = new Set<Value>();
  const work: Value[] = [];
  const need = (v: Value) => {
    if (live.has(v)) return;
    live.add(v);
    work.push(v);
  };
  for (const b of region.blocks) for (const inst of b.insts) if (!isRemovable(inst)) inst.args.forEach(need);
  while (work.length > 0) {
    const v = work.pop()!;
    const def = defs.get(v);
    if (def !== undefined) def.args.forEach(need);
    const param = paramOf.get(v);
    if (param !== undefined) for (const call of incoming.get(param.block) ?? []) need(call.args[param.index]);
  }

  for (const b of region.blocks) {
    b.insts = b.insts.filter((inst) => !isRemovable(inst) || live.has(inst.result!));
    const dead = new Set<number>();
    b.params.forEach((p, i) => { if (!live.has(p.value)) dead.add(i); });
    removeParams(b, dead, incoming.get(b.id) ?? []);
  }
}
