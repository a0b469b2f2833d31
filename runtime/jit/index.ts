//! The JIT tier as `runtime/run.ts` sees it. Starting it turns V8's Liftoff off for every
//! wasm module compiled after (see `v8-flags.ts`). Binaryen (a second to load) is loaded
//! only for `--emitter binaryen` and `--dump-ir` (wasm text).

import { type Emitter, loadBinaryen } from '../../backend-wasm/module.js';
import { readSymbols } from '../elf.js';
import type { LoadResult } from '../loader.js';
import type { Machine } from '../machine.js';
import { makeSymbolizer, RegionDumper } from './dump.js';
import { JitEngine, type JitOptions } from './engine.js';
import { setV8Flags } from './v8-flags.js';

export { JitEngine, JitError } from './engine.js';

export interface JitStartOptions {
  dumpIr?: string;
  emitter: Emitter;
  /** --stats: also count inline TLB lookups. */
  stats?: boolean;
}

/** A JIT engine for a loaded program. */
export function startJit(m: Machine, load: LoadResult, options: JitStartOptions): JitEngine {
  setV8Flags();
  return new JitEngine(m, jitOptions(load, options));
}

/** The engine options of the run options (the tiered engine's compiler uses them too). */
export function jitOptions(load: LoadResult, options: JitStartOptions): JitOptions {
  let dumper: RegionDumper | undefined;
  if (options.dumpIr !== undefined) {
    dumper = new RegionDumper(options.dumpIr, makeSymbolizer(readSymbols(load.elf.data), load.bias));
  }
  return { dumper, emitter: options.emitter, countLookups: options.stats };
}

/** Loads what the options need (Binaryen, for its emitter or for wasm text). */
export async function prepareJit(options: JitStartOptions): Promise<void> {
  if (options.emitter === 'binaryen' || options.dumpIr !== undefined) await loadBinaryen();
  setV8Flags();
}
