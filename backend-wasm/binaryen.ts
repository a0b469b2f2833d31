//! The `Module` of `module.ts` as a thin typed wrapper over Binaryen.js (`--emitter
//! binaryen`), and Binaryen's printer and validator for modules built by `encode.ts`.
//! Importing this file loads Binaryen (about a second).

import binaryen from 'binaryen';
import { IMPORT_MEMORY, IMPORT_MODULE, IMPORT_TABLE } from '../layout/layout.js';
import type { Type } from '../ir/types.js';
import { f32 as F32, f64 as F64, i32 as I32, i64 as I64, type Module as ModuleApi, none as NONE, registerBinaryen, type WasmType } from './module.js';

/** A Binaryen expression. */
type Expr = number;

const i32 = binaryen.i32 as number;
const i64 = binaryen.i64 as number;
const f32 = binaryen.f32 as number;
const f64 = binaryen.f64 as number;
const none = binaryen.none as number;

/** Binaryen's type for a type code of `module.ts`. */
function bt(t: WasmType): number {
  switch (t) {
    case I32: return i32;
    case I64: return i64;
    case F32: return f32;
    case F64: return f64;
    case NONE: return none;
    default: throw new Error(`unknown wasm type 0x${t.toString(16)}`);
  }
}

/** What V8 in Node 20 accepts: `Features.All` adds proposals it rejects as "unknown import kind". */
export const FEATURES = binaryen.Features.Atomics | binaryen.Features.MutableGlobals | binaryen.Features.TailCall |
  binaryen.Features.BulkMemory | binaryen.Features.SignExt | binaryen.Features.NontrappingFPToInt |
  binaryen.Features.ReferenceTypes;

/** Internal names of the imported memory and table. */
const MEMORY = '0';
const TABLE = '0';

function tuple(types: readonly WasmType[]): number {
  return binaryen.createType(types.map(bt));
}

/** Wasm text of a binary module. */
export function binaryenText(bytes: Uint8Array): string {
  const m = (binaryen.readBinary as (data: Uint8Array, features?: number) => binaryen.Module)(bytes, FEATURES);
  try {
    return m.emitText();
  } finally {
    m.dispose();
  }
}

/** Whether Binaryen accepts a binary module (its messages go to stderr). */
export function binaryenValidate(bytes: Uint8Array): boolean {
  const m = (binaryen.readBinary as (data: Uint8Array, features?: number) => binaryen.Module)(bytes, FEATURES);
  try {
    return m.validate() !== 0;
  } finally {
    m.dispose();
  }
}

type IntOps = binaryen.Module['i32'] | binaryen.Module['i64'];
type FloatOps = binaryen.Module['f32'] | binaryen.Module['f64'];

/** One module under construction in Binaryen. Expressions are Binaryen's numbers. */
class BinaryenModule {
  readonly raw: binaryen.Module;

  constructor() {
    const m = new binaryen.Module();
    m.setFeatures(FEATURES);
    // Declaring the memory first and then turning it into an import is how Binaryen.js
    // spells an imported shared memory.
    m.setMemory(65535, 65535, null, [], true);
    m.addMemoryImport(MEMORY, IMPORT_MODULE, IMPORT_MEMORY, true);
    m.addTableImport(TABLE, IMPORT_MODULE, IMPORT_TABLE);
    this.raw = m;
  }

  private int(t: Type): IntOps {
    return t === 'i32' ? this.raw.i32 : this.raw.i64;
  }

  private float(t: Type): FloatOps {
    return t === 'f32' ? this.raw.f32 : this.raw.f64;
  }

  // ---- constants ----

  /** `i32.const` */
  i32(v: number): Expr { return this.raw.i32.const(v | 0); }
  /** `i64.const` (any bigint, wrapped to 64 bits) */
  i64(v: bigint): Expr { return this.raw.i64.const(BigInt.asIntN(64, v) as unknown as number); }
  /** An integer constant of type t (wrapped to its width). */
  iconst(t: Type, v: bigint): Expr { return t === 'i32' ? this.i32(Number(BigInt.asIntN(32, v))) : this.i64(v); }
  /** `f32.const` / `f64.const` from raw IEEE bits, so that NaN payloads survive. */
  fconstBits(t: Type, bits: bigint): Expr {
    return t === 'f32'
      ? this.raw.f32.const_bits(Number(BigInt.asIntN(32, bits)))
      : this.raw.f64.const_bits(BigInt.asIntN(64, bits) as unknown as number);
  }

  // ---- locals ----

  /** `local.get` */
  get(index: number, type: WasmType): Expr { return this.raw.local.get(index, bt(type)); }
  /** `local.set` */
  set(index: number, value: Expr): Expr { return this.raw.local.set(index, value); }

  // ---- integer arithmetic (t = i32 | i64) ----

  /** `add` */ add(t: Type, a: Expr, b: Expr): Expr { return this.int(t).add(a, b); }
  /** `sub` */ sub(t: Type, a: Expr, b: Expr): Expr { return this.int(t).sub(a, b); }
  /** `mul` */ mul(t: Type, a: Expr, b: Expr): Expr { return this.int(t).mul(a, b); }
  /** `div_s` (traps on 0 and MIN / -1) */ divS(t: Type, a: Expr, b: Expr): Expr { return this.int(t).div_s(a, b); }
  /** `div_u` (traps on 0) */ divU(t: Type, a: Expr, b: Expr): Expr { return this.int(t).div_u(a, b); }
  /** `rem_s` (traps on 0) */ remS(t: Type, a: Expr, b: Expr): Expr { return this.int(t).rem_s(a, b); }
  /** `rem_u` (traps on 0) */ remU(t: Type, a: Expr, b: Expr): Expr { return this.int(t).rem_u(a, b); }
  /** `and` */ and(t: Type, a: Expr, b: Expr): Expr { return this.int(t).and(a, b); }
  /** `or` */ or(t: Type, a: Expr, b: Expr): Expr { return this.int(t).or(a, b); }
  /** `xor` */ xor(t: Type, a: Expr, b: Expr): Expr { return this.int(t).xor(a, b); }
  /** `shl` (amount modulo the width) */ shl(t: Type, a: Expr, b: Expr): Expr { return this.int(t).shl(a, b); }
  /** `shr_s` */ shrS(t: Type, a: Expr, b: Expr): Expr { return this.int(t).shr_s(a, b); }
  /** `shr_u` */ shrU(t: Type, a: Expr, b: Expr): Expr { return this.int(t).shr_u(a, b); }
  /** `eqz` */ eqz(t: Type, a: Expr): Expr { return this.int(t).eqz(a); }
  /** `eq` */ eq(t: Type, a: Expr, b: Expr): Expr { return this.int(t).eq(a, b); }
  /** `ne` */ ne(t: Type, a: Expr, b: Expr): Expr { return this.int(t).ne(a, b); }
  /** `lt_s` */ ltS(t: Type, a: Expr, b: Expr): Expr { return this.int(t).lt_s(a, b); }
  /** `lt_u` */ ltU(t: Type, a: Expr, b: Expr): Expr { return this.int(t).lt_u(a, b); }
  /** `le_s` */ leS(t: Type, a: Expr, b: Expr): Expr { return this.int(t).le_s(a, b); }
  /** `le_u` */ leU(t: Type, a: Expr, b: Expr): Expr { return this.int(t).le_u(a, b); }
  /** `gt_s` */ gtS(t: Type, a: Expr, b: Expr): Expr { return this.int(t).gt_s(a, b); }
  /** `gt_u` */ gtU(t: Type, a: Expr, b: Expr): Expr { return this.int(t).gt_u(a, b); }
  /** `ge_s` */ geS(t: Type, a: Expr, b: Expr): Expr { return this.int(t).ge_s(a, b); }
  /** `ge_u` */ geU(t: Type, a: Expr, b: Expr): Expr { return this.int(t).ge_u(a, b); }
  /** `extend8_s` */ extend8S(t: Type, a: Expr): Expr { return this.int(t).extend8_s(a); }
  /** `extend16_s` */ extend16S(t: Type, a: Expr): Expr { return this.int(t).extend16_s(a); }
  /** `i64.extend32_s` */ extend32S(a: Expr): Expr { return this.raw.i64.extend32_s(a); }
  /** `i32.wrap_i64` */ wrap(a: Expr): Expr { return this.raw.i32.wrap(a); }
  /** `i64.extend_i32_s` */ extendS(a: Expr): Expr { return this.raw.i64.extend_s(a); }
  /** `i64.extend_i32_u` */ extendU(a: Expr): Expr { return this.raw.i64.extend_u(a); }

  // ---- floating point (t = f32 | f64) ----

  /** `fadd` */ fadd(t: Type, a: Expr, b: Expr): Expr { return this.float(t).add(a, b); }
  /** `fsub` */ fsub(t: Type, a: Expr, b: Expr): Expr { return this.float(t).sub(a, b); }
  /** `fmul` */ fmul(t: Type, a: Expr, b: Expr): Expr { return this.float(t).mul(a, b); }
  /** `fdiv` */ fdiv(t: Type, a: Expr, b: Expr): Expr { return this.float(t).div(a, b); }
  /** `sqrt` */ fsqrt(t: Type, a: Expr): Expr { return this.float(t).sqrt(a); }
  /** `min` (NaN if either is NaN) */ fmin(t: Type, a: Expr, b: Expr): Expr { return this.float(t).min(a, b); }
  /** `max` (NaN if either is NaN) */ fmax(t: Type, a: Expr, b: Expr): Expr { return this.float(t).max(a, b); }
  /** `neg` (bitwise) */ fneg(t: Type, a: Expr): Expr { return this.float(t).neg(a); }
  /** `abs` (bitwise) */ fabs(t: Type, a: Expr): Expr { return this.float(t).abs(a); }
  /** `copysign` (bitwise) */ fcopysign(t: Type, a: Expr, b: Expr): Expr { return this.float(t).copysign(a, b); }
  /** `nearest` (to an integer, ties to even) */ fnearest(t: Type, a: Expr): Expr { return this.float(t).nearest(a); }
  /** `trunc` (to an integer, toward zero) */ ftrunc(t: Type, a: Expr): Expr { return this.float(t).trunc(a); }
  /** `floor` */ ffloor(t: Type, a: Expr): Expr { return this.float(t).floor(a); }
  /** `ceil` */ fceil(t: Type, a: Expr): Expr { return this.float(t).ceil(a); }
  /** `feq` */ feq(t: Type, a: Expr, b: Expr): Expr { return this.float(t).eq(a, b); }
  /** `fne` */ fne(t: Type, a: Expr, b: Expr): Expr { return this.float(t).ne(a, b); }
  /** `flt` */ flt(t: Type, a: Expr, b: Expr): Expr { return this.float(t).lt(a, b); }
  /** `fle` */ fle(t: Type, a: Expr, b: Expr): Expr { return this.float(t).le(a, b); }
  /** `fgt` */ fgt(t: Type, a: Expr, b: Expr): Expr { return this.float(t).gt(a, b); }
  /** `fge` */ fge(t: Type, a: Expr, b: Expr): Expr { return this.float(t).ge(a, b); }
  /** `trunc_sat_f*_s` to the integer type `to` */
  truncSatS(to: Type, from: Type, a: Expr): Expr {
    const ops = to === 'i32' ? this.raw.i32.trunc_s_sat : this.raw.i64.trunc_s_sat;
    return from === 'f32' ? ops.f32(a) : ops.f64(a);
  }
  /** `trunc_sat_f*_u` to the integer type `to` */
  truncSatU(to: Type, from: Type, a: Expr): Expr {
    const ops = to === 'i32' ? this.raw.i32.trunc_u_sat : this.raw.i64.trunc_u_sat;
    return from === 'f32' ? ops.f32(a) : ops.f64(a);
  }
  /** `convert_i*_s` to the float type `to` */
  convertS(to: Type, from: Type, a: Expr): Expr {
    const ops = this.float(to).convert_s;
    return from === 'i32' ? ops.i32(a) : ops.i64(a);
  }
  /** `convert_i*_u` to the float type `to` */
  convertU(to: Type, from: Type, a: Expr): Expr {
    const ops = this.float(to).convert_u;
    return from === 'i32' ? ops.i32(a) : ops.i64(a);
  }
  /** `f64.promote_f32` */ promote(a: Expr): Expr { return this.raw.f64.promote(a); }
  /** `f32.demote_f64` */ demote(a: Expr): Expr { return this.raw.f32.demote(a); }
  /** `reinterpret` to type `to` (same width, other class) */
  reinterpret(to: Type, a: Expr): Expr {
    switch (to) {
      case 'i32': return this.raw.i32.reinterpret(a);
      case 'i64': return this.raw.i64.reinterpret(a);
      case 'f32': return this.raw.f32.reinterpret(a);
      case 'f64': return this.raw.f64.reinterpret(a);
    }
  }

  // ---- memory (the one shared memory; `offset` is the memarg offset) ----

  /** Load `size` bytes into a value of type t, sign- or zero-extending integers. */
  load(t: Type, size: number, signed: boolean, ptr: Expr, offset = 0): Expr {
    const m = this.raw;
    switch (t) {
      case 'f32': return m.f32.load(offset, 4, ptr);
      case 'f64': return m.f64.load(offset, 8, ptr);
      case 'i32':
        if (size === 1) return signed ? m.i32.load8_s(offset, 1, ptr) : m.i32.load8_u(offset, 1, ptr);
        if (size === 2) return signed ? m.i32.load16_s(offset, 2, ptr) : m.i32.load16_u(offset, 2, ptr);
        return m.i32.load(offset, 4, ptr);
      case 'i64':
        if (size === 1) return signed ? m.i64.load8_s(offset, 1, ptr) : m.i64.load8_u(offset, 1, ptr);
        if (size === 2) return signed ? m.i64.load16_s(offset, 2, ptr) : m.i64.load16_u(offset, 2, ptr);
        if (size === 4) return signed ? m.i64.load32_s(offset, 4, ptr) : m.i64.load32_u(offset, 4, ptr);
        return m.i64.load(offset, 8, ptr);
    }
  }

  /** Store the low `size` bytes of a value of type t. */
  store(t: Type, size: number, ptr: Expr, value: Expr, offset = 0): Expr {
    const m = this.raw;
    switch (t) {
      case 'f32': return m.f32.store(offset, 4, ptr, value);
      case 'f64': return m.f64.store(offset, 8, ptr, value);
      case 'i32':
        if (size === 1) return m.i32.store8(offset, 1, ptr, value);
        if (size === 2) return m.i32.store16(offset, 2, ptr, value);
        return m.i32.store(offset, 4, ptr, value);
      case 'i64':
        if (size === 1) return m.i64.store8(offset, 1, ptr, value);
        if (size === 2) return m.i64.store16(offset, 2, ptr, value);
        if (size === 4) return m.i64.store32(offset, 4, ptr, value);
        return m.i64.store(offset, 8, ptr, value);
    }
  }

  /** `i32.atomic.load`: a load no compiler may hoist out of a loop (the interrupt word). */
  atomicLoadI32(offset: number): Expr { return this.raw.i32.atomic.load(offset, this.i32(0)); }

  // ---- control ----

  /** `block` (unnamed unless `label`), result type `type` (none by default). */
  block(children: readonly Expr[], type: WasmType = NONE, label: string | null = null): Expr {
    return this.raw.block(label, children as number[], bt(type));
  }
  /** `if` */ if(cond: Expr, then: Expr, otherwise?: Expr): Expr { return this.raw.if(cond, then, otherwise); }
  /** `select` (both operands evaluated) */ select(cond: Expr, a: Expr, b: Expr): Expr { return this.raw.select(cond, a, b); }
  /** `drop` */ drop(a: Expr): Expr { return this.raw.drop(a); }
  /** `nop` */ nop(): Expr { return this.raw.nop(); }
  /** `unreachable` */ unreachable(): Expr { return this.raw.unreachable(); }
  /** `return` */ return(): Expr { return this.raw.return(); }
  /** `loop` with a label (a `br` to it continues the loop) */
  loop(label: string, body: Expr): Expr { return this.raw.loop(label, body); }
  /** `br_table`: to labels[index], or to the default when out of range */
  brTable(labels: readonly string[], otherwise: string, index: Expr): Expr {
    return this.raw.switch(labels as string[], otherwise, index);
  }
  /** `br` to an enclosing block's label */ br(label: string): Expr { return this.raw.br(label); }
  /** `br_if` */ brIf(label: string, cond: Expr): Expr { return this.raw.br_if(label, cond); }
  /** `call` of a function of this module or an import. */
  call(name: string, args: readonly Expr[], result: WasmType): Expr { return this.raw.call(name, args as number[], bt(result)); }
  /** `return_call_indirect` of a () -> () function through the shared table. */
  returnCallIndirect(slot: Expr): Expr { return this.raw.return_call_indirect(TABLE, slot, [], none, none); }

  // ---- module level ----

  /** Imports `external` from IMPORT_MODULE as the function `internal`. */
  importFunction(internal: string, external: string, params: readonly WasmType[], result: WasmType): void {
    this.raw.addFunctionImport(internal, IMPORT_MODULE, external, tuple(params), bt(result));
  }

  addFunction(name: string, params: readonly WasmType[], result: WasmType, locals: readonly WasmType[], body: Expr): void {
    this.raw.addFunction(name, tuple(params), bt(result), locals.map(bt), body);
  }

  exportFunction(name: string, as: string): void {
    this.raw.addFunctionExport(name, as);
  }

  validate(): boolean { return this.raw.validate() !== 0; }
  emitBinary(): Uint8Array<ArrayBuffer> { return this.raw.emitBinary() as Uint8Array<ArrayBuffer>; }
  emitText(): string { return this.raw.emitText(); }
  dispose(): void { this.raw.dispose(); }
}

/** A `Module` built by Binaryen (its expressions are Binaryen's numbers behind the
 * opaque `Expr` of module.ts). */
export function createBinaryenModule(): ModuleApi {
  return new BinaryenModule() as unknown as ModuleApi;
}

registerBinaryen({ create: createBinaryenModule, text: binaryenText, validate: binaryenValidate });
