//! Guest addresses as `base + constant`, seen through chains of `add`/`sub` with
//! constants, for the passes that reason about which page an access touches.

import type { Inst, Region, Value } from '../ir/function.js';

/** An address: `base + offset` (wrapping), or the constant `offset` when base is absent. */
export interface Address {
  base?: Value;
  offset: bigint;
}

/** `v` as base + constant. Only i64 adds and subtractions of constants are looked
 * through (guest addresses are i64), to a bounded depth. */
export function decompose(v: Value, defs: ReadonlyMap<Value, Inst>, depth = 8): Address {
  const def = defs.get(v);
  if (def === undefined || depth === 0 || def.type !== 'i64') return { base: v, offset: 0n };
  if (def.op === 'iconst') return { offset: def.imm! };
  if (def.op === 'add' || def.op === 'sub') {
    const a = decompose(def.args[0], defs, depth - 1);
    const b = decompose(def.args[1], defs, depth - 1);
    if (b.base === undefined) {
      const offset = def.op === 'add' ? a.offset + b.offset : a.offset - b.offset;
      return { base: a.base, offset: BigInt.asIntN(64, offset) };
    }
    if (def.op === 'add' && a.base === undefined) return { base: b.base, offset: BigInt.asIntN(64, a.offset + b.offset) };
  }
  return { base: v, offset: 0n };
}

/** Guest accesses before any slot or translation is chosen. */
export function isPlainAccess(i: Inst): boolean {
  return i.op === 'loadg' || i.op === 'storeg';
}

/** Guest accesses that go through a translation cache slot. */
export function isSlotAccess(i: Inst): boolean {
  return i.op === 'loadgc' || i.op === 'storegc';
}

/** One past the highest translation cache slot in use. */
export function nextSlot(region: Region): number {
  let n = 0;
  for (const b of region.blocks) for (const i of b.insts) if (i.slot !== undefined) n = Math.max(n, i.slot + 1);
  return n;
}

/** Turns a loadg/storeg into its slot form, in place. */
export function useSlot(i: Inst, slot: number): void {
  i.op = i.op === 'loadg' ? 'loadgc' : 'storegc';
  i.slot = slot;
}

/** The access kind of a guest load or store. */
export function accessKind(i: Inst): 'read' | 'write' {
  return i.op === 'loadg' || i.op === 'loadgc' ? 'read' : 'write';
}
