//! The backend's FP unit: guest f registers, fflags and frm in locals (loaded, written back
//! and reloaded exactly where lower.ts does it for the x registers), and `fexact` and
//! `fclass` as inline wasm.
//!
//! `fexact` under round-to-nearest-even (a static rne, or dyn while frm is 0) is the wasm
//! operation itself, which rounds the same way, plus the flags:
//!   r = a op b
//!   if (r and the operands are ordinary)      ; finite, normal-range, no over/underflow
//!     if (!(fflags & NX)) fflags |= inexact(a, b, r) ? NX : 0
//!   else r, fflags = the helper's             ; NaN, infinities, tiny or huge values
//! On ordinary values NX is the only flag an operation can raise, and once NX is set its
//! test is skipped until fflags is written. Inexactness is found exactly as the
//! interpreter's fp.ts finds it: TwoSum for sums, Dekker's product for products, the
//! remainder for quotients and roots; f32 operations are exact in f64 or nearly so.
//! Other rounding modes go to the helper (HELPER_FPU, which runs the interpreter's
//! `execFp`), except conversions to integers, which wasm rounds every way but RMM, and
//! operations that are exact under any mode.

import {
  FFLAGS_OFF, FPU_ARGS_OFF, FPU_FLAGS_OFF, FPU_RESULT_OFF, FRM_OFF, F_OFF, HELPER_FPU,
} from '../layout/layout.js';
import type { Inst, Region } from '../ir/function.js';
import type { RoundingMode } from '../ir/immediates.js';
import { roundingModeBits } from '../ir/immediates.js';
import { FP_OP_NAMES, type FpOp } from '../ir/opcodes.js';
import type { Type } from '../ir/types.js';
import { isFloat } from '../ir/types.js';
import type { Lowering } from './lower.js';
import { type Expr, f32, f64, i32, i64, type Module, none, type WasmType, wasmType } from './module.js';

// fflags bits
const NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16;
void UF; void OF; void DZ; // raised only by the helper

/** The helper's operation code: the FP_OPS index and the float format (the result's, or
 * the operand's for conversions to integers). `runtime/jit/helpers.ts` decodes it. */
export function fpuCode(fop: FpOp, format: 'f32' | 'f64'): number {
  return FP_OP_NAMES.indexOf(fop) * 2 + (format === 'f64' ? 1 : 0);
}

export function decodeFpuCode(code: number): { fop: FpOp; format: 'f32' | 'f64' } | undefined {
  const fop = FP_OP_NAMES[code >> 1];
  return fop === undefined ? undefined : { fop, format: (code & 1) === 1 ? 'f64' : 'f32' };
}

/** The float format of an `fexact`. */
function formatOf(inst: Inst, argType: Type): 'f32' | 'f64' {
  const t = isFloat(inst.type!) ? inst.type! : argType;
  return t === 'f32' ? 'f32' : 'f64';
}

// ---- guest FP state in locals ----

/** Where a region's f registers, fflags and frm live while it runs. */
export class FpState {
  /** f register -> its i64 local, for every register the region reads or writes. */
  private readonly fregs = new Map<number, number>();
  private readonly writtenRegs = new Set<number>();
  readonly fflagsLocal: number | undefined;
  readonly frmLocal: number | undefined;
  private readonly fflagsWritten: boolean;
  private readonly frmWritten: boolean;
  /** Temporaries of the inline expansions, by type: any expansion may use any of them. */
  private readonly temps = new Map<WasmType, number[]>();

  constructor(region: Region, private readonly addLocal: (t: WasmType) => number) {
    const regs = new Set<number>();
    let fflags = false, frm = false, fflagsWritten = false, frmWritten = false;
    for (const b of region.blocks) {
      for (const inst of b.insts) {
        switch (inst.op) {
          case 'getfreg': regs.add(inst.reg!); break;
          case 'setfreg': regs.add(inst.reg!); this.writtenRegs.add(inst.reg!); break;
          case 'getcsr': if (inst.csr === 'fflags') fflags = true; else frm = true; break;
          case 'setcsr':
            if (inst.csr === 'fflags') fflags = fflagsWritten = true;
            else frm = frmWritten = true;
            break;
          case 'fexact':
            fflags = fflagsWritten = true;
            if (inst.rm === 'dyn') frm = true;
            break;
        }
      }
    }
    for (const r of [...regs].sort((a, b) => a - b)) this.fregs.set(r, addLocal(i64));
    this.fflagsLocal = fflags ? addLocal(i32) : undefined;
    this.frmLocal = frm ? addLocal(i32) : undefined;
    this.fflagsWritten = fflagsWritten;
    this.frmWritten = frmWritten;
  }

  freg(r: number): number {
    const l = this.fregs.get(r);
    if (l === undefined) throw new Error(`f${r} has no local`);
    return l;
  }

  get fflags(): number {
    if (this.fflagsLocal === undefined) throw new Error('fflags has no local');
    return this.fflagsLocal;
  }

  get frm(): number {
    if (this.frmLocal === undefined) throw new Error('frm has no local');
    return this.frmLocal;
  }

  /** Loads every local from the state block (entry, and after a helper call). */
  load(m: Module): Expr[] {
    const out = [...this.fregs].map(([r, l]) => m.set(l, m.load('i64', 8, false, m.i32(0), F_OFF + 8 * r)));
    if (this.fflagsLocal !== undefined) out.push(m.set(this.fflagsLocal, m.load('i32', 4, false, m.i32(0), FFLAGS_OFF)));
    if (this.frmLocal !== undefined) out.push(m.set(this.frmLocal, m.load('i32', 4, false, m.i32(0), FRM_OFF)));
    return out;
  }

  /** Stores of everything the region writes (before helper calls, traps and at exits):
   * a local not written since it was loaded holds the state block's value anyway. */
  store(m: Module): Expr[] {
    const out = [...this.writtenRegs].sort((a, b) => a - b)
      .map((r) => m.store('i64', 8, m.i32(0), m.get(this.freg(r), i64), F_OFF + 8 * r));
    if (this.fflagsWritten) out.push(m.store('i32', 4, m.i32(0), m.get(this.fflags, i32), FFLAGS_OFF));
    if (this.frmWritten) out.push(m.store('i32', 4, m.i32(0), m.get(this.frm, i32), FRM_OFF));
    return out;
  }

  /** The k-th temporary of a type. */
  temp(t: WasmType, k: number): number {
    let list = this.temps.get(t);
    if (list === undefined) this.temps.set(t, (list = []));
    while (list.length <= k) list.push(this.addLocal(t));
    return list[k];
  }
}

// ---- the state ops ----

export function lowerGetfreg(L: Lowering, inst: Inst): Expr {
  return L.m.get(L.fp.freg(inst.reg!), i64);
}

export function lowerSetfreg(L: Lowering, inst: Inst): Expr[] {
  return [L.m.set(L.fp.freg(inst.reg!), L.get(inst.args[0]))];
}

export function lowerGetcsr(L: Lowering, inst: Inst): Expr {
  return L.m.get(inst.csr === 'fflags' ? L.fp.fflags : L.fp.frm, i32);
}

/** The CSRs keep their field widths (fflags 5 bits, frm 3). */
export function lowerSetcsr(L: Lowering, inst: Inst): Expr[] {
  const m = L.m;
  const [local, mask] = inst.csr === 'fflags' ? [L.fp.fflags, 0x1f] : [L.fp.frm, 7];
  return [m.set(local, m.and('i32', L.get(inst.args[0]), m.i32(mask)))];
}

/** fclass: one bit of ten, from the sign, exponent and fraction fields (spec, "Classify"). */
export function lowerFclass(L: Lowering, inst: Inst): Expr {
  const m = L.m;
  const t = L.typeOf(inst.args[0]);
  const it: Type = t === 'f32' ? 'i32' : 'i64';
  const [expBits, fracBits] = t === 'f32' ? [8n, 23n] : [11n, 52n];
  const bits = L.addLocal(wasmType(it));
  const x = () => m.get(bits, wasmType(it));
  const k = (v: bigint) => m.iconst(it, v);
  const negative = () => m.ltS(it, x(), k(0n));
  const exp = () => m.and(it, m.shrU(it, x(), k(fracBits)), k((1n << expBits) - 1n));
  const frac = () => m.and(it, x(), k((1n << fracBits) - 1n));
  const quiet = m.ne(it, m.and(it, x(), k(1n << (fracBits - 1n))), k(0n));
  const bySign = (ifNeg: number, ifPos: number) => m.select(negative(), m.i32(ifNeg), m.i32(ifPos));
  // bit numbers: 0 -inf, 1 -normal, 2 -subnormal, 3 -0, 4 +0, 5 +subnormal, 6 +normal, 7 +inf, 8 sNaN, 9 qNaN
  const special = m.select(m.eqz(it, frac()), bySign(0, 7), m.select(quiet, m.i32(9), m.i32(8)));
  const small = m.select(m.eqz(it, frac()), bySign(3, 4), bySign(2, 5));
  const normal = bySign(1, 6);
  const index = m.select(m.eq(it, exp(), k((1n << expBits) - 1n)), special, m.select(m.eqz(it, exp()), small, normal));
  return m.block([m.set(bits, m.reinterpret(it, L.get(inst.args[0]))), m.shl('i64', m.i64(1n), m.extendU(index))], i64);
}

// ---- fexact ----

const f64Bits = (x: number): bigint => { const v = new DataView(new ArrayBuffer(8)); v.setFloat64(0, x); return v.getBigUint64(0); };
const f32Bits = (x: number): bigint => { const v = new DataView(new ArrayBuffer(4)); v.setFloat32(0, x); return BigInt(v.getUint32(0)); };

// the ranges of fp.ts's fast paths (see there for why)
const MIN64 = 2 ** -1022;
const MIN32 = 2 ** -126;
const BIG = 2 ** 995;
const TINY = 2 ** -968;
const HUGE = 2 ** 1023;
const SQRT_LOW = 2 ** -960;
const SQRT_HIGH = 2 ** 1000;
const SPLIT = 134217729; // 2^27 + 1, Veltkamp's constant for binary64
const TWO63 = 2 ** 63;
const TWO64 = 2 ** 64;

type Fmt = 'f32' | 'f64';
type Get = () => Expr;

/** A local. */
interface Var {
  get: Get;
  set(e: Expr): Expr;
}

/** Where generated code gets its temporaries and constants: the region function (a
 * pool shared by all expansions) or an out-of-line function (its own locals). */
abstract class Scope {
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
function slowFunction(L: Lowering, fop: FpOp, format: Fmt, argTypes: readonly Type[], rt: Type): string {
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

function inexactSum(L: Lowering): string {
  return outOfLine(L, 'fpu_inexact_sum', ['f64', 'f64', 'f64'], 'i32', (s, [a, b, r]) => {
    const [code, e] = s.sumErr(a, b, r);
    return [...code, s.nonZero(e)];
  });
}

/** a*b = r exactly? If the operands cannot be split, the helper says. */
function inexactProduct(L: Lowering): string {
  return outOfLine(L, 'fpu_inexact_product', ['f64', 'f64', 'f64'], 'i32', (s, [a, b, r]) => {
    const m = s.m;
    const [code, e] = s.mulErr(a, b, r);
    const splittable = m.and('i32', m.flt('f64', m.fabs('f64', a()), s.c('f64', BIG)), m.flt('f64', m.fabs('f64', b()), s.c('f64', BIG)));
    return [m.if(splittable, m.block([...code, s.nonZero(e)], i32), slowFlags(L, s, 'mul', 'f64', [a, b]))];
  });
}

/** a = q*b exactly? (the remainder a - q*b is exact) */
function inexactQuotient(L: Lowering): string {
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
function inexactRoot(L: Lowering): string {
  return outOfLine(L, 'fpu_inexact_root', ['f64', 'f64'], 'i32', (s, [a, r]) => {
    const m = s.m;
    const [setP, p] = s.let('f64', m.fmul('f64', r(), r()));
    const [code, e] = s.mulErr(r, r, p);
    return [setP, ...code, m.fne('f64', m.fsub('f64', m.fsub('f64', a(), p()), e()), s.c('f64', 0))];
  });
}

/** The f32 sum r of a and b, exact? (their f64 sum and its error are) */
function inexactSum32(L: Lowering): string {
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
function fma64Function(L: Lowering): string {
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
function fma32Function(L: Lowering): string {
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
