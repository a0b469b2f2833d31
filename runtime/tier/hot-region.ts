//! A region that got hot in the interpreter, as the tiered engine queues it: when it got
//! hot and when it was last seen entered, so that the compiler sends the busiest first
//! and drops those gone cold. Kept apart from `compiler.ts`, which the engine loads only
//! once it is needed.

import type { Block } from '../interp/blocks.js';

/** A hot region waiting to be compiled, by its entry block. */
export interface HotRegion {
  block: Block;
  /** When it got hot (performance.now()); its entries since then are -heat. */
  hotAt: number;
  /** Its heat when it was last seen entered, and when that was. */
  seenHeat: number;
  seenAt: number;
}

/** A hot region that just got hot. */
export function hotRegion(block: Block, now = performance.now()): HotRegion {
  return { block, hotAt: now, seenHeat: block.heat, seenAt: now };
}

/** Notes whether the region was entered since it was last looked at. */
export function lookAt(r: HotRegion, now: number): void {
  if (r.block.heat !== r.seenHeat) {
    r.seenHeat = r.block.heat;
    r.seenAt = now;
  }
}
