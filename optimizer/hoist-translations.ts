//! hoist-translations: TLB lookups out of loops.
//!
//! Every guest access in a loop that has no translation cache slot yet gets one of its
//! own (accesses off one base value in one loop share it). An access driven by an
//! induction variable then touches the TLB only when its page changes, not once per
//! iteration: each iteration compares its page with the slot's (backend-wasm/tlb.ts).
//! For a slot whose address is loop-invariant (its base is defined outside the loop, or it
//! is a constant), the loop's preheader gets a `tlbfill` of that address, so the
//! translation is done once before the loop and the loop body never probes the TLB.
//!
//! Sound because slots are only caches: every access still compares its own page and
//! alignment with the slot and translates (with its own fault) when they differ, a
//! `tlbfill` never faults and only copies what the TLB holds, and slots are emptied after
//! every helper call inside the loop, which is all that can change the mapping while
//! the region runs. Nothing that can fault moves.

import type { Block, BlockId, Inst, Value } from '../ir/function.js';
import { blockMap, nextValueId } from '../ir/function.js';
import { computeDominators } from '../ir/dominators.js';
import { findLoops, type Loop } from '../ir/loops.js';
import { type Address, accessKind, decompose, isPlainAccess, isSlotAccess, nextSlot, useSlot } from './address.js';
import type { Pass } from './pass.js';
import { definitions } from './rewrite.js';

export const hoistTranslations: Pass = {
  name: 'hoist-translations',
  summary: 'accesses in loops keep their page in a slot; loop-invariant ones are translated before the loop',
  run(region) {
    const dom = computeDominators(region);
    const { loops } = findLoops(region, dom);
    if (loops.length === 0) return;
    const defs = definitions(region);
    const blocks = blockMap(region);
    const definedIn = new Map<Value, BlockId>();
    for (const b of region.blocks) {
      for (const p of b.params) definedIn.set(p.value, b.id);
      for (const i of b.insts) if (i.result !== undefined) definedIn.set(i.result, b.id);
    }
    let slot = nextSlot(region);
    let value = nextValueId(region);
    // Innermost loops first, so that an access gets the slot of the loop it runs most in.
    for (const loop of [...loops].sort((a, b) => b.depth - a.depth)) {
      const groups = new Map<string, number>();
      const accesses: { inst: Inst; address: Address }[] = [];
      for (const id of loop.blocks) {
        for (const i of blocks.get(id)!.insts) {
          if (!isPlainAccess(i) && !isSlotAccess(i)) continue;
          const address = decompose(i.args[0], defs);
          if (isPlainAccess(i)) {
            const key = `${accessKind(i)}:${address.base ?? `page ${BigInt.asUintN(64, address.offset) >> 12n}`}`;
            let s = groups.get(key);
            if (s === undefined) groups.set(key, (s = slot++));
            useSlot(i, s);
          }
          accesses.push({ inst: i, address });
        }
      }
      const preheader = preheaderOf(loop, blocks);
      if (preheader === undefined) continue;
      const filled = new Set<number>();
      const fills: Inst[] = [];
      for (const { inst, address } of accesses) {
        if (filled.has(inst.slot!)) continue;
        const base = address.base;
        if (base !== undefined && loop.blocks.has(definedIn.get(base) ?? -1)) continue;
        filled.add(inst.slot!);
        const k = value++;
        fills.push({ op: 'iconst', result: k, type: 'i64', args: [], imm: address.offset });
        let vaddr = k;
        if (base !== undefined) {
          vaddr = value++;
          fills.push({ op: 'add', result: vaddr, type: 'i64', args: [base, k] });
        }
        fills.push({ op: 'tlbfill', args: [vaddr], access: accessKind(inst), slot: inst.slot! });
      }
      const insts = blocks.get(preheader)!.insts;
      insts.splice(insts.length - 1, 0, ...fills);
    }
  },
};

/** The loop's preheader: its header's only predecessor outside the loop, when that block
 * branches nowhere else (so code placed at its end runs exactly before the loop). */
function preheaderOf(loop: Loop, blocks: ReadonlyMap<BlockId, Block>): BlockId | undefined {
  let found: BlockId | undefined;
  for (const b of blocks.values()) {
    if (loop.blocks.has(b.id)) continue;
    const term = b.insts[b.insts.length - 1];
    if (!term?.targets?.some((t) => t.block === loop.header)) continue;
    if (found !== undefined || term.op !== 'br') return undefined;
    found = b.id;
  }
  return found;
}
