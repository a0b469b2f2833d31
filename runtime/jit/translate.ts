//! IR of a lifted region to a wasm binary: the optimizer pipeline, then the backend. Pure
//! (no Machine, no code cache): the engine calls it on the main thread, and a compile
//! worker can call it on a region posted to it, given the table slots of the exits.

import { emitRegion, type EmittedRegion } from '../../backend-wasm/emit.js';
import type { Emitter } from '../../backend-wasm/module.js';
import type { BlockId, Region } from '../../ir/function.js';
import { runPipeline } from '../../optimizer/pipeline.js';

export interface TranslateOptions {
  /** Optimizer passes to run, in order (empty: none). */
  passes: readonly string[];
  /** Verify the IR after every pass (--verify-ir, tests). */
  verify?: boolean;
  /** --mmu flat. */
  flat: boolean;
  /** Count inline TLB probes (--stats). */
  countLookups?: boolean;
  emitter?: Emitter;
  /** Also produce wasm text (dumps; needs Binaryen loaded). */
  text?: boolean;
  /** Called after each pass (per-pass dumps). */
  afterPass?(pass: string, index: number, region: Region): void;
}

/** What the backend needs to know of the guest code besides the IR. */
export interface RegionMeta {
  /** IR block -> guest pc it starts at (guest basic blocks only). */
  blockPc: ReadonlyMap<BlockId, number>;
  /** IR block -> guest instructions it retires. */
  blockInsts: ReadonlyMap<BlockId, number>;
}

export interface Translated {
  emitted: EmittedRegion;
  optimizeMs: number;
  emitMs: number;
}

/** Optimizes `region` in place and emits it. `slotFor` gives the table slot of a direct
 * exit's target. Errors propagate (the caller names the region). */
export function translateRegion(region: Region, meta: RegionMeta, slotFor: (pc: number) => number, options: TranslateOptions): Translated {
  const t0 = performance.now();
  runPipeline(region, options.passes, { verify: options.verify, after: options.afterPass });
  const t1 = performance.now();
  const emitted = emitRegion(region, {
    slotFor,
    blockPc: (b) => meta.blockPc.get(b),
    blockInsts: (b) => meta.blockInsts.get(b) ?? 0,
    text: options.text,
    emitter: options.emitter,
    flat: options.flat,
    countLookups: options.countLookups,
  });
  return { emitted, optimizeMs: t1 - t0, emitMs: performance.now() - t1 };
}
