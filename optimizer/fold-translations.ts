//! fold-translations: guest accesses that share a page with an earlier translation
//! reuse it.
//!
//! Provable reuse: an access at a constant address c (aligned to its size, so it lies
//! within one page) whose page and access kind were already translated by an access at
//! c0 on every path to it, with no helper call since, becomes a host access at
//! translate(c0) + (c - c0). The earlier access is split into `translate` + `loadh`/
//! `storeh`. Sound because the translation faults exactly as that access would (same
//! address, size and kind), the later access lies in the same page and needs the same
//! permission, and the mapping of a page cannot change between the two: only helper calls
//! can change it (system calls even leave the region), and a call ends availability. The
//! availability analysis is a forward "all paths" dataflow, so the translation dominates
//! every access that reuses it.
//!
//! Probable reuse: accesses of one kind whose addresses are one SSA base value plus
//! constants (sp- or gp-relative, a struct pointer) probably touch the same page, so they
//! share a translation cache slot (`loadgc`/`storegc`): after the first, each costs one
//! compare against the page in the slot instead of a TLB probe. Sound because a slot is
//! only a cache: each access still checks that its own page and alignment match the slot
//! and otherwise translates as before (see backend-wasm/tlb.ts).

import type { BlockId, Inst, Region, Value } from '../ir/function.js';
import { blockMap, nextValueId } from '../ir/function.js';
import { buildCfg } from '../ir/cfg.js';
import { type Address, accessKind, decompose, isPlainAccess, nextSlot, useSlot } from './address.js';
import type { Pass } from './pass.js';
import { definitions } from './rewrite.js';

const PAGE_SHIFT = 12n;

/** A constant-address access: the translation it makes, or the one it reuses. */
interface Reuse {
  use: Inst;
  from: Inst;
  delta: number;
}

export const foldTranslations: Pass = {
  name: 'fold-translations',
  summary: 'accesses on a page translated before reuse that translation (provably, or behind a same-page check)',
  run(region) {
    const defs = definitions(region);
    const address = new Map<Inst, Address>();
    for (const b of region.blocks) for (const i of b.insts) if (isPlainAccess(i)) address.set(i, decompose(i.args[0], defs));
    foldConstantPages(region, address);
    shareSlots(region, address);
  },
};

/** The page key of a constant, aligned access; undefined for any other access. */
function constantPage(i: Inst, a: Address | undefined): string | undefined {
  if (a === undefined || a.base !== undefined) return undefined;
  const c = BigInt.asUintN(64, a.offset);
  if (c % BigInt(i.size!) !== 0n) return undefined;
  return `${accessKind(i)}:${c >> PAGE_SHIFT}`;
}

/** Translations available at block boundaries: page key -> the access that made it. */
type Available = Map<string, Inst>;

function foldConstantPages(region: Region, address: ReadonlyMap<Inst, Address>): void {
  const cfg = buildCfg(region);
  const blocks = blockMap(region);
  const out = new Map<BlockId, Available>(); // absent: not computed yet (top)
  const reuses: Reuse[] = [];

  const walk = (b: BlockId, avail: Available, record: boolean): Available => {
    for (const i of blocks.get(b)!.insts) {
      if (i.op === 'call') avail.clear();
      const key = constantPage(i, address.get(i));
      if (key === undefined) continue;
      const from = avail.get(key);
      if (from === undefined) avail.set(key, i);
      else if (record) reuses.push({ use: i, from, delta: Number(address.get(i)!.offset - address.get(from)!.offset) });
    }
    return avail;
  };
  const entryOf = (b: BlockId): Available => {
    if (b === cfg.entry) return new Map();
    let avail: Available | undefined;
    for (const p of cfg.preds.get(b) ?? []) {
      const o = out.get(p);
      if (o === undefined) continue;
      if (avail === undefined) avail = new Map(o);
      else for (const [k, v] of avail) if (o.get(k) !== v) avail.delete(k);
    }
    return avail ?? new Map();
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const b of cfg.rpo) {
      const o = walk(b, entryOf(b), false);
      const old = out.get(b);
      if (old === undefined || old.size !== o.size || [...o].some(([k, v]) => old.get(k) !== v)) {
        out.set(b, o);
        changed = true;
      }
    }
  }
  for (const b of cfg.rpo) walk(b, entryOf(b), true);
  if (reuses.length > 0) rewriteReuses(region, reuses);
}

/** Splits each reused access into translate + host access, and makes its reusers host
 * accesses at an offset from that translation. */
function rewriteReuses(region: Region, reuses: readonly Reuse[]): void {
  let next = nextValueId(region);
  const hostOf = new Map<Inst, Value>();
  for (const r of reuses) if (!hostOf.has(r.from)) hostOf.set(r.from, next++);
  const reuseOf = new Map<Inst, Reuse>(reuses.map((r) => [r.use, r]));
  for (const b of region.blocks) {
    const insts: Inst[] = [];
    for (const i of b.insts) {
      const host = hostOf.get(i);
      const reuse = reuseOf.get(i);
      if (host !== undefined) {
        insts.push({ op: 'translate', result: host, type: 'i32', args: [i.args[0]], size: i.size, access: accessKind(i), pc: i.pc });
        insts.push(hostAccess(i, host, 0));
      } else if (reuse !== undefined) {
        let base = hostOf.get(reuse.from)!;
        let offset = reuse.delta;
        if (offset < 0) {
          const k = next++;
          insts.push({ op: 'iconst', result: k, type: 'i32', args: [], imm: BigInt(offset) });
          insts.push({ op: 'add', result: next, type: 'i32', args: [base, k] });
          base = next++;
          offset = 0;
        }
        insts.push(hostAccess(i, base, offset));
      } else {
        insts.push(i);
      }
    }
    b.insts = insts;
  }
}

/** loadg/storeg as loadh/storeh at host + offset. */
function hostAccess(i: Inst, host: Value, offset: number): Inst {
  if (i.op === 'loadg') return { op: 'loadh', result: i.result, type: i.type, args: [host], offset, size: i.size, signed: i.signed };
  return { op: 'storeh', args: [host, i.args[1]], offset, size: i.size };
}

/** Plain accesses of one kind off one base value, two or more: one slot per group. */
function shareSlots(region: Region, address: ReadonlyMap<Inst, Address>): void {
  const groups = new Map<string, Inst[]>();
  for (const b of region.blocks) {
    for (const i of b.insts) {
      const a = address.get(i);
      if (!isPlainAccess(i) || a?.base === undefined) continue;
      const key = `${accessKind(i)}:${a.base}`;
      const g = groups.get(key);
      if (g === undefined) groups.set(key, [i]);
      else g.push(i);
    }
  }
  let slot = nextSlot(region);
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    for (const i of g) useSlot(i, slot);
    slot++;
  }
}
