//! Guest code to IR for the JIT: fetches instructions from the address space (as the
//! interpreter's decoder does), discovers and lifts the region (`lifter/`), and keeps what
//! the engine needs beside the IR: the code pages to watch, and per IR block the guest pc
//! it starts at and the guest instructions it retires.

import {
  PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, TLB_ADDEND, TLB_ENTRIES, TLB_ENTRY_BYTES, TLB_EXEC, TLB_OFF,
} from '../../layout/layout.js';
import { expandCompressed } from '../../lifter/compressed.js';
import { liftRegion } from '../../lifter/lift.js';
import { discoverRegion, type FetchFn, type GuestCfg, type RegionLimits } from '../../lifter/region.js';
import type { BlockId, Region } from '../../ir/function.js';
import { Access, type AddressSpace, GuestFault } from '../memory.js';

export interface LiftedRegion {
  region: Region;
  cfg: GuestCfg;
  /** Virtual page numbers holding the region's guest code. */
  pages: number[];
  /** Distinct guest instructions in the region. */
  guestInsts: number;
  /** IR block -> guest pc it starts at (blocks that are guest basic blocks). */
  blockPc: Map<BlockId, number>;
  /** IR block -> guest instructions it retires. */
  blockInsts: Map<BlockId, number>;
}

const TWO32 = 4294967296;

/** The halfword at pc, through the TLB's exec tag (so that decoding a region costs no
 * TLB misses on pages already filled) and else the slow path. */
function fetch16(as: AddressSpace, pc: number): number {
  const lo = pc % TWO32 | 0, hi = Math.floor(pc / TWO32) | 0;
  const R = as.v.i32;
  const e = (TLB_OFF + ((lo >>> PAGE_SHIFT) & (TLB_ENTRIES - 1)) * TLB_ENTRY_BYTES + TLB_EXEC) >> 2;
  if (R[e] === (lo & ~PAGE_MASK) && R[e + 1] === hi && (lo & 1) === 0) {
    return as.v.u16[((lo + R[e - (TLB_EXEC >> 2) + (TLB_ADDEND >> 2)]) >>> 0) >>> 1];
  }
  const h = as.translate(lo, hi, 2, Access.Exec);
  if (h < 0) throw new GuestFault(BigInt(pc), Access.Exec, 1);
  return as.v.u16[h >>> 1];
}

/** Fetches the instruction at pc; throws the fetch fault the interpreter would raise. */
function fetchOrFault(as: AddressSpace, pc: number, pages: Set<number>): { inst: number; len: 2 | 4 } {
  if (pc % 2 !== 0) throw new GuestFault(BigInt(pc), Access.Exec, 1);
  const lo = fetch16(as, pc);
  pages.add(Math.floor(pc / PAGE_SIZE));
  if ((lo & 3) !== 3) return { inst: expandCompressed(lo), len: 2 };
  const hi = fetch16(as, pc + 2);
  pages.add(Math.floor((pc + 2) / PAGE_SIZE));
  return { inst: (lo | (hi << 16)) >>> 0, len: 4 };
}

/** Lifts the region entered at pc. A fault fetching the entry instruction propagates
 * (the guest gets SIGSEGV there, as under the interpreter); later unfetchable code just
 * ends the region's paths. */
export function liftGuestRegion(as: AddressSpace, pc: number, limits?: Partial<RegionLimits>): LiftedRegion {
  const pages = new Set<number>();
  fetchOrFault(as, pc, pages);
  const fetch: FetchFn = (at) => {
    try {
      return fetchOrFault(as, at, pages);
    } catch (e) {
      if (e instanceof GuestFault) return undefined;
      throw e;
    }
  };
  const cfg = discoverRegion(fetch, pc, limits);
  const region = liftRegion(cfg);
  // `liftRegion` creates, in layout order, an entry block that branches to the entry pc
  // when that is a loop header, then one IR block per guest block in `cfg.blocks` order.
  const loopEntry = cfg.blocks.some((g) => g.succs.includes(cfg.entry));
  const first = loopEntry ? 1 : 0;
  const blockPc = new Map<BlockId, number>();
  const blockInsts = new Map<BlockId, number>();
  cfg.blocks.forEach((g, i) => {
    const block = region.blocks[first + i];
    if (block === undefined) throw new Error(`lifter: no IR block for the guest block at 0x${g.start.toString(16)}`);
    blockPc.set(block.id, g.start);
    blockInsts.set(block.id, g.insts.length);
  });
  const guestInsts = cfg.blocks.reduce((n, g) => n + g.insts.length, 0);
  return { region, cfg, pages: [...pages], guestInsts, blockPc, blockInsts };
}
