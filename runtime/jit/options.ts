//! The JIT's options as the run options give them: one place for both JIT tiers (the
//! `jit` engine and the tiered engine's compiler), without loading either.

import type { Emitter } from '../../backend-wasm/module.js';
import { readSymbols } from '../elf.js';
import type { LoadResult } from '../loader.js';
import type { JitOptions } from './code.js';
import { makeSymbolizer, RegionDumper } from './dump.js';

export interface JitStartOptions {
  dumpIr?: string;
  emitter: Emitter;
  /** --stats: also count guest accesses and inline TLB lookups. */
  stats?: boolean;
  /** --passes: the optimizer pipeline (default: the default pipeline). */
  passes?: readonly string[];
  /** --verify-ir: run the IR verifier after every pass. */
  verifyIr?: boolean;
}

/** The engine options of the run options; `load` names dumped regions by symbol. */
export function jitOptions(options: JitStartOptions, load?: LoadResult): JitOptions {
  let dumper: RegionDumper | undefined;
  if (options.dumpIr !== undefined) {
    const symbolize = load !== undefined ? makeSymbolizer(readSymbols(load.elf.data), load.bias) : undefined;
    dumper = new RegionDumper(options.dumpIr, symbolize);
  }
  return { dumper, emitter: options.emitter, countLookups: options.stats, passes: options.passes, verifyIr: options.verifyIr };
}
