//! What a pass is: a named transformation of one region's IR, in place. Passes are
//! target-independent (no pass knows about WebAssembly) and must keep the region valid
//! for `ir/verify.ts` and its guest semantics exact, including the guest state observed at
//! every exit, helper call and trapping op.
//!
//! One invariant every pass keeps, which the backend relies on: at the start of a block
//! that begins a guest basic block (the engine's `blockPc`), every guest register holds its
//! architectural value (loop back-edges to such blocks may leave the region there).

import type { Region } from '../ir/function.js';

export interface Pass {
  /** The name `--passes` and the per-pass dumps use. */
  readonly name: string;
  /** One line for `--help` style listings. */
  readonly summary: string;
  run(region: Region): void;
}
