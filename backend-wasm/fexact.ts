//! `fexact` (a RISC-V F/D operation with its rounding mode and exception flags) as wasm
//! in the region function.
//!
//! Under round-to-nearest-even (a static rne, or dyn while frm is 0) it is the wasm
//! operation itself, which rounds the same way, plus the flags:
//!   r = a op b
//!   if (r and the operands are ordinary)      ; finite, normal-range, no over/underflow
//!     if (!(fflags & NX)) fflags |= inexact(a, b, r)
//!   else r, fflags = the helper's             ; NaN, infinities, tiny or huge values
//! On ordinary values NX is the only flag an operation can raise, and once NX is set its
//! test is skipped until fflags is written. Inexactness is found exactly as the
//! interpreter's fp.ts finds it (`fexact-outline.ts`); f32 operations are exact in f64 or
//! nearly so. Other rounding modes go to the helper (HELPER_FPU, which runs the
//! interpreter's `execFp`), except conversions to integers, which wasm rounds every way
//! but RMM, and operations that are exact under any mode.

import type { Inst } from '../ir/function.js';
import type { RoundingMode } from '../ir/immediates.js';
import { roundingModeBits } from '../ir/immediates.js';
import type { FpOp } from '../ir/opcodes.js';
import type { Type } from '../ir/types.js';
import { FPU_FLAGS_OFF } from '../layout/layout.js';
import {
  BIG, fma32Function, fma64Function, type Fmt, type Get, HUGE, inexactProduct, inexactQuotient, inexactRoot, inexactSum,
  inexactSum32, MIN32, NX, Scope, slowFunction, SQRT_HIGH, SQRT_LOW, TINY, TWO63, TWO64, type Var,
} from './fexact-outline.js';
import type { Lowering } from './lower.js';
import { type Expr, i32, type WasmType, wasmType } from './module.js';
import { isFloat } from '../ir/types.js';

/** fflags bit of the invalid-operation exception. */
const NV = 16;

/** The float format of an `fexact`. */
function formatOf(inst: Inst, argType: Type): 'f32' | 'f64' {
  const t = isFloat(inst.type!) ? inst.type! : argType;
  return t === 'f32' ? 'f32' : 'f64';
}

/** The code of one `fexact` in the region function. */
class Fexact extends Scope {
  readonly fop: FpOp;
  readonly rt: Type;
  readonly format: Fmt;
  /** The operands, each in a local. */
  readonly args: Get[];
  readonly argTypes: Type[];
  /** The result. */
  readonly r: Var;
  private used = new Map<WasmType, number>();

  constructor(readonly L: Lowering, readonly inst: Inst) {
    super(L.m);
    this.fop = inst.fop!;
    this.rt = inst.type!;
    this.argTypes = inst.args.map((a) => L.typeOf(a));
    this.args = inst.args.map((a) => L.getL(a));
    this.format = formatOf(inst, this.argTypes[0]);
    this.r = this.var(this.rt);
  }

  /** A temporary from the region's pool, not shared with anything else of this expansion. */
  var(t: Type): Var {
    const w = wasmType(t);
    const k = this.used.get(w) ?? 0;
    this.used.set(w, k + 1);
    const l = this.L.fp.temp(w, k);
    return { get: () => this.m.get(l, w), set: (e) => this.m.set(l, e) };
  }

  fflags(): Expr {
    return this.m.get(this.L.fp.fflags, i32);
  }

  /** fflags |= bits. */
  raise(bits: Expr): Expr {
    return this.m.set(this.L.fp.fflags, this.m.or('i32', this.fflags(), bits));
  }

  /** fflags |= the flags an out-of-line function left at FPU_FLAGS_OFF. */
  raiseLeft(): Expr {
    return this.raise(this.m.load('i32', 4, false, this.m.i32(0), FPU_FLAGS_OFF));
  }

  /** if (cond) fflags |= bit */
  raiseIf(cond: Expr, bit: number): Expr {
    return this.raise(bit === NX ? cond : this.m.select(cond, this.m.i32(bit), this.m.i32(0)));
  }

  /** fflags |= NX if `inexact` (1 or 0), computed only while NX is clear: once set, it
   * stays set until fflags is written. */
  inexactIf(inexact: Expr): Expr {
    const m = this.m;
    return m.if(m.eqz('i32', m.and('i32', this.fflags(), m.i32(NX))), this.raise(inexact));
  }

  /** The helper computes r and the flags. With a run-time mode it may report SIGILL (a
   * reserved frm), which leaves through the function's fault exit before anything changes. */
  slow(rm: Expr, mayFault: boolean): Expr {
    const m = this.m, L = this.L;
    const call = m.call(slowFunction(L, this.fop, this.format, this.argTypes, this.rt),
      [...this.args.map((a) => a()), rm, m.i64(BigInt(this.inst.pc!))], wasmType(this.rt));
    return m.block([this.r.set(call), ...(mayFault ? [L.faultCheck()] : []), this.raiseLeft()]);
  }

  slowStatic(rm: RoundingMode): Expr {
    return this.slow(this.m.i32(roundingModeBits(rm)), false);
  }

  /** The whole expansion, as an expression of the result type. */
  build(): Expr {
    const m = this.m;
    const rm = this.inst.rm!;
    let code: Expr[];
    if (rm !== 'dyn') code = this.native(rm) ?? [this.slowStatic(rm)];
    else {
      const frm = () => m.get(this.L.fp.frm, i32);
      const slow = this.slow(frm(), true);
      code = exactUnderAnyMode(this.fop, this.format)
        ? [m.if(m.leU('i32', frm(), m.i32(4)), m.block(this.native('rne')!), slow)]
        : [m.if(m.eqz('i32', frm()), m.block(this.native('rne')!), slow)];
    }
    return m.block([...code, this.r.get()], wasmType(this.rt));
  }

  /** The inline code under a static mode, or undefined to leave it all to the helper. */
  native(rm: RoundingMode): Expr[] | undefined {
    const t = this.format;
    switch (this.fop) {
      case 'add': case 'sub': return rm === 'rne' ? (t === 'f64' ? this.addSub64() : this.addSub32()) : undefined;
      case 'mul': return rm === 'rne' ? (t === 'f64' ? this.mul64() : this.mul32()) : undefined;
      case 'div': return rm === 'rne' ? (t === 'f64' ? this.div64() : this.div32()) : undefined;
      case 'sqrt': return rm === 'rne' ? (t === 'f64' ? this.sqrt64() : this.sqrt32()) : undefined;
      case 'madd': case 'msub': case 'nmsub': case 'nmadd': return rm === 'rne' ? this.fma() : undefined;
      case 'to_w': case 'to_wu': case 'to_l': case 'to_lu': return this.toInt(rm);
      case 'from_w': case 'from_wu': case 'from_l': case 'from_lu': return this.fromInt(rm);
      case 'demote': return rm === 'rne' ? this.demote() : undefined;
      case 'promote': return this.promoteExact();
    }
  }

  // ---- f64 ----

  /** A sum is never tiny and inexact (subnormal sums are exact), so a finite result can
   * only be inexact. */
  addSub64(): Expr[] {
    const m = this.m;
    const [a, b0] = this.args;
    const b: Get = this.fop === 'sub' ? () => m.fneg('f64', b0()) : b0;
    const r = this.r.get;
    return [
      this.r.set(this.fop === 'sub' ? m.fsub('f64', a(), b0()) : m.fadd('f64', a(), b0())),
      m.if(m.feq('f64', m.fsub('f64', r(), r()), this.c('f64', 0)),
        this.inexactIf(m.call(inexactSum(this.L), [a(), b(), r()], i32)),
        this.slowStatic('rne')),
    ];
  }

  /** Outside TINY < |r| < HUGE: a zero from a zero operand is exact, the rest is rare. */
  mul64(): Expr[] {
    const m = this.m;
    const [a, b] = this.args;
    const r = this.r.get;
    const zero = m.and('i32', m.feq('f64', r(), this.c('f64', 0)),
      m.or('i32', m.feq('f64', a(), this.c('f64', 0)), m.feq('f64', b(), this.c('f64', 0))));
    return [
      this.r.set(m.fmul('f64', a(), b())),
      m.if(this.between('f64', TINY, this.abs('f64', r), HUGE),
        this.inexactIf(m.call(inexactProduct(this.L), [a(), b(), r()], i32)),
        m.if(zero, m.nop(), this.slowStatic('rne'))),
    ];
  }

  div64(): Expr[] {
    const m = this.m;
    const [a, b] = this.args;
    const r = this.r.get;
    const zero = m.and('i32', m.feq('f64', r(), this.c('f64', 0)),
      m.or('i32', m.feq('f64', a(), this.c('f64', 0)), m.feq('f64', m.fabs('f64', b()), this.c('f64', Infinity))));
    return [
      this.r.set(m.fdiv('f64', a(), b())),
      m.if(this.between('f64', TINY, this.abs('f64', r), BIG),
        this.inexactIf(m.call(inexactQuotient(this.L), [a(), b(), r()], i32)),
        m.if(zero, m.nop(), this.slowStatic('rne'))),
    ];
  }

  sqrt64(): Expr[] {
    const m = this.m;
    const [a] = this.args;
    const ordinary = m.and('i32', m.fge('f64', a(), this.c('f64', SQRT_LOW)), m.fle('f64', a(), this.c('f64', SQRT_HIGH)));
    return [
      this.r.set(m.fsqrt('f64', a())),
      m.if(ordinary,
        this.inexactIf(m.call(inexactRoot(this.L), [a(), this.r.get()], i32)),
        m.if(m.feq('f64', a(), this.c('f64', 0)), m.nop(), this.slowStatic('rne'))),
    ];
  }

  /** Negations folded into the operands, as fp.ts does: fnmadd(a, b, c) = fmadd(-a, b, -c). */
  fma(): Expr[] {
    const m = this.m, t = this.format;
    const negProd = this.fop === 'nmsub' || this.fop === 'nmadd';
    const negC = this.fop === 'msub' || this.fop === 'nmadd';
    const [a, b, c] = this.args;
    const fn = t === 'f64' ? fma64Function(this.L) : fma32Function(this.L);
    const call = m.call(fn, [negProd ? m.fneg(t, a()) : a(), b(), negC ? m.fneg(t, c()) : c()], wasmType(t));
    return [this.r.set(call), this.raiseLeft()];
  }

  // ---- f32, computed in f64 where it is exact ----

  addSub32(): Expr[] {
    const m = this.m;
    const [a, b] = this.args;
    const y = this.fop === 'sub' ? m.fneg('f64', m.promote(b())) : m.promote(b());
    const r = this.r.get;
    return [
      this.r.set(this.fop === 'sub' ? m.fsub('f32', a(), b()) : m.fadd('f32', a(), b())),
      m.if(m.feq('f32', m.fsub('f32', r(), r()), this.c('f32', 0)),
        this.inexactIf(m.call(inexactSum32(this.L), [m.promote(a()), y, r()], i32)),
        this.slowStatic('rne')),
    ];
  }

  /** The product of two f32 is exact in f64. */
  mul32(): Expr[] {
    const m = this.m;
    const [a, b] = this.args;
    const [setP, p] = this.let('f64', m.fmul('f64', m.promote(a()), m.promote(b())));
    const r = this.r.get;
    return [
      this.r.set(m.fmul('f32', a(), b())),
      setP,
      this.normal32(r,
        this.inexactIf(m.fne('f64', m.promote(r()), p())),
        m.if(m.fne('f64', m.promote(r()), p()), this.slowStatic('rne'))),
    ];
  }

  /** a - r*b is exact in f64 (r*b has 48 bits and is close to a). */
  div32(): Expr[] {
    const m = this.m;
    const [a, b] = this.args;
    const r = this.r.get;
    const remainder = m.fsub('f64', m.promote(a()), m.fmul('f64', m.promote(r()), m.promote(b())));
    const zero = m.and('i32', m.feq('f32', r(), this.c('f32', 0)),
      m.or('i32', m.feq('f32', a(), this.c('f32', 0)), m.feq('f32', m.fabs('f32', b()), this.c('f32', Infinity))));
    return [
      this.r.set(m.fdiv('f32', a(), b())),
      this.normal32(r, this.inexactIf(m.fne('f64', remainder, this.c('f64', 0))), m.if(zero, m.nop(), this.slowStatic('rne'))),
    ];
  }

  sqrt32(): Expr[] {
    const m = this.m;
    const [a] = this.args;
    const r = this.r.get;
    const remainder = m.fsub('f64', m.promote(a()), m.fmul('f64', m.promote(r()), m.promote(r())));
    return [
      this.r.set(m.fsqrt('f32', a())),
      m.if(this.between('f32', 0, a, Infinity),
        this.inexactIf(m.fne('f64', remainder, this.c('f64', 0))),
        m.if(m.feq('f32', a(), this.c('f32', 0)), m.nop(), this.slowStatic('rne'))),
    ];
  }

  /** if (the f32 result is normal and finite) then else otherwise */
  normal32(r: Get, then: Expr, otherwise: Expr): Expr {
    return this.m.if(this.between('f32', MIN32, this.abs('f32', r), Infinity), then, otherwise);
  }

  demote(): Expr[] {
    const m = this.m;
    const [a] = this.args;
    const r = this.r.get;
    const inexact = () => m.fne('f64', m.promote(r()), a());
    return [
      this.r.set(m.demote(a())),
      this.normal32(r, this.inexactIf(inexact()), m.if(inexact(), this.slowStatic('rne'))),
    ];
  }

  /** Exact; a NaN becomes the canonical NaN, and NV if it was signaling. */
  promoteExact(): Expr[] {
    const m = this.m;
    const [a] = this.args;
    const isNaN = m.fne('f32', a(), a());
    const signaling = m.and('i32', m.fne('f32', a(), a()), m.eqz('i32', m.and('i32', m.reinterpret('i32', a()), m.i32(0x400000))));
    return [
      this.r.set(m.select(isNaN, m.fconstBits('f64', 0x7ff8000000000000n), m.promote(a()))),
      this.raiseIf(signaling, NV),
    ];
  }

  // ---- conversions with integers ----

  /** fcvt to an integer (fp.ts's toInt): round to an integral float under rm, then
   * convert if in range (NX if the rounding changed the value), else saturate with NV. */
  toInt(rm: RoundingMode): Expr[] | undefined {
    const m = this.m;
    const round = { rne: m.fnearest, rtz: m.ftrunc, rdn: m.ffloor, rup: m.fceil }[rm as 'rne'];
    if (round === undefined) return undefined;
    const x: Get = this.argTypes[0] === 'f32' ? () => m.promote(this.args[0]()) : this.args[0];
    const [setR, rr] = this.let('f64', round.call(m, 'f64', x()));
    const c = (v: number) => this.c('f64', v);
    const atLeast = (lo: number) => m.fge('f64', rr(), c(lo));
    // the range of rr that converts, the conversion, and what saturation gives below and above
    let inRange: Expr, convert: Expr, ifNegative: bigint, ifPositive: bigint;
    switch (this.fop) {
      case 'to_w':
        inRange = m.and('i32', atLeast(-2147483648), m.fle('f64', rr(), c(2147483647)));
        [convert, ifNegative, ifPositive] = [m.extendS(m.truncSatS('i32', 'f64', rr())), -(1n << 31n), (1n << 31n) - 1n];
        break;
      case 'to_wu': // the 32-bit result is sign-extended
        inRange = m.and('i32', atLeast(0), m.fle('f64', rr(), c(4294967295)));
        [convert, ifNegative, ifPositive] = [m.extendS(m.truncSatU('i32', 'f64', rr())), 0n, -1n];
        break;
      case 'to_l':
        inRange = m.and('i32', atLeast(-TWO63), m.flt('f64', rr(), c(TWO63)));
        [convert, ifNegative, ifPositive] = [m.truncSatS('i64', 'f64', rr()), -(1n << 63n), (1n << 63n) - 1n];
        break;
      default:
        inRange = m.and('i32', atLeast(0), m.flt('f64', rr(), c(TWO64)));
        [convert, ifNegative, ifPositive] = [m.truncSatU('i64', 'f64', rr()), 0n, -1n];
    }
    return [
      setR,
      m.if(inRange,
        m.block([this.r.set(convert), this.raiseIf(m.fne('f64', rr(), x()), NX)]),
        m.block([this.r.set(m.select(m.flt('f64', x(), c(0)), m.i64(ifNegative), m.i64(ifPositive))), this.raise(m.i32(NV))])),
    ];
  }

  /** fcvt from an integer: wasm rounds to nearest-even; the conversion back finds out
   * whether that was exact. An inexact one under another static mode is the helper's. */
  fromInt(rm: RoundingMode): Expr[] {
    const m = this.m;
    const t = this.format;
    const [x] = this.args;
    const word = this.fop === 'from_w' || this.fop === 'from_wu';
    const signed = this.fop === 'from_w' || this.fop === 'from_l';
    const source = () => (word ? m.wrap(x()) : x());
    const from: Type = word ? 'i32' : 'i64';
    const convert = (to: Type) => (signed ? m.convertS(to, from, source()) : m.convertU(to, from, source()));
    const r = this.r.get;
    if (word && t === 'f64') return [this.r.set(convert('f64'))]; // exact
    let inexact: Expr;
    if (word) inexact = m.fne('f64', m.promote(r()), convert('f64'));
    else {
      const y = t === 'f32' ? () => m.promote(r()) : r;
      const back = signed ? m.truncSatS('i64', 'f64', y()) : m.truncSatU('i64', 'f64', y());
      // 2^63 (2^64 unsigned) is no integer of the source type: always inexact
      inexact = m.or('i32', m.fge('f64', y(), this.c('f64', signed ? TWO63 : TWO64)), m.ne('i64', back, x()));
    }
    const onInexact = rm === 'rne' ? this.raise(m.i32(NX)) : this.slowStatic(rm);
    return [this.r.set(convert(t)), m.if(inexact, onInexact)];
  }
}

/** Whether the operation is exact, so that a static mode cannot matter (a dyn one still
 * must be valid). */
function exactUnderAnyMode(fop: FpOp, format: Fmt): boolean {
  return fop === 'promote' || (format === 'f64' && (fop === 'from_w' || fop === 'from_wu'));
}

export function lowerFexact(L: Lowering, inst: Inst): Expr {
  if (inst.pc === undefined) throw new Error(`fexact ${inst.fop} has no pc`);
  return new Fexact(L, inst).build();
}
