// Checks runtime/interp/fp.ts against vectors recorded from qemu-riscv64 (fpvec/gen.c), under
// every static rounding mode and through the dynamic one, checks its BigInt reference path
// against the same vectors, and cross-checks the fast paths against the reference on random
// operands in the awkward ranges.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execFp, execFpReference, type FpViews } from '../../runtime/interp/fp.js';
import { MNEMONICS } from '../../lifter/encoding.js';
import { X_OFF, F_OFF, FFLAGS_OFF, FRM_OFF, STATE_BASE, STATE_END } from '../../layout/layout.js';

type Exec = typeof execFp;

const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
const buf = memory.buffer as unknown as ArrayBuffer;
const v: FpViews = { i32: new Int32Array(buf), f64: new Float64Array(buf), f32: new Float32Array(buf), u8: new Uint8Array(buf) };
const { i32 } = v;

const M64 = (1n << 64n) - 1n;
const FRS = [1, 2, 3], FRD = 4, XRS = 5, XRD = 10;

function opOf(name: string): number {
  const op = MNEMONICS.indexOf(name);
  if (op < 0) throw new Error(`unknown mnemonic ${name}`);
  return op;
}
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

interface Shape { f32src: boolean; f32dst: boolean; intSrc: boolean; xDst: boolean }
function shape(name: string): Shape {
  const parts = name.split('.');
  const last = parts[parts.length - 1];
  let intSrc = false, xDst = false, f32src = last === 's', f32dst = last === 's';
  if (name.startsWith('fcvt.')) {
    const [, to, from] = parts;
    intSrc = ['w', 'wu', 'l', 'lu'].includes(from);
    xDst = ['w', 'wu', 'l', 'lu'].includes(to);
    f32src = from === 's';
    f32dst = to === 's';
  } else if (name === 'fmv.x.w' || name === 'fmv.x.d') { xDst = true; f32src = name === 'fmv.x.w'; }
  else if (name === 'fmv.w.x' || name === 'fmv.d.x') { intSrc = true; f32dst = name === 'fmv.w.x'; }
  else if (/^(fclass|feq|flt|fle)\./.test(name)) xDst = true;
  return { f32src, f32dst, intSrc, xDst };
}

/** A value as printed by gen.c: f32 register values are 8 hex digits when boxed, 'u' + 64 bits when not. */
function parseVal(tok: string, f32: boolean): bigint {
  if (tok.startsWith('u')) return BigInt('0x' + tok.slice(1));
  const x = BigInt('0x' + tok);
  return f32 ? x | 0xffffffff00000000n : x;
}

interface Vec { line: string; name: string; op: number; sh: Shape; src: bigint[]; res: bigint[]; fl: number[] }

function loadVectors(): Vec[] {
  // FP_VECTORS=/path/to/other.txt checks another set (e.g. gen.c run with another seed)
  const path = process.env.FP_VECTORS ?? fileURLToPath(new URL('./fpvec/vectors.txt', import.meta.url));
  const out: Vec[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    const t = line.split(' ');
    const name = t[0];
    const sh = shape(name);
    let k = 1;
    const src: bigint[] = [];
    while (!t[k].includes(':')) src.push(parseVal(t[k++], sh.f32src && !sh.intSrc));
    const res: bigint[] = [], fl: number[] = [];
    const f32res = sh.f32dst && !sh.xDst;
    for (; k < t.length; k++) {
      const [r, f] = t[k].split(':');
      let x: bigint;
      if (res.length === 0) x = parseVal(r, f32res);
      else if (r === '=') x = res[0];
      else if (r[0] === '+' || r[0] === '-') x = (res[0] + BigInt(r)) & M64;
      else x = parseVal(r, f32res);
      res.push(x);
      fl.push(parseInt(f, 16));
    }
    out.push({ line, name, op: opOf(name), sh, src, res, fl });
  }
  return out;
}

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

let seed = 0x12345678;
function rnd32(): number { // xorshift32
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return seed >>> 0;
}
const rn = (n: number): number => rnd32() % n;
function rndBits(k: number): bigint { // k random low bits
  let x = 0n;
  for (let i = 0; i < k; i += 32) x = (x << 32n) | BigInt(rnd32());
  return x & ((1n << BigInt(k)) - 1n);
}
/** A value with a k-bit mantissa and the given biased exponent. */
function mk(f32: boolean, be: number, k: number): bigint {
  const p = f32 ? 24 : 53;
  const m = rndBits(k - 1) | (1n << BigInt(k - 1)) | (rn(2) ? 1n : 0n);
  let bits = ((m << BigInt(p - k)) & ((1n << BigInt(p - 1)) - 1n)) | (BigInt(be) << BigInt(p - 1));
  if (be === 0) bits >>= BigInt(rn(p));
  if (rn(2)) bits |= 1n << (f32 ? 31n : 63n);
  return f32 ? bits | 0xffffffff00000000n : bits;
}
function rval(f32: boolean, near?: bigint): bigint {
  const p = f32 ? 24 : 53, emax = f32 ? 254 : 2046, bias = f32 ? 127 : 1023;
  const k = rn(3) === 0 ? 1 + rn(6) : rn(2) ? p : 1 + rn(p);
  switch (rn(7)) {
    case 0: return mk(f32, 1 + rn(emax), k);
    case 1: return mk(f32, rn(p + 3), k);
    case 2: return mk(f32, emax - rn(p + 3), k);
    case 3: if (near !== undefined) { // close to `near`, for cancellation and tie cases
      const be = Number((near >> BigInt(p - 1)) & BigInt(f32 ? 0xff : 0x7ff));
      return mk(f32, Math.max(0, Math.min(emax, be - rn(2 * p + 8) + 2)), k);
    } // fallthrough
    default: return mk(f32, bias - 30 + rn(60), k);
  }
}

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
          const a = rval(f32);
          let b = rval(f32, a);
          let c = rval(f32, a);
          if (base === 'fdiv' && rn(2)) b = rval(f32); // quotients of all sizes
          if (base.startsWith('fm') || base.startsWith('fnm')) {
            if (rn(2)) { // c near +-a*b
              const fa = f32 ? new Float32Array(new BigUint64Array([a]).buffer)[0] : new Float64Array(new BigUint64Array([a]).buffer)[0];
              const fb = f32 ? new Float32Array(new BigUint64Array([b]).buffer)[0] : new Float64Array(new BigUint64Array([b]).buffer)[0];
              let pbits = f32 ? BigInt(new Uint32Array(new Float32Array([fa * fb]).buffer)[0]) | 0xffffffff00000000n
                : new BigUint64Array(new Float64Array([fa * fb]).buffer)[0];
              pbits ^= rndBits(rn(f32 ? 24 : 53));
              c = rn(2) ? pbits : rval(f32, pbits);
            }
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
