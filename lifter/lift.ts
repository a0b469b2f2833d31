//! Lifting a discovered region (see `region.ts`) to IR: one IR block per guest block,
//! each instruction by the rule of its extension (`rv64i.ts`, `rv64m.ts`, `rv64a.ts`,
//! `rv64fd.ts`, `zicsr.ts`; compressed forms arrive expanded). An instruction without a
//! rule is an error naming it, never a silent fallback.

import { Builder } from '../ir/builder.js';
import type { BlockId, Region } from '../ir/function.js';
import { MNEMONICS } from './encoding.js';
import { Op } from './opcodes.js';
import { discoverRegion, type FetchFn, type GuestCfg, type GuestInst, type RegionLimits } from './region.js';
import { RV64A } from './rv64a.js';
import { RV64D, RV64F } from './rv64fd.js';
import { RV64I } from './rv64i.js';
import { RV64M } from './rv64m.js';
import { LiftContext, type Trans } from './shapes.js';
import { ZICSR } from './zicsr.js';

export class LiftError extends Error {
  override name = 'LiftError';
}

/** The rule of every `Op`, by its number. */
const RULES: readonly (Trans | undefined)[] = (() => {
  const rules: (Trans | undefined)[] = new Array(Op.COUNT).fill(undefined);
  for (const table of [RV64I, ZICSR, RV64M, RV64A, RV64F, RV64D]) {
    for (const [op, rule] of Object.entries(table)) {
      if (rules[Number(op)] !== undefined) throw new Error(`lifter: two rules for ${MNEMONICS[Number(op)]}`);
      rules[Number(op)] = rule;
    }
  }
  return rules;
})();

/** Whether the lifter has a rule for the op. */
export function hasLiftRule(op: Op): boolean {
  return RULES[op] !== undefined;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** Lifts one instruction at the context's cursor. */
export function liftInstruction(c: LiftContext, gi: GuestInst): void {
  const rule = RULES[gi.d.op];
  if (rule === undefined) {
    const name = MNEMONICS[gi.d.op] ?? `op ${gi.d.op}`;
    throw new LiftError(`lifter: no rule for '${name}' (${hex(gi.inst)}) at ${hex(gi.pc)}`);
  }
  c.pc = gi.pc;
  c.len = gi.len;
  c.ended = false;
  rule(c, gi.d);
}

/** The IR of a discovered region. If the entry pc is a branch target inside the region
 * (a loop header), a small entry block branches to it, as the entry block cannot be one. */
export function liftRegion(cfg: GuestCfg): Region {
  const b = new Builder(cfg.entry);
  const loopEntry = cfg.blocks.some((g) => g.succs.includes(cfg.entry));
  const pre = loopEntry ? b.createBlock() : undefined;
  const blockOf = new Map<number, BlockId>();
  for (const g of cfg.blocks) blockOf.set(g.start, b.createBlock());
  if (pre !== undefined) {
    b.switchToBlock(pre);
    b.br(blockOf.get(cfg.entry)!);
  }
  const c = new LiftContext(b, (pc) => blockOf.get(pc));
  for (const g of cfg.blocks) {
    b.switchToBlock(blockOf.get(g.start)!);
    c.ended = false;
    for (const gi of g.insts) {
      if (c.ended) throw new LiftError(`lifter: block 0x${g.start.toString(16)} goes on after its end at ${hex(c.pc)}`);
      liftInstruction(c, gi);
    }
    if (!c.ended) {
      c.pc = g.next;
      c.len = 0;
      c.jump(g.next);
    }
  }
  return b.finish();
}

/** Discovers and lifts the region entered at `pc`. */
export function liftAt(fetch: FetchFn, pc: number, limits?: Partial<RegionLimits>): Region {
  return liftRegion(discoverRegion(fetch, pc, limits));
}
