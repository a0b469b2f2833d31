//! The backend's FP state: guest f registers, fflags and frm live in locals, loaded,
//! written back and reloaded exactly where lower.ts does it for the x registers (entry,
//! helper calls, traps, the exits), so that FP code touches no memory for them; and the
//! ops on that state (`getfreg`, `setfreg`, `getcsr`, `setcsr`) and `fclass`. `fexact`
//! is `fexact.ts`.

import { FFLAGS_OFF, FRM_OFF, F_OFF } from '../layout/layout.js';
import type { Inst, Region } from '../ir/function.js';
import type { Type } from '../ir/types.js';
import type { Lowering } from './lower.js';
import { type Expr, i32, i64, type Module, type WasmType, wasmType } from './module.js';

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
