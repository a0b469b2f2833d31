//! V8 flags every JIT tier needs, set once per process (V8's flags are process-wide, so
//! they hold in compile workers too): Liftoff off, because V8 in Node 20 never moves a
//! running wasm loop from Liftoff to optimized code and chained regions run for the whole
//! program without returning; and every function compiled when its module is, so that
//! compile time is paid (and measured) at compile, not at a region's first call.
//!
//! The tiered engine has its compile workers set them, each before its first compile,
//! not the main thread before it starts them: V8 checks a hash of its flags before it
//! takes a code cache, so a thread that boots after a flag changed finds Node's embedded
//! cache of its own internal modules refused and compiles them from source (a worker
//! then took ~85 ms to boot instead of ~55, on the other core while the guest starts).
//! (That engine's main thread compiles no region itself, except with `--sync`, which sets
//! them through `jit/index.ts`.)

import * as v8 from 'node:v8';

let flagsSet = false;

/** Sets the flags; call it after loading Binaryen, whose large module must not be
 * compiled that way. */
export function setV8Flags(): void {
  if (flagsSet) return;
  flagsSet = true;
  v8.setFlagsFromString('--no-liftoff');
  v8.setFlagsFromString('--no-wasm-lazy-compilation');
}
