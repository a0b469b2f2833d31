//! The JIT tier as `runtime/run.ts` sees it. Starting it turns V8's Liftoff off for every
//! wasm module compiled after: V8 in Node 20 never moves a running wasm loop from Liftoff
//! to optimized code, and chained regions run for the whole program without returning. Binaryen (a second to load) is loaded only for `--emitter binaryen` and
//! `--dump-ir` (wasm text).

import * as v8 from 'node:v8';
import { type Emitter, loadBinaryen } from '../../backend-wasm/module.js';
import { readSymbols } from '../elf.js';
import type { LoadResult } from '../loader.js';
import type { Machine } from '../machine.js';
import { makeSymbolizer, RegionDumper } from './dump.js';
import { JitEngine } from './engine.js';

let flagsSet = false;

/** Liftoff off, and every function compiled when its module is (so that the V8 stage of
 * --stats is the real cost: lazily, TurboFan would run at a region's first call). Set
 * after Binaryen is loaded, whose own large module must not be compiled that way. */
function setV8Flags(): void {
  if (flagsSet) return;
  flagsSet = true;
  v8.setFlagsFromString('--no-liftoff');
  v8.setFlagsFromString('--no-wasm-lazy-compilation');
}

export { JitEngine, JitError } from './engine.js';

export interface JitStartOptions {
  dumpIr?: string;
  emitter: Emitter;
  /** --stats: also count inline TLB lookups. */
  stats?: boolean;
  /** --passes: the optimizer pipeline (default: the default pipeline). */
  passes?: readonly string[];
  /** --verify-ir: run the IR verifier after every pass. */
  verifyIr?: boolean;
}

/** A JIT engine for a loaded program. */
export function startJit(m: Machine, load: LoadResult, options: JitStartOptions): JitEngine {
  setV8Flags();
  let dumper: RegionDumper | undefined;
  if (options.dumpIr !== undefined) {
    dumper = new RegionDumper(options.dumpIr, makeSymbolizer(readSymbols(load.elf.data), load.bias));
  }
  return new JitEngine(m, {
    dumper, emitter: options.emitter, countLookups: options.stats, passes: options.passes, verifyIr: options.verifyIr,
  });
}

/** Loads what the options need (Binaryen, for its emitter or for wasm text). */
export async function prepareJit(options: JitStartOptions): Promise<void> {
  if (options.emitter === 'binaryen' || options.dumpIr !== undefined) await loadBinaryen();
  setV8Flags();
}
