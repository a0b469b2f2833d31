//! The JIT tier as `runtime/run.ts` sees it. Starting it turns V8's Liftoff off for every
//! wasm module compiled after (see `v8-flags.ts`). Binaryen (a second to load) is loaded
//! only for `--emitter binaryen` and `--dump-ir` (wasm text).

import { loadBinaryen } from '../../backend-wasm/module.js';
import type { LoadResult } from '../loader.js';
import type { Machine } from '../machine.js';
import { JitEngine } from './engine.js';
import { jitOptions, type JitStartOptions } from './options.js';
import { setV8Flags } from './v8-flags.js';

export { JitEngine, JitError } from './engine.js';
export type { JitStartOptions } from './options.js';

/** A JIT engine for a loaded program. */
export function startJit(m: Machine, load: LoadResult, options: JitStartOptions): JitEngine {
  setV8Flags();
  return new JitEngine(m, jitOptions(options, load));
}

/** Loads what the options need (Binaryen, for its emitter or for wasm text). */
export async function prepareJit(options: JitStartOptions): Promise<void> {
  if (options.emitter === 'binaryen' || options.dumpIr !== undefined) await loadBinaryen();
  setV8Flags();
}
