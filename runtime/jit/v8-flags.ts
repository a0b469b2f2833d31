//! V8 flags every JIT tier needs, set once per process (V8's flags are process-wide, so
//! they hold in compile workers too): Liftoff off, because V8 in Node 20 never moves a
//! running wasm loop from Liftoff to optimized code and chained regions run for the whole
//! program without returning; and every function compiled when its module is, so that
//! compile time is paid (and measured) at compile, not at a region's first call.

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
