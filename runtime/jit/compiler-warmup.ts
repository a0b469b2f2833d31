//! A compile worker's warm-up: it compiles the warm-up program (every instruction of the
//! encoding table: `warmup-program.ts`) once as it boots, before its first job.
//!
//! The lifter, optimizer and backend are JavaScript; in a fresh worker they first run in
//! V8's bytecode interpreter: a region of about 100 guest instructions took some 70 ms
//! there, against 20 ms once V8 has compiled them, and the guest's first hot regions,
//! which count most, came back last. Running the program through the whole pipeline
//! (about 60-150 ms) gives V8 the feedback of every instruction's lifting and lowering
//! before the first job arrives.

import { DEFAULT_PIPELINE } from '../../optimizer/default-pipeline.js';
import type { Emitter } from '../../backend-wasm/module.js';
import { fetchHalfwords } from '../../lifter/region.js';
import { CODE, program } from '../warmup-program.js';
import { liftFetched } from './region-source.js';
import { translateRegion } from './translate.js';

/** What a warm-up compiled: regions, and the distinct program instructions they hold. */
export interface WarmUpResult {
  regions: number;
  insts: number;
  /** The program's length in instructions. */
  programInsts: number;
}

/** Compiles the warm-up program as regions. Throws what the pipeline throws (the worker
 * ignores it: a warm-up only saves time). */
export function warmUpCompiler(emitter: Emitter): WarmUpResult {
  const words = program(1);
  const half = new Uint16Array(new Uint32Array(words).buffer);
  const fetch = fetchHalfwords((pc) => (pc >= CODE && pc < CODE + 2 * half.length ? half[(pc - CODE) >>> 1] : undefined));
  // A region's paths end at calls, jalr, fence.i: the next region starts at the first
  // instruction no region holds yet.
  const covered = new Set<number>();
  let slot = 0;
  let regions = 0;
  for (let i = 0; i < words.length; i++) {
    const pc = CODE + 4 * i;
    if (covered.has(pc)) continue;
    const lifted = liftFetched(fetch, new Set(), pc);
    for (const block of lifted.cfg.blocks) for (const inst of block.insts) covered.add(inst.pc);
    const translated = translateRegion(lifted.region, lifted, () => slot++, { passes: DEFAULT_PIPELINE, flat: false, emitter });
    new WebAssembly.Module(translated.emitted.binary);
    regions++;
  }
  return { regions, insts: covered.size, programInsts: words.length };
}
