//! Guest code to IR for the JIT: fetches instructions from the address space (as the
//! interpreter's decoder does), discovers and lifts the region (`lifter/`), and keeps what
//! the engine needs beside the IR: the code pages to watch, and per IR block the guest pc
//! it starts at and the guest instructions it retires.

import { liftRegion } from '../../lifter/lift.js';
import { discoverRegion, type FetchFn, type GuestCfg, type RegionLimits, type StopFn } from '../../lifter/region.js';
import type { BlockId, Region } from '../../ir/function.js';
import { fetchInstruction } from '../fetch.js';
import { type AddressSpace, GuestFault } from '../memory.js';

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

/** Lifts the region entered at pc. A fault fetching the entry instruction propagates
 * (the guest gets SIGSEGV there, as under the interpreter); later unfetchable code just
 * ends the region's paths. */
export function liftGuestRegion(as: AddressSpace, pc: number, limits?: Partial<RegionLimits>, stopAt?: StopFn): LiftedRegion {
  const pages = new Set<number>();
  fetchInstruction(as, pc, pages);
  const fetch: FetchFn = (at) => {
    try {
      return fetchInstruction(as, at, pages);
    } catch (e) {
      if (e instanceof GuestFault) return undefined;
      throw e;
    }
  };
  return liftFetched(fetch, pages, pc, limits, stopAt);
}

/** Lifts the region entered at pc from `fetch`, which adds the pages it reads to `pages`
 * (a compile worker's fetch reads a code window: see `code-window.ts`). */
export function liftFetched(fetch: FetchFn, pages: Set<number>, pc: number, limits?: Partial<RegionLimits>, stopAt?: StopFn): LiftedRegion {
  const cfg = discoverRegion(fetch, pc, limits, stopAt);
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
