// Checks runtime/interp/fp.ts against vectors recorded from qemu-riscv64 (fpvec/gen.c), under
// every static rounding mode and through the dynamic one, checks its BigInt reference path
// against the same vectors, and cross-checks the fast paths against the reference on random
// operands in the awkward ranges.
import { describe, expect, it } from 'vitest';
import { execFp, execFpReference, type FpViews } from '../../runtime/interp/fp.js';
import { loadVectors, opOf, shape, type Vec } from './fpvec/vectors.js';
import { fmaTie, nearProduct, rn, rval } from './fpvec/random.js';
import { X_OFF, F_OFF, FFLAGS_OFF, FRM_OFF, STATE_BASE, STATE_END } from '../../layout/layout.js';

type Exec = typeof execFp;

const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
const buf = memory.buffer as unknown as ArrayBuffer;
const v: FpViews = { i32: new Int32Array(buf), f64: new Float64Array(buf), f32: new Float32Array(buf), u8: new Uint8Array(buf) };
const { i32 } = v;

const FRS = [1, 2, 3], FRD = 4, XRS = 5, XRD = 10;

function setF(r: number, x: bigint): void {
  i32[(F_OFF >> 2) + 2 * r] = Number(x & 0xffffffffn) | 0;
  i32[(F_OFF >> 2) + 2 * r + 1] = Number((x >> 32n) & 0xffffffffn) | 0;
}
function getF(r: number): bigint {
  return (BigInt(i32[(F_OFF >> 2) + 2 * r + 1] >>> 0) << 32n) | BigInt(i32[(F_OFF >> 2) + 2 * r] >>> 0);
}
function setX(r: number, x: bigint): void {
  i32[(X_OFF >> 2) + 2 * r] = Number(x & 0xffffffffn) | 0;
  i32[(X_OFF >> 2) + 2 * r + 1] = Number((x >> 32n) & 0xffffffffn) | 0;
}
function getX(r: number): bigint {
  return (BigInt(i32[(X_OFF >> 2) + 2 * r + 1] >>> 0) << 32n) | BigInt(i32[(X_OFF >> 2) + 2 * r] >>> 0);
}
const flags = (): number => i32[FFLAGS_OFF >> 2];
const hex = (x: bigint): string => x.toString(16).padStart(16, '0');

const GARBAGE = 0x0123456789abcdefn;

/** Runs one vector; returns the result bits and flags. */
function run(exec: Exec, vec: Vec, rm: number, dynamic: boolean): [bigint, number] {
  const { sh } = vec;
  vec.src.forEach((x, k) => (sh.intSrc ? setX(XRS, x) : setF(FRS[k], x)));
  if (sh.xDst) setX(XRD, GARBAGE); else setF(FRD, GARBAGE);
  i32[FFLAGS_OFF >> 2] = 0;
  i32[FRM_OFF >> 2] = dynamic ? rm : 5;
  const rs1 = sh.intSrc ? XRS : FRS[0];
  const ok = exec(v, vec.op as never, sh.xDst ? XRD : FRD, rs1, FRS[1], FRS[2], dynamic ? 7 : rm);
  if (!ok) return [-1n, -1];
  return [sh.xDst ? getX(XRD) : getF(FRD), flags()];
}

function checkAll(exec: Exec, vecs: Vec[], dynamic: boolean, only?: (v: Vec) => boolean): { n: number; bad: string[]; nbad: number } {
  const bad: string[] = [];
  let n = 0, nbad = 0;
  for (const vec of vecs) {
    if (only && !only(vec)) continue;
    const rms = vec.res.length === 1 ? [0] : [0, 1, 2, 3, 4];
    for (const rm of rms) {
      if (dynamic && vec.res.length === 1) continue;
      n++;
      const [r, f] = run(exec, vec, rm, dynamic);
      if (r !== vec.res[rm] || f !== vec.fl[rm]) {
        nbad++;
        if (bad.length < 25) {
          bad.push(`${vec.name} rm=${rm}${dynamic ? ' (dyn)' : ''} [${vec.src.map(hex).join(' ')}]: ` +
            `got ${hex(r)} flags ${f.toString(16)}, want ${hex(vec.res[rm])} flags ${vec.fl[rm].toString(16)}   (${vec.line})`);
        }
      }
    }
  }
  return { n, bad, nbad };
}

const vecs = loadVectors();
const ARITH = /^(fn?m(add|sub)|fadd|fsub|fmul|fdiv|fsqrt)\.|^fcvt\.s\.d$/;

describe('execFp against qemu-riscv64 vectors', () => {
  it('has a useful number of vectors', () => {
    expect(vecs.length).toBeGreaterThan(process.env.FP_VECTORS ? 0 : 20000);
    const ops = new Set(vecs.map((x) => x.name));
    expect(ops.size).toBe(58);
  });

  it('matches every vector under every static rounding mode', () => {
    const r = checkAll(execFp, vecs, false);
    expect(r.bad, `${r.nbad} of ${r.n} vectors differ`).toEqual([]);
    expect(r.n).toBeGreaterThan(process.env.FP_VECTORS ? 0 : 100000);
  });

  it('matches every vector through the dynamic rounding mode (rm=7, frm)', () => {
    const r = checkAll(execFp, vecs, true);
    expect(r.bad, `${r.nbad} of ${r.n} vectors differ`).toEqual([]);
  });

  it('the BigInt reference path matches the arithmetic vectors', () => {
    const r = checkAll(execFpReference, vecs, false, (x) => ARITH.test(x.name));
    expect(r.bad, `${r.nbad} of ${r.n} vectors differ`).toEqual([]);
  });
});

describe('execFp details', () => {
  const RM_OPS = [...new Set(vecs.filter((x) => x.res.length === 5).map((x) => x.name))];

  it('rejects reserved rounding modes and changes nothing', () => {
    expect(RM_OPS.length).toBe(36);
    const state = (): number[] => Array.from(v.u8.subarray(STATE_BASE, STATE_END));
    for (const name of RM_OPS) {
      const sh = shape(name);
      setF(1, 0xffffffff3f800000n); setF(2, 0x3ff8000000000000n); setF(3, 0x4000000000000000n);
      setX(XRS, 12345n);
      for (const [rm, frm] of [[5, 0], [6, 0], [7, 5], [7, 6], [7, 7]]) {
        i32[FRM_OFF >> 2] = frm;
        i32[FFLAGS_OFF >> 2] = 0;
        const before = state();
        const ok = execFp(v, opOf(name) as never, sh.xDst ? XRD : FRD, sh.intSrc ? XRS : 1, 2, 3, rm);
        expect(ok, `${name} rm=${rm} frm=${frm}`).toBe(false);
        expect(state()).toEqual(before);
      }
      // and a legal dynamic mode works
      i32[FRM_OFF >> 2] = 1;
      expect(execFp(v, opOf(name) as never, sh.xDst ? XRD : FRD, sh.intSrc ? XRS : 1, 2, 3, 7)).toBe(true);
    }
  });

  it('accrues flags with OR and drops writes to x0', () => {
    setF(1, 0x7ff4000000000000n); // sNaN
    setX(0, 0n);
    i32[FFLAGS_OFF >> 2] = 1;
    expect(execFp(v, opOf('fcvt.w.d') as never, 0, 1, 0, 0, 1)).toBe(true);
    expect(getX(0)).toBe(0n);
    expect(flags()).toBe(17);
    setF(1, 0x3ff8000000000000n); // 1.5
    expect(execFp(v, opOf('fcvt.l.d') as never, 0, 1, 0, 0, 0)).toBe(true);
    expect(getX(0)).toBe(0n);
    expect(flags()).toBe(17);
    i32[FFLAGS_OFF >> 2] = 8;
    expect(execFp(v, opOf('fcvt.l.d') as never, XRD, 1, 0, 0, 0)).toBe(true);
    expect(getX(XRD)).toBe(2n);
    expect(flags()).toBe(9);
  });

  it('reads x0 as zero', () => {
    setX(0, 0x4000000040000000n); // should never happen, but x0 must still read as 0
    expect(execFp(v, opOf('fcvt.d.l') as never, FRD, 0, 0, 0, 0)).toBe(true);
    expect(getF(FRD)).toBe(0n);
    expect(execFp(v, opOf('fmv.w.x') as never, FRD, 0, 0, 0, 0)).toBe(true);
    expect(getF(FRD)).toBe(0xffffffff00000000n);
    setX(0, 0n);
  });

  it('allows rd to alias a source', () => {
    setF(1, 0x3ff8000000000000n);
    i32[FFLAGS_OFF >> 2] = 0;
    expect(execFp(v, opOf('fmadd.d') as never, 1, 1, 1, 1, 0)).toBe(true); // 1.5*1.5+1.5
    expect(getF(1)).toBe(0x400e000000000000n);
    setF(1, 0xffffffff3fc00000n);
    expect(execFp(v, opOf('fsgnjn.s') as never, 1, 1, 1, 0, 0)).toBe(true);
    expect(getF(1)).toBe(0xffffffffbfc00000n);
  });
});

// ---------------- fast path vs. BigInt reference on random operands ----------------

/** FP_FUZZ_SCALE=100 npx vitest run test/interp/fp.test.ts for a deeper run. */
const FUZZ_SCALE = Number(process.env.FP_FUZZ_SCALE ?? 1);

describe('fast paths agree with the BigInt reference', () => {
  const ops = ['fadd', 'fsub', 'fmul', 'fdiv', 'fsqrt', 'fmadd', 'fmsub', 'fnmsub', 'fnmadd'];
  for (const f32 of [false, true]) {
    for (const base of ops) {
      const name = `${base}.${f32 ? 's' : 'd'}`;
      it(name, () => {
        const op = opOf(name);
        const bad: string[] = [];
        let nbad = 0;
        const N = (base.includes('m') && base !== 'fmul' ? 6000 : 3000) * FUZZ_SCALE;
        for (let t = 0; t < N; t++) {
          let a = rval(f32);
          let b = rval(f32, a);
          let c = rval(f32, a);
          if (base === 'fdiv' && rn(2)) b = rval(f32); // quotients of all sizes
          if (base.startsWith('fm') || base.startsWith('fnm')) {
            if (rn(2)) c = nearProduct(f32, a, b);
            if (rn(4) === 0) [a, b, c] = fmaTie(f32);
          }
          for (let rm = 0; rm < 5; rm++) {
            const res: bigint[] = [];
            const fls: number[] = [];
            for (const exec of [execFp, execFpReference]) {
              setF(1, a); setF(2, b); setF(3, c); setF(FRD, GARBAGE);
              i32[FFLAGS_OFF >> 2] = 0;
              exec(v, op as never, FRD, 1, 2, 3, rm);
              res.push(getF(FRD));
              fls.push(flags());
            }
            if (res[0] !== res[1] || fls[0] !== fls[1]) {
              nbad++;
              if (bad.length < 20) bad.push(`${name} rm=${rm} ${hex(a)} ${hex(b)} ${hex(c)}: fast ${hex(res[0])}:${fls[0]} ref ${hex(res[1])}:${fls[1]}`);
            }
          }
        }
        expect(bad, `${nbad} differ`).toEqual([]);
      });
    }
  }
});
