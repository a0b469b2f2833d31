// The JIT's FP instructions (lifter + inline `fexact` code + its helper) against the
// qemu-riscv64 vectors of test/interp/fpvec, and against the interpreter's `execFp` on
// random operands in the awkward ranges and on every pair of boundary values of the
// inline fast paths: every rounding mode, static and through frm, with NX clear and
// already set (which the inline code then no longer computes). Each instruction is lifted
// alone into a region and run on the state block.
//
//   FP_FUZZ_SCALE=N   N times more random operands
import { describe, expect, it } from 'vitest';
import { FFLAGS_OFF, FRM_OFF, F_OFF, STATE_END, X_OFF } from '../../layout/layout.js';
import { ENCODINGS } from '../../lifter/encoding.js';
import { liftRegion } from '../../lifter/lift.js';
import { discoverRegion } from '../../lifter/region.js';
import { printRegion } from '../../ir/print.js';
import { execFp, type FpViews } from '../../runtime/interp/fp.js';
import { Trap } from '../../runtime/interp/trap.js';
import { type Compiled, Harness } from '../backend/harness.js';
import { fmaTie, nearProduct, reseed, rn, rndBits, rval } from '../interp/fpvec/random.js';
import { loadVectors, opOf, shape, type Shape, type Vec } from '../interp/fpvec/vectors.js';

const BASE = 0x10000;
const FRS = [1, 2, 3], FRD = 4, XRS = 5, XRD = 10;
const GARBAGE = 0x0123456789abcdefn;
const FUZZ_SCALE = Number(process.env.FP_FUZZ_SCALE ?? 1);
const hex = (x: bigint): string => BigInt.asUintN(64, x).toString(16).padStart(16, '0');

const h = new Harness('direct');

/** The instruction word of `name` with rd, rs1, rs2, rs3 and rm where the encoding has them. */
function encode(name: string, rm: number): number {
  const e = ENCODINGS[opOf(name)];
  const sh = shape(name);
  const fields = ((sh.xDst ? XRD : FRD) << 7) | (rm << 12) | ((sh.intSrc ? XRS : FRS[0]) << 15) | (FRS[1] << 20) | (FRS[2] << 27);
  return (e.match | (fields & ~e.mask)) >>> 0;
}

/** The instructions lifted as one region at BASE (they must not branch). */
function compile(words: readonly number[]): Compiled {
  const fetch = (pc: number) => {
    const k = (pc - BASE) / 4;
    return Number.isInteger(k) && k >= 0 && k < words.length ? { inst: words[k], len: 4 as const } : undefined;
  };
  return h.compile(printRegion(liftRegion(discoverRegion(fetch, BASE))));
}

const regions = new Map<string, Compiled>();
function regionOf(name: string, rm: number): Compiled {
  const key = `${name}/${rm}`;
  let r = regions.get(key);
  if (r === undefined) regions.set(key, (r = compile([encode(name, rm)])));
  return r;
}

/** The operands and the mode of one run. `rm` 7 reads frm. */
interface Run { name: string; sh: Shape; src: readonly bigint[]; rm: number; frm: number; nx: boolean }

function setOperands(setX: (r: number, v: bigint) => void, setF: (r: number, v: bigint) => void, run: Run): void {
  run.src.forEach((x, k) => (run.sh.intSrc ? setX(XRS, x) : setF(FRS[k], x)));
  if (run.sh.xDst) setX(XRD, GARBAGE); else setF(FRD, GARBAGE);
}

/** Result bits and fflags under the JIT. A static mode leaves frm at a reserved value,
 * which it must not read. */
function jit(run: Run): [bigint, number] {
  const m = h.m;
  setOperands((r, x) => m.setX(r, x), (r, x) => m.setF(r, x), run);
  m.fflags = run.nx ? 1 : 0;
  m.frm = run.rm === 7 ? run.frm : 6;
  h.run(regionOf(run.name, run.rm));
  return [run.sh.xDst ? BigInt.asUintN(64, m.getX(XRD)) : m.getF(FRD), m.fflags];
}

// the interpreter, on a state block of its own
const interpBuf = new ArrayBuffer(STATE_END);
const iv: FpViews = { i32: new Int32Array(interpBuf), f64: new Float64Array(interpBuf), f32: new Float32Array(interpBuf), u8: new Uint8Array(interpBuf) };
const idv = new DataView(interpBuf);

function interp(run: Run): [bigint, number] {
  setOperands((r, x) => idv.setBigUint64(X_OFF + 8 * r, BigInt.asUintN(64, x), true),
    (r, x) => idv.setBigUint64(F_OFF + 8 * r, BigInt.asUintN(64, x), true), run);
  iv.i32[FFLAGS_OFF >> 2] = run.nx ? 1 : 0;
  iv.i32[FRM_OFF >> 2] = run.rm === 7 ? run.frm : 6;
  const ok = execFp(iv, opOf(run.name) as never, run.sh.xDst ? XRD : FRD, run.sh.intSrc ? XRS : FRS[0], FRS[1], FRS[2], run.rm);
  if (!ok) throw new Error(`interpreter: ${run.name} rm=${run.rm} frm=${run.frm} is illegal`);
  return [idv.getBigUint64((run.sh.xDst ? X_OFF + 8 * XRD : F_OFF + 8 * FRD), true), iv.i32[FFLAGS_OFF >> 2]];
}

function describeRun(run: Run): string {
  return `${run.name} ${run.rm === 7 ? `dyn frm=${run.frm}` : `rm=${run.rm}`}${run.nx ? ' NX set' : ''} [${run.src.map(hex).join(' ')}]`;
}

/** The modes an instruction is run under: every static one, and every one through frm. */
function modes(hasRm: boolean): { rm: number; frm: number }[] {
  if (!hasRm) return [{ rm: 0, frm: 0 }];
  const out = [0, 1, 2, 3, 4].map((rm) => ({ rm, frm: 0 }));
  for (let frm = 0; frm < 5; frm++) out.push({ rm: 7, frm });
  return out;
}

class Mismatches {
  readonly shown: string[] = [];
  count = 0;
  runs = 0;

  check(run: Run, got: [bigint, number], want: [bigint, number]): void {
    this.runs++;
    if (got[0] === want[0] && got[1] === want[1]) return;
    this.count++;
    if (this.shown.length < 20) {
      this.shown.push(`${describeRun(run)}: jit ${hex(got[0])} flags ${got[1].toString(16)}, want ${hex(want[0])} flags ${want[1].toString(16)}`);
    }
  }
}

const vecs = loadVectors();
const NAMES = [...new Set(vecs.map((x) => x.name))];

describe('JIT FP instructions against the qemu-riscv64 vectors', () => {
  it('covers every F/D instruction but loads and stores', () => {
    expect(NAMES.length).toBe(58);
  });

  for (const name of NAMES) {
    it(name, () => {
      const bad = new Mismatches();
      for (const vec of vecs.filter((x: Vec) => x.name === name)) {
        for (const { rm, frm } of modes(vec.res.length === 5)) {
          const mode = rm === 7 ? frm : rm;
          for (const nx of [false, true]) {
            const run: Run = { name, sh: vec.sh, src: vec.src, rm, frm, nx };
            bad.check(run, jit(run), [vec.res[mode], vec.fl[mode] | (nx ? 1 : 0)]);
          }
        }
      }
      expect(bad.shown, `${bad.count} of ${bad.runs} runs differ`).toEqual([]);
      expect(bad.runs).toBeGreaterThan(700);
    });
  }
});

// Values at and next to the edges of the inline fast paths (fp.ts's TINY, BIG, HUGE,
// SQRT_LOW, SQRT_HIGH, the smallest normals, the largest finite values, integer ranges)
// and the special values.
const f64Of = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0];
const f32Of = (x: number): bigint => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0]) | 0xffffffff00000000n;
function neighbours(bits: bigint, f32: boolean): bigint[] {
  const mask = f32 ? 0xffffffffn : (1n << 64n) - 1n;
  const box = f32 ? 0xffffffff00000000n : 0n;
  const low = bits & mask;
  return [low - 1n, low, low + 1n].filter((b) => b >= 0n && b <= mask).map((b) => b | box);
}
function boundaries(f32: boolean): bigint[] {
  const of = f32 ? f32Of : f64Of;
  const points = f32
    ? [2 ** -126, 2 ** -149, 3.4028234663852886e38, 1, 1.5, 2 ** 24, 2 ** 31, 2 ** 32, 2 ** 63, 2 ** 64, 0.5, 2.5, 1 / 3]
    : [2 ** -968, 2 ** 995, 2 ** 1023, 2 ** -960, 2 ** 1000, 2 ** -1022, 2 ** -1074, 1.7976931348623157e308, 1, 1.5,
      2 ** 53, 2 ** 31, 2 ** 32, 2 ** 63, 2 ** 64, 0.5, 2.5, 1 / 3];
  const out: bigint[] = [];
  for (const p of points) for (const s of [1, -1]) out.push(...neighbours(of(s * p), f32));
  const special = f32
    ? [0n, 0x80000000n, 0x7f800000n, 0xff800000n, 0x7fc00000n, 0x7fa00001n, 0xffc12345n].map((b) => b | 0xffffffff00000000n)
    : [0n, 1n << 63n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0x7ff0000000000123n, 0xfff8000000abcdefn];
  if (f32) special.push(0x3f800000n); // a single that is not NaN-boxed
  return [...out, ...special];
}

const ARITH = ['fadd', 'fsub', 'fmul', 'fdiv', 'fsqrt', 'fmadd', 'fmsub', 'fnmsub', 'fnmadd'];
const CONVERSIONS = ['fcvt.s.d', 'fcvt.d.s', 'fcvt.w.s', 'fcvt.wu.s', 'fcvt.l.s', 'fcvt.lu.s', 'fcvt.w.d', 'fcvt.wu.d',
  'fcvt.l.d', 'fcvt.lu.d', 'fcvt.s.w', 'fcvt.s.wu', 'fcvt.s.l', 'fcvt.s.lu', 'fcvt.d.w', 'fcvt.d.wu', 'fcvt.d.l', 'fcvt.d.lu'];
const OTHERS = ['fmin', 'fmax', 'feq', 'flt', 'fle', 'fclass', 'fsgnj', 'fsgnjn', 'fsgnjx'];

/** Modes for the random and boundary runs: the inline paths (rne, frm = 0) with NX clear
 * and set, and the others once. */
const FUZZ_MODES: readonly { rm: number; frm: number; nx: boolean }[] = [
  { rm: 0, frm: 0, nx: false }, { rm: 0, frm: 0, nx: true }, { rm: 7, frm: 0, nx: false }, { rm: 7, frm: 0, nx: true },
  { rm: 1, frm: 0, nx: false }, { rm: 2, frm: 0, nx: false }, { rm: 3, frm: 0, nx: true }, { rm: 4, frm: 0, nx: false },
  { rm: 7, frm: 1, nx: false }, { rm: 7, frm: 4, nx: false },
];

function compareAll(name: string, operands: Iterable<bigint[]>): Mismatches {
  const bad = new Mismatches();
  const sh = shape(name);
  const hasRm = (ENCODINGS[opOf(name)].mask & 0x7000) === 0;
  for (const src of operands) {
    for (const { rm, frm, nx } of hasRm ? FUZZ_MODES : FUZZ_MODES.slice(0, 2)) {
      const run: Run = { name, sh, src, rm, frm, nx };
      bad.check(run, jit(run), interp(run));
    }
  }
  return bad;
}

function* pairs(values: readonly bigint[], arity: number): Generator<bigint[]> {
  for (const a of values) {
    if (arity === 1) { yield [a]; continue; }
    for (const b of values) {
      if (arity === 2) yield [a, b];
      else for (const c of [values[rn(values.length)], a, b]) yield [a, b, c];
    }
  }
}

/** An integer operand near the edges of the conversions. */
function randomInt(): bigint {
  const edges = [0n, 1n, -1n, 1n << 24n, 1n << 31n, 1n << 32n, 1n << 53n, 1n << 63n, (1n << 64n) - 1n];
  const base = edges[rn(edges.length)];
  return BigInt.asUintN(64, rn(3) === 0 ? rndBits(64) : base + BigInt(rn(9)) - 4n + (rn(2) ? rndBits(rn(40)) : 0n));
}

describe('JIT FP instructions against the interpreter', () => {
  for (const f32 of [false, true]) {
    const suffix = f32 ? 's' : 'd';
    for (const base of ARITH) {
      const name = `${base}.${suffix}`;
      const arity = base === 'fsqrt' ? 1 : base.includes('m') && base !== 'fmul' ? 3 : 2;
      it(`${name} on boundary values`, () => {
        reseed(0x5eed + arity);
        const bad = compareAll(name, pairs(boundaries(f32), arity));
        expect(bad.shown, `${bad.count} of ${bad.runs} runs differ`).toEqual([]);
      });
      it(`${name} on random operands`, () => {
        reseed(0x1234 + ARITH.indexOf(base) * 2 + (f32 ? 1 : 0));
        const operands = function* () {
          for (let t = 0; t < 2000 * FUZZ_SCALE; t++) {
            const a = rval(f32);
            const b = base === 'fdiv' && rn(2) ? rval(f32) : rval(f32, a);
            const c = arity === 3 && rn(2) ? nearProduct(f32, a, b) : rval(f32, a);
            yield [a, b, c].slice(0, arity);
            if (arity === 3) yield fmaTie(f32);
          }
        };
        const bad = compareAll(name, operands());
        expect(bad.shown, `${bad.count} of ${bad.runs} runs differ`).toEqual([]);
      });
    }
    for (const base of OTHERS) {
      const name = `${base}.${suffix}`;
      it(`${name} on boundary values`, () => {
        const bad = compareAll(name, pairs(boundaries(f32), base === 'fclass' ? 1 : 2));
        expect(bad.shown, `${bad.count} of ${bad.runs} runs differ`).toEqual([]);
      });
    }
  }

  for (const name of CONVERSIONS) {
    it(`${name} on boundary and random values`, () => {
      reseed(0x777 + CONVERSIONS.indexOf(name));
      const sh = shape(name);
      const operands = function* () {
        if (sh.intSrc) {
          for (let t = 0; t < 3000 * FUZZ_SCALE; t++) yield [randomInt()];
          return;
        }
        yield* pairs(boundaries(sh.f32src), 1);
        for (let t = 0; t < 3000 * FUZZ_SCALE; t++) {
          // integers and halves near the edges of the integer ranges, and anything
          const x = Number(BigInt.asIntN(64, randomInt())) + [0, 0.5, 0.25, 0.75][rn(4)] * (rn(2) ? 1 : -1);
          yield [rn(2) ? (sh.f32src ? f32Of(x) : f64Of(x)) : rval(sh.f32src)];
        }
      };
      const bad = compareAll(name, operands());
      expect(bad.shown, `${bad.count} of ${bad.runs} runs differ`).toEqual([]);
    });
  }
});

describe('JIT FP rounding-mode traps', () => {
  it('a dynamic mode with a reserved frm raises SIGILL and changes nothing', () => {
    for (const name of NAMES.filter((n) => vecs.find((x) => x.name === n)!.res.length === 5)) {
      const sh = shape(name);
      for (const frm of [5, 6, 7]) {
        const run: Run = { name, sh, src: [0x3ff8000000000000n, 0xffffffff3fc00000n, 0x4000000000000000n], rm: 7, frm, nx: false };
        const m = h.m;
        setOperands((r, x) => m.setX(r, x), (r, x) => m.setF(r, x), run);
        m.fflags = 0;
        m.frm = frm;
        let trap: unknown;
        try {
          h.run(regionOf(name, 7));
        } catch (e) {
          trap = e;
        }
        expect(trap, `${name} frm=${frm}`).toBeInstanceOf(Trap);
        expect((trap as Trap).signo).toBe(4);
        expect(h.pc).toBe(BASE);
        expect(sh.xDst ? m.getX(XRD) : m.getF(FRD)).toBe(GARBAGE);
        expect(m.fflags).toBe(0);
      }
    }
  });

  it('a reserved static mode raises SIGILL', () => {
    for (const rm of [5, 6]) {
      h.m.fflags = 0;
      expect(() => h.run(compile([encode('fadd.d', rm)]))).toThrow(Trap);
      expect(h.pc).toBe(BASE);
    }
  });

  it('a trap after other FP instructions leaves their results and flags in the state block', () => {
    // fadd.d f4, f1, f2 (rne: 1 + 2^-60 is inexact), then fmul.d f4, f1, f2, dyn with frm = 5
    const r = compile([encode('fadd.d', 0), encode('fmul.d', 7)]);
    h.m.setF(1, f64Of(1));
    h.m.setF(2, f64Of(2 ** -60));
    h.m.setF(FRD, GARBAGE);
    h.m.fflags = 0;
    h.m.frm = 5;
    expect(() => h.run(r)).toThrow(Trap);
    expect(h.pc).toBe(BASE + 4);
    expect(h.m.getF(FRD)).toBe(f64Of(1));
    expect(h.m.fflags).toBe(1);
  });
});
