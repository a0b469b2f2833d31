//! The out-of-line part of `fexact` (see `fexact.ts`): wasm functions added to a region's
//! module once, on first use, for what runs rarely or is long: the call of the helper
//! (HELPER_FPU), the inexactness tests (which run only while NX is clear), and the fused
//! multiply-adds. Also the error-free transformations both parts build on, after the
//! interpreter's fp.ts: TwoSum for sums, Dekker's product with Veltkamp's split.

import { FPU_ARGS_OFF, FPU_FLAGS_OFF, FPU_RESULT_OFF, HELPER_FPU } from '../layout/layout.js';
import { FP_OP_NAMES, type FpOp } from '../ir/opcodes.js';
import type { Type } from '../ir/types.js';
import type { Lowering } from './lower.js';
import { type Expr, f32, f64, i32, i64, type Module, none, type WasmType, wasmType } from './module.js';

/** The helper's operation code: the FP_OPS index and the float format (the result's, or
 * the operand's for conversions to integers). `runtime/jit/fpu-helper.ts` decodes it. */
export function fpuCode(fop: FpOp, format: 'f32' | 'f64'): number {
  return FP_OP_NAMES.indexOf(fop) * 2 + (format === 'f64' ? 1 : 0);
}

export function decodeFpuCode(code: number): { fop: FpOp; format: 'f32' | 'f64' } | undefined {
  const fop = FP_OP_NAMES[code >> 1];
  return fop === undefined ? undefined : { fop, format: (code & 1) === 1 ? 'f64' : 'f32' };
}

const f64Bits = (x: number): bigint => { const v = new DataView(new ArrayBuffer(8)); v.setFloat64(0, x); return v.getBigUint64(0); };
const f32Bits = (x: number): bigint => { const v = new DataView(new ArrayBuffer(4)); v.setFloat32(0, x); return BigInt(v.getUint32(0)); };

// the ranges of fp.ts's fast paths (see there for why)
const MIN64 = 2 ** -1022;
export const MIN32 = 2 ** -126;
export const BIG = 2 ** 995;
export const TINY = 2 ** -968;
export const HUGE = 2 ** 1023;
export const SQRT_LOW = 2 ** -960;
export const SQRT_HIGH = 2 ** 1000;
const SPLIT = 134217729; // 2^27 + 1, Veltkamp's constant for binary64
export const TWO63 = 2 ** 63;
export const TWO64 = 2 ** 64;

export type Fmt = 'f32' | 'f64';
export type Get = () => Expr;

/** NX, the inexact flag, in fflags (and in FPU_FLAGS_OFF). */
export const NX = 1;

/** A local. */
export interface Var {
  get: Get;
  set(e: Expr): Expr;
}

/** Where generated code gets its temporaries and constants: the region function (a
 * pool shared by all expansions) or an out-of-line function (its own locals). */
export abstract class Scope {
  constructor(readonly m: Module) {}

  abstract var(t: Type): Var;

  /** Binds an expression to a new temporary: [its setter, its getter]. */
  let(t: Type, e: Expr): [Expr, Get] {
    const v = this.var(t);
    return [v.set(e), v.get];
  }

  c(t: Type, x: number): Expr {
    return this.m.fconstBits(t, t === 'f32' ? f32Bits(x) : f64Bits(x));
  }

  /** lo < x < hi, for x read twice. */
  between(t: Type, lo: number, x: Get, hi: number): Expr {
    const m = this.m;
    return m.and('i32', m.flt(t, this.c(t, lo), x()), m.flt(t, x(), this.c(t, hi)));
  }

  abs(t: Type, x: Get): Get {
    return () => this.m.fabs(t, x());
  }

  nonZero(x: Get): Expr {
    return this.m.fne('f64', x(), this.c('f64', 0));
  }

  /** The exact error of s = RN(x + y) (TwoSum), on f64. */
  sumErr(x: Get, y: Get, s: Get): [Expr[], Get] {
    const m = this.m;
    const [setBB, bb] = this.let('f64', m.fsub('f64', s(), x()));
    const [setE, e] = this.let('f64', m.fadd('f64', m.fsub('f64', x(), m.fsub('f64', s(), bb())), m.fsub('f64', y(), bb())));
    return [[setBB, setE], e];
  }

  /** The exact error of p = RN(x * y) (Dekker, with Veltkamp's split), if |x|, |y| < BIG
   * and |p| > TINY. */
  mulErr(x: Get, y: Get, p: Get): [Expr[], Get] {
    const m = this.m;
    const out: Expr[] = [];
    const split = (v: Get): [Get, Get] => {
      const [setT, tt] = this.let('f64', m.fmul('f64', this.c('f64', SPLIT), v()));
      const [setH, hi] = this.let('f64', m.fsub('f64', tt(), m.fsub('f64', tt(), v())));
      const [setL, lo] = this.let('f64', m.fsub('f64', v(), hi()));
      out.push(setT, setH, setL);
      return [hi, lo];
    };
    const [xh, xl] = split(x);
    const [yh, yl] = split(y);
    const mul = (a: Get, b: Get) => m.fmul('f64', a(), b());
    const e = m.fadd('f64', m.fadd('f64', m.fadd('f64', m.fsub('f64', mul(xh, yh), p()), mul(xh, yl)), mul(xl, yh)), mul(xl, yl));
    const [setE, err] = this.let('f64', e);
    out.push(setE);
    return [out, err];
  }
}

/** An out-of-line function under construction: parameters, then its own locals. */
class FunctionScope extends Scope {
  readonly locals: WasmType[] = [];

  constructor(m: Module, readonly params: readonly Type[]) {
    super(m);
  }

  param(i: number): Get {
    const w = wasmType(this.params[i]);
    return () => this.m.get(i, w);
  }

  var(t: Type): Var {
    const w = wasmType(t);
    const index = this.params.length + this.locals.length;
    this.locals.push(w);
    return { get: () => this.m.get(index, w), set: (e) => this.m.set(index, e) };
  }
}

/** Adds an out-of-line function to the region's module once; returns its name. */
function outOfLine(L: Lowering, name: string, params: readonly Type[], result: Type,
  body: (s: FunctionScope, p: Get[]) => Expr[]): string {
  return L.internal(name, (m) => {
    const s = new FunctionScope(m, params);
    const code = body(s, params.map((_, i) => s.param(i)));
    m.addFunction(name, params.map(wasmType), wasmType(result), s.locals, m.block(code, wasmType(result)));
  });
}

/** `fpu_slow_<code>(operands, rm, pc)`: the helper computes the result, which it returns,
 * and leaves the flags at FPU_FLAGS_OFF (a reserved rm: a fault, reported). */
export function slowFunction(L: Lowering, fop: FpOp, format: Fmt, argTypes: readonly Type[], rt: Type): string {
  const code = fpuCode(fop, format);
  return outOfLine(L, `fpu_slow_${code}`, [...argTypes, 'i32', 'i64'], rt, (s, p) => {
    const m = s.m;
    const out = argTypes.map((t, i) => m.store(t, t === 'f32' ? 4 : 8, m.i32(0), p[i](), FPU_ARGS_OFF + 8 * i));
    out.push(m.call(L.helper(HELPER_FPU, [i32, i32, i64], none), [m.i32(code), p[argTypes.length](), p[argTypes.length + 1]()], none));
    out.push(m.load(rt, rt === 'f32' ? 4 : 8, false, m.i32(0), FPU_RESULT_OFF));
    return out;
  });
}

/** The helper's flags for an operation in round-to-nearest (it cannot fault then). */
function slowFlags(L: Lowering, s: Scope, fop: FpOp, format: Fmt, args: readonly Get[]): Expr {
  const m = s.m;
  const t: Type = format;
  const call = m.call(slowFunction(L, fop, format, args.map(() => t), t), [...args.map((a) => a()), m.i32(0), m.i64(0n)], wasmType(t));
  return m.block([m.drop(call), m.load('i32', 4, false, m.i32(0), FPU_FLAGS_OFF)], i32);
}

// The inexact tests, out of line: they run only while NX is clear. Each returns 1 if
// the operation was inexact, else 0; operands and result are on f64.

export function inexactSum(L: Lowering): string {
  return outOfLine(L, 'fpu_inexact_sum', ['f64', 'f64', 'f64'], 'i32', (s, [a, b, r]) => {
    const [code, e] = s.sumErr(a, b, r);
    return [...code, s.nonZero(e)];
  });
}

/** a*b = r exactly? If the operands cannot be split, the helper says. */
export function inexactProduct(L: Lowering): string {
  return outOfLine(L, 'fpu_inexact_product', ['f64', 'f64', 'f64'], 'i32', (s, [a, b, r]) => {
    const m = s.m;
    const [code, e] = s.mulErr(a, b, r);
    const splittable = m.and('i32', m.flt('f64', m.fabs('f64', a()), s.c('f64', BIG)), m.flt('f64', m.fabs('f64', b()), s.c('f64', BIG)));
    return [m.if(splittable, m.block([...code, s.nonZero(e)], i32), slowFlags(L, s, 'mul', 'f64', [a, b]))];
  });
}

/** a = q*b exactly? (the remainder a - q*b is exact) */
export function inexactQuotient(L: Lowering): string {
  return outOfLine(L, 'fpu_inexact_quotient', ['f64', 'f64', 'f64'], 'i32', (s, [a, b, q]) => {
    const m = s.m;
    const [setP, p] = s.let('f64', m.fmul('f64', q(), b()));
    const [code, e] = s.mulErr(q, b, p);
    const remainder = m.fsub('f64', m.fsub('f64', a(), p()), e());
    const splittable = m.and('i32', m.flt('f64', m.fabs('f64', b()), s.c('f64', BIG)), s.between('f64', TINY, s.abs('f64', a), HUGE));
    return [m.if(splittable, m.block([setP, ...code, m.fne('f64', remainder, s.c('f64', 0))], i32), slowFlags(L, s, 'div', 'f64', [a, b]))];
  });
}

/** a = r*r exactly? (for SQRT_LOW <= a <= SQRT_HIGH) */
export function inexactRoot(L: Lowering): string {
  return outOfLine(L, 'fpu_inexact_root', ['f64', 'f64'], 'i32', (s, [a, r]) => {
    const m = s.m;
    const [setP, p] = s.let('f64', m.fmul('f64', r(), r()));
    const [code, e] = s.mulErr(r, r, p);
    return [setP, ...code, m.fne('f64', m.fsub('f64', m.fsub('f64', a(), p()), e()), s.c('f64', 0))];
  });
}

/** The f32 sum r of a and b, exact? (their f64 sum and its error are) */
export function inexactSum32(L: Lowering): string {
  return outOfLine(L, 'fpu_inexact_sum32', ['f64', 'f64', 'f32'], 'i32', (s, [x, y, r]) => {
    const m = s.m;
    const [setS, sum] = s.let('f64', m.fadd('f64', x(), y()));
    const [code, e] = s.sumErr(x, y, sum);
    return [setS, ...code, m.or('i32', s.nonZero(e), m.fne('f64', sum(), m.promote(r())))];
  });
}

/**
 * `fpu_fma64(a, b, c)`: RN(a*b + c) (the negations of fmsub and co. folded into a and c
 * by the caller), its flags left at FPU_FLAGS_OFF. fp.ts's fma64: the exact value as
 * z + e2 + w (z = RN(z + e2), w far below e2's last bit), then a correction of z when
 * z + e2 is close to a midpoint; rare operands go to the helper.
 */
export function fma64Function(L: Lowering): string {
  return outOfLine(L, 'fpu_fma64', ['f64', 'f64', 'f64'], 'f64', (s, [a, b, c]) => {
    const m = s.m;
    const zero = () => s.c('f64', 0);
    const r = s.var('f64');
    const setFlags = (e: Expr) => m.store('i32', 4, m.i32(0), e, FPU_FLAGS_OFF);
    const [setP, p] = s.let('f64', m.fmul('f64', a(), b()));
    const [eCode, E] = s.mulErr(a, b, p);
    const [setS, sum] = s.let('f64', m.fadd('f64', p(), c()));
    const [tCode, t] = s.sumErr(p, c, sum);
    const z = s.var('f64'), e2 = s.var('f64'), w = s.var('f64');
    // E == 0: z = s, e2 = t; t == 0: s + E split exactly; else three terms
    const [setZ1, z1] = s.let('f64', m.fadd('f64', sum(), E()));
    const [e21Code, e21] = s.sumErr(sum, E, z1);
    const [setU, u] = s.let('f64', m.fadd('f64', t(), E()));
    const [wCode, w3] = s.sumErr(t, E, u);
    const [setZ3, z3] = s.let('f64', m.fadd('f64', sum(), u()));
    const [e23Code, e23] = s.sumErr(sum, u, z3);
    const split = m.if(m.feq('f64', E(), zero()),
      m.block([z.set(sum()), e2.set(t()), w.set(zero())]),
      m.if(m.feq('f64', t(), zero()),
        m.block([setZ1, ...e21Code, z.set(z1()), e2.set(e21()), w.set(zero())]),
        m.block([setU, ...wCode, setZ3, ...e23Code, z.set(z3()), e2.set(e23()), w.set(w3())])));
    const exactZ = m.and('i32', m.feq('f64', e2.get(), zero()), m.feq('f64', w.get(), zero()));
    const ordinary = m.and('i32',
      m.and('i32', s.between('f64', TINY, s.abs('f64', p), HUGE), m.flt('f64', m.fabs('f64', a()), s.c('f64', BIG))),
      m.flt('f64', m.fabs('f64', b()), s.c('f64', BIG)));
    const inRange = m.and('i32', m.flt('f64', s.c('f64', MIN64), m.fabs('f64', z.get())), m.feq('f64', m.fsub('f64', z.get(), z.get()), zero()));
    const slow = () => m.block([r.set(m.call(slowFunction(L, 'madd', 'f64', ['f64', 'f64', 'f64'], 'f64'),
      [a(), b(), c(), m.i32(0), m.i64(0n)], f64))]);
    const fromProduct = m.if(inRange,
      m.if(exactZ, m.block([r.set(z.get()), setFlags(m.i32(0))]),
        m.block([r.set(resolveNearest(s, z, e2.get, w.get)), setFlags(m.i32(NX))])),
      m.if(m.and('i32', m.feq('f64', z.get(), zero()), exactZ), m.block([r.set(zero()), setFlags(m.i32(0))]), slow()));
    // a zero product: the sum is c, or a signed zero
    const zeroProduct = m.and('i32', m.and('i32', m.feq('f64', p(), zero()), m.or('i32', m.feq('f64', a(), zero()), m.feq('f64', b(), zero()))),
      m.feq('f64', m.fsub('f64', c(), c()), zero()));
    return [
      setP,
      m.if(ordinary,
        m.block([...eCode, setS, ...tCode, split, fromProduct]),
        m.if(zeroProduct,
          m.block([r.set(m.select(m.fne('f64', c(), zero()), c(), m.fadd('f64', p(), c()))), setFlags(m.i32(0))]),
          slow())),
      r.get(),
    ];
  });
}

/** RN(z + e2 + w) for z = RN(z + e2), z normal and finite (fp.ts's `resolve`): z, or its
 * neighbour n toward e2 when z + e2 + w is past the midpoint of z and n (at the midpoint
 * exactly, the one with an even last bit). */
function resolveNearest(s: Scope, z: Var, e2: Get, w: Get): Expr {
  const m = s.m;
  const zero = () => s.c('f64', 0);
  const zBits = () => m.reinterpret('i64', z.get());
  const away = m.eq('i32', m.fgt('f64', z.get(), zero()), m.fgt('f64', e2(), zero()));
  const [setN, n] = s.let('f64', m.reinterpret('f64', m.add('i64', zBits(), m.select(away, m.i64(1n), m.i64(-1n)))));
  const [setQ, q] = s.let('f64', m.fadd('f64', m.fsub('f64', e2(), m.fmul('f64', m.fsub('f64', n(), z.get()), s.c('f64', 0.5))), w()));
  const odd = m.wrap(m.and('i64', zBits(), m.i64(1n)));
  const pastMidpoint = m.eq('i32', m.fgt('f64', q(), zero()), m.fgt('f64', e2(), zero()));
  const pick = m.select(m.feq('f64', q(), zero()), odd, m.and('i32', m.fne('f64', q(), zero()), pastMidpoint));
  const trivial = m.or('i32', m.feq('f64', w(), zero()), m.feq('f64', e2(), zero()));
  return m.if(trivial, z.get(), m.block([setN, setQ, m.select(pick, n(), z.get())], f64));
}

/**
 * `fpu_fma32(a, b, c)`: RN32(a*b + c), flags at FPU_FLAGS_OFF. The product is exact in
 * f64, so the exact value is s + e (TwoSum); rounding s to odd (its neighbour toward e
 * when e != 0 and s's last bit is even) makes the demotion round the exact value
 * correctly, as 53 >= 24 + 2 (Boldo and Melquiond, "When double rounding is odd").
 */
export function fma32Function(L: Lowering): string {
  return outOfLine(L, 'fpu_fma32', ['f32', 'f32', 'f32'], 'f32', (s, [a, b, c0]) => {
    const m = s.m;
    const zero = () => s.c('f64', 0);
    const r = s.var('f32');
    const setFlags = (e: Expr) => m.store('i32', 4, m.i32(0), e, FPU_FLAGS_OFF);
    const [setP, p] = s.let('f64', m.fmul('f64', m.promote(a()), m.promote(b())));
    const [setC, c] = s.let('f64', m.promote(c0()));
    const [setS, sum] = s.let('f64', m.fadd('f64', p(), c()));
    const [errCode, e] = s.sumErr(p, c, sum);
    const sBits = () => m.reinterpret('i64', sum());
    const even = m.eqz('i64', m.and('i64', sBits(), m.i64(1n)));
    const away = m.eq('i32', m.fgt('f64', sum(), zero()), m.fgt('f64', e(), zero()));
    const odd = m.reinterpret('f64', m.add('i64', sBits(), m.select(away, m.i64(1n), m.i64(-1n))));
    const toOdd = m.select(m.and('i32', s.nonZero(e), even), odd, sum());
    const exact = m.and('i32', m.feq('f64', e(), zero()), m.feq('f64', m.promote(r.get()), sum()));
    const inexact = m.or('i32', s.nonZero(e), m.fne('f64', m.promote(r.get()), sum()));
    return [
      setP, setC, setS, ...errCode,
      r.set(m.demote(toOdd)),
      m.if(s.between('f32', MIN32, s.abs('f32', r.get), Infinity),
        setFlags(inexact),
        m.if(exact, setFlags(m.i32(0)),
          r.set(m.call(slowFunction(L, 'madd', 'f32', ['f32', 'f32', 'f32'], 'f32'), [a(), b(), c0(), m.i32(0), m.i64(0n)], f32)))),
      r.get(),
    ];
  });
}
