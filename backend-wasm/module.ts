//! The typed module builder the backend lowers to (in the manner of AssemblyScript's
//! `src/module.ts`): one method per wasm operation, polymorphic over the IR's types where
//! wasm has one opcode per width, so that `lower.ts`, `tlb.ts` and `structure.ts` never
//! see how modules are built. Two implementations:
//!  - `encode.ts`, the default: builds a small expression tree and writes the binary
//!    itself (tens of microseconds per region);
//!  - `binaryen.ts`: through Binaryen.js (`--emitter binaryen`), which costs about a
//!    second to load and a few milliseconds per region, but prints and validates.
//!
//! Every module imports the shared memory, the shared funcref table and its helpers from
//! IMPORT_MODULE, following the region calling convention of `layout/layout.ts`.

import type { Type } from '../ir/types.js';

/** An expression under construction (opaque: each implementation has its own). */
export interface Expr {
  readonly __expr: never;
}

/** A wasm value type, or `none`; the numbers are the binary format's type codes. */
export type WasmType = number;
export const i32: WasmType = 0x7f;
export const i64: WasmType = 0x7e;
export const f32: WasmType = 0x7d;
export const f64: WasmType = 0x7c;
export const none: WasmType = 0x40;

export function wasmType(t: Type): WasmType {
  switch (t) {
    case 'i32': return i32;
    case 'i64': return i64;
    case 'f32': return f32;
    case 'f64': return f64;
  }
}

/** Which implementation builds the modules. */
export type Emitter = 'direct' | 'binaryen';

export interface Module {
  // ---- constants ----
  /** `i32.const` */ i32(v: number): Expr;
  /** `i64.const` (wrapped to 64 bits) */ i64(v: bigint): Expr;
  /** An integer constant of type t (wrapped to its width). */ iconst(t: Type, v: bigint): Expr;
  /** `f32.const` / `f64.const` from raw IEEE bits, so that NaN payloads survive. */ fconstBits(t: Type, bits: bigint): Expr;

  // ---- locals ----
  /** `local.get` */ get(index: number, type: WasmType): Expr;
  /** `local.set` */ set(index: number, value: Expr): Expr;

  // ---- integer arithmetic and comparisons (t = i32 | i64) ----
  /** `add` */ add(t: Type, a: Expr, b: Expr): Expr;
  /** `sub` */ sub(t: Type, a: Expr, b: Expr): Expr;
  /** `mul` */ mul(t: Type, a: Expr, b: Expr): Expr;
  /** `div_s` (traps on 0 and MIN / -1) */ divS(t: Type, a: Expr, b: Expr): Expr;
  /** `div_u` (traps on 0) */ divU(t: Type, a: Expr, b: Expr): Expr;
  /** `rem_s` (traps on 0) */ remS(t: Type, a: Expr, b: Expr): Expr;
  /** `rem_u` (traps on 0) */ remU(t: Type, a: Expr, b: Expr): Expr;
  /** `and` */ and(t: Type, a: Expr, b: Expr): Expr;
  /** `or` */ or(t: Type, a: Expr, b: Expr): Expr;
  /** `xor` */ xor(t: Type, a: Expr, b: Expr): Expr;
  /** `shl` (amount modulo the width) */ shl(t: Type, a: Expr, b: Expr): Expr;
  /** `shr_s` */ shrS(t: Type, a: Expr, b: Expr): Expr;
  /** `shr_u` */ shrU(t: Type, a: Expr, b: Expr): Expr;
  /** `eqz` */ eqz(t: Type, a: Expr): Expr;
  /** `eq` */ eq(t: Type, a: Expr, b: Expr): Expr;
  /** `ne` */ ne(t: Type, a: Expr, b: Expr): Expr;
  /** `lt_s` */ ltS(t: Type, a: Expr, b: Expr): Expr;
  /** `lt_u` */ ltU(t: Type, a: Expr, b: Expr): Expr;
  /** `le_s` */ leS(t: Type, a: Expr, b: Expr): Expr;
  /** `le_u` */ leU(t: Type, a: Expr, b: Expr): Expr;
  /** `gt_s` */ gtS(t: Type, a: Expr, b: Expr): Expr;
  /** `gt_u` */ gtU(t: Type, a: Expr, b: Expr): Expr;
  /** `ge_s` */ geS(t: Type, a: Expr, b: Expr): Expr;
  /** `ge_u` */ geU(t: Type, a: Expr, b: Expr): Expr;
  /** `extend8_s` */ extend8S(t: Type, a: Expr): Expr;
  /** `extend16_s` */ extend16S(t: Type, a: Expr): Expr;
  /** `i64.extend32_s` */ extend32S(a: Expr): Expr;
  /** `i32.wrap_i64` */ wrap(a: Expr): Expr;
  /** `i64.extend_i32_s` */ extendS(a: Expr): Expr;
  /** `i64.extend_i32_u` */ extendU(a: Expr): Expr;

  // ---- floating point (t = f32 | f64) ----
  /** `add` */ fadd(t: Type, a: Expr, b: Expr): Expr;
  /** `sub` */ fsub(t: Type, a: Expr, b: Expr): Expr;
  /** `mul` */ fmul(t: Type, a: Expr, b: Expr): Expr;
  /** `div` */ fdiv(t: Type, a: Expr, b: Expr): Expr;
  /** `sqrt` */ fsqrt(t: Type, a: Expr): Expr;
  /** `min` (NaN if either is NaN) */ fmin(t: Type, a: Expr, b: Expr): Expr;
  /** `max` (NaN if either is NaN) */ fmax(t: Type, a: Expr, b: Expr): Expr;
  /** `neg` (bitwise) */ fneg(t: Type, a: Expr): Expr;
  /** `abs` (bitwise) */ fabs(t: Type, a: Expr): Expr;
  /** `copysign` (bitwise) */ fcopysign(t: Type, a: Expr, b: Expr): Expr;
  /** `nearest` (to an integer, ties to even) */ fnearest(t: Type, a: Expr): Expr;
  /** `trunc` (to an integer, toward zero) */ ftrunc(t: Type, a: Expr): Expr;
  /** `floor` (to an integer, downward) */ ffloor(t: Type, a: Expr): Expr;
  /** `ceil` (to an integer, upward) */ fceil(t: Type, a: Expr): Expr;
  /** `eq` */ feq(t: Type, a: Expr, b: Expr): Expr;
  /** `ne` */ fne(t: Type, a: Expr, b: Expr): Expr;
  /** `lt` */ flt(t: Type, a: Expr, b: Expr): Expr;
  /** `le` */ fle(t: Type, a: Expr, b: Expr): Expr;
  /** `gt` */ fgt(t: Type, a: Expr, b: Expr): Expr;
  /** `ge` */ fge(t: Type, a: Expr, b: Expr): Expr;
  /** `trunc_sat_f*_s` to the integer type `to` */ truncSatS(to: Type, from: Type, a: Expr): Expr;
  /** `trunc_sat_f*_u` to the integer type `to` */ truncSatU(to: Type, from: Type, a: Expr): Expr;
  /** `convert_i*_s` to the float type `to` */ convertS(to: Type, from: Type, a: Expr): Expr;
  /** `convert_i*_u` to the float type `to` */ convertU(to: Type, from: Type, a: Expr): Expr;
  /** `f64.promote_f32` */ promote(a: Expr): Expr;
  /** `f32.demote_f64` */ demote(a: Expr): Expr;
  /** `reinterpret` to type `to` (same width, other class) */ reinterpret(to: Type, a: Expr): Expr;

  // ---- memory (the one shared memory; `offset` is the memarg offset) ----
  /** Load `size` bytes into a value of type t, sign- or zero-extending integers. */
  load(t: Type, size: number, signed: boolean, ptr: Expr, offset?: number): Expr;
  /** Store the low `size` bytes of a value of type t. */
  store(t: Type, size: number, ptr: Expr, value: Expr, offset?: number): Expr;
  /** `i32.atomic.load` at a constant address: a load no compiler may hoist out of a loop. */
  atomicLoadI32(offset: number): Expr;

  // ---- control ----
  /** `block` with result type `type` (none by default), named `label` if given. */
  block(children: readonly Expr[], type?: WasmType, label?: string): Expr;
  /** `loop` (a `br` to its label continues it) */ loop(label: string, body: Expr): Expr;
  /** `if`; its type is the arms' */ if(cond: Expr, then: Expr, otherwise?: Expr): Expr;
  /** `select` (both operands evaluated) */ select(cond: Expr, a: Expr, b: Expr): Expr;
  /** `br` to an enclosing label */ br(label: string): Expr;
  /** `br_if` */ brIf(label: string, cond: Expr): Expr;
  /** `br_table`: to labels[index], or `otherwise` when out of range */
  brTable(labels: readonly string[], otherwise: string, index: Expr): Expr;
  /** `drop` */ drop(a: Expr): Expr;
  /** `nop` */ nop(): Expr;
  /** `return` */ return(): Expr;
  /** `call` of a function of this module or an import. */ call(name: string, args: readonly Expr[], result: WasmType): Expr;
  /** `return_call_indirect` of a () -> () function through the shared table. */ returnCallIndirect(slot: Expr): Expr;

  // ---- module level ----
  /** Imports `external` from IMPORT_MODULE as the function `internal`. */
  importFunction(internal: string, external: string, params: readonly WasmType[], result: WasmType): void;
  addFunction(name: string, params: readonly WasmType[], result: WasmType, locals: readonly WasmType[], body: Expr): void;
  exportFunction(name: string, as: string): void;
  /** The binary module. */
  emitBinary(): Uint8Array<ArrayBuffer>;
  /** The module as wasm text (needs Binaryen: see `emit.ts`). */
  emitText(): string;
  /** Whether the module is valid (needs Binaryen). */
  validate(): boolean;
  /** Frees what the implementation holds outside the JS heap. */
  dispose(): void;
}

/** What Binaryen adds once loaded (`loadBinaryen`): its module builder, printer and
 * validator. Kept here so that nothing loads Binaryen unless asked to. */
export interface BinaryenTools {
  create(): Module;
  text(bytes: Uint8Array): string;
  validate(bytes: Uint8Array): boolean;
}

let binaryenTools: BinaryenTools | undefined;

/** Called by `binaryen.ts` when it is loaded. */
export function registerBinaryen(tools: BinaryenTools): void {
  binaryenTools = tools;
}

/** Binaryen's tools, if it has been loaded. */
export function binaryenIfLoaded(): BinaryenTools | undefined {
  return binaryenTools;
}

/** Loads Binaryen (about a second) and returns its tools. */
export async function loadBinaryen(): Promise<BinaryenTools> {
  await import('./binaryen.js');
  return binaryenTools!;
}
