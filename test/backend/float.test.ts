// Float lowering: canonical NaNs (RISC-V spec 11.3), fmin/fmax as minimumNumber /
// maximumNumber with -0 < +0, saturating conversions with NaN -> maximum, quiet
// comparisons, exact fma, bitwise sign ops that keep NaN payloads.
import { describe, expect, it } from 'vitest';
import { EMITTERS, Harness } from './harness.js';

describe.each(EMITTERS)('%s emitter', (emitter) => {
  const h = new Harness(emitter);
  const buf = new DataView(new ArrayBuffer(8));
  const f64bits = (x: number) => { buf.setFloat64(0, x); return buf.getBigUint64(0); };
  const bitsF64 = (b: bigint) => { buf.setBigUint64(0, BigInt.asUintN(64, b)); return buf.getFloat64(0); };
  const f32bits = (x: number) => { buf.setFloat32(0, x); return BigInt(buf.getUint32(0)); };
  const CNAN64 = 0x7ff8000000000000n, CNAN32 = 0x7fc00000n;
  const SNAN64 = 0x7ff0000000000badn, QNAN64_PAYLOAD = 0xfff8000000000123n;

  /** f12 = op(f10, f11) on f64 raw bits. */
  function f64op(op: string): ReturnType<Harness['compile']> {
    const unary = op === 'fsqrt' || op === 'fneg' || op === 'fabs';
    return h.compile(`region @0x1000 {
  block0:
      v0:i64 = getfreg f10
      v1:i64 = getfreg f11
      v2:f64 = bitcast.f64 v0
      v3:f64 = bitcast.f64 v1
      v4:f64 = ${op}.f64 v2${unary ? '' : ', v3'}
      v5:i64 = bitcast.i64 v4
      setfreg f12, v5
      exit 0x1004
  }`);
  }

  function run(r: ReturnType<Harness['compile']>, a: bigint, b: bigint): bigint {
    h.m.setF(10, a);
    h.m.setF(11, b);
    h.run(r);
    return h.m.getF(12);
  }

  describe('f64 arithmetic', () => {
    it('gives the canonical NaN for any NaN result', () => {
      for (const op of ['fadd', 'fsub', 'fmul', 'fdiv']) {
        const r = f64op(op);
        expect(run(r, SNAN64, f64bits(1))).toBe(CNAN64);
        expect(run(r, QNAN64_PAYLOAD, f64bits(1))).toBe(CNAN64);
        expect(run(r, f64bits(1), f64bits(2))).toBe(f64bits(({ fadd: 3, fsub: -1, fmul: 2, fdiv: 0.5 } as Record<string, number>)[op]));
      }
      expect(run(f64op('fsqrt'), f64bits(-1), 0n)).toBe(CNAN64);
      expect(run(f64op('fdiv'), f64bits(0), f64bits(0))).toBe(CNAN64);
      expect(run(f64op('fsub'), f64bits(Infinity), f64bits(Infinity))).toBe(CNAN64);
    });

    it('keeps NaN payloads in sign operations', () => {
      expect(run(f64op('fneg'), QNAN64_PAYLOAD, 0n)).toBe(0x7ff8000000000123n);
      expect(run(f64op('fabs'), QNAN64_PAYLOAD, 0n)).toBe(0x7ff8000000000123n);
      expect(run(f64op('fcopysign'), SNAN64, f64bits(-1))).toBe(SNAN64 | (1n << 63n));
    });

    it('fmin and fmax are minimumNumber / maximumNumber', () => {
      const fmin = f64op('fmin'), fmax = f64op('fmax');
      expect(run(fmin, SNAN64, f64bits(2))).toBe(f64bits(2));
      expect(run(fmin, f64bits(2), QNAN64_PAYLOAD)).toBe(f64bits(2));
      expect(run(fmin, SNAN64, QNAN64_PAYLOAD)).toBe(CNAN64);
      expect(run(fmax, SNAN64, f64bits(-3))).toBe(f64bits(-3));
      expect(run(fmin, f64bits(-0), f64bits(0))).toBe(f64bits(-0));
      expect(run(fmin, f64bits(0), f64bits(-0))).toBe(f64bits(-0));
      expect(run(fmax, f64bits(-0), f64bits(0))).toBe(f64bits(0));
      expect(run(fmax, f64bits(1), f64bits(5))).toBe(f64bits(5));
    });

    it('fma rounds once', () => {
      const r = h.compile(`region @0x1100 {
  block0:
      v0:i64 = getfreg f10
      v1:i64 = getfreg f11
      v2:i64 = getfreg f12
      v3:f64 = bitcast.f64 v0
      v4:f64 = bitcast.f64 v1
      v5:f64 = bitcast.f64 v2
      v6:f64 = fma.f64 v3, v4, v5
      v7:i64 = bitcast.i64 v6
      setfreg f13, v7
      exit 0x1104
  }`);
      // (1 + 2^-52)^2 - (1 + 2^-51) = 2^-104 exactly; a separate rounding gives 0.
      const a = 1 + 2 ** -52;
      h.m.setF(10, f64bits(a));
      h.m.setF(11, f64bits(a));
      h.m.setF(12, f64bits(-(1 + 2 ** -51)));
      h.run(r);
      expect(bitsF64(h.m.getF(13))).toBe(2 ** -104);
    });
  });

  describe('conversions and comparisons', () => {
    it('fcvt_to_sint/uint saturate, NaN gives the maximum', () => {
      const r = h.compile(`region @0x1200 {
  block0:
      v0:i64 = getfreg f10
      v1:f64 = bitcast.f64 v0
      v2:i64 = fcvt_to_sint.i64 v1
      v3:i64 = fcvt_to_uint.i64 v1
      v4:i32 = fcvt_to_sint.i32 v1
      v5:i32 = fcvt_to_uint.i32 v1
      v6:i64 = extend v4, signed
      v7:i64 = extend v5, signed
      setreg x10, v2
      setreg x11, v3
      setreg x12, v6
      setreg x13, v7
      exit 0x1204
  }`);
      const cases: [number | bigint, bigint, bigint, bigint, bigint][] = [
        [CNAN64, (1n << 63n) - 1n, -1n, 0x7fffffffn, -1n],
        [-1.5, -1n, 0n, -1n, 0n],
        [1e30, (1n << 63n) - 1n, -1n, 0x7fffffffn, -1n],
        [-1e30, -(1n << 63n), 0n, -0x80000000n, 0n],
        [3.99, 3n, 3n, 3n, 3n],
      ];
      for (const [x, sl, ul, sw, uw] of cases) {
        h.m.setF(10, typeof x === 'bigint' ? x : f64bits(x));
        h.run(r);
        expect([h.x(10), h.x(11), h.x(12), h.x(13)], `fcvt ${x}`).toEqual([sl, ul, sw, uw]);
      }
    });

    it('f32 through NaN-boxed registers, promote/demote canonicalize', () => {
      const r = h.compile(`region @0x1300 {
  block0:
      v0:i64 = getfreg f10
      v1:i32 = trunc v0
      v2:f32 = bitcast.f32 v1
      v3:f32 = fadd.f32 v2, v2
      v4:f64 = fpromote v2
      v5:i32 = bitcast.i32 v3
      v6:i64 = extend v5, unsigned
      v7:i64 = iconst.i64 -0x100000000
      v8:i64 = or.i64 v6, v7
      setfreg f11, v8
      v9:i64 = bitcast.i64 v4
      setfreg f12, v9
      v10:i32 = fcmp uno v2, v2
      v11:i32 = fcmp ord v2, v2
      v12:i32 = fcmp ne v2, v2
      v13:i64 = extend v10, unsigned
      v14:i64 = extend v11, unsigned
      v15:i64 = extend v12, unsigned
      setreg x10, v13
      setreg x11, v14
      setreg x12, v15
      exit 0x1304
  }`);
      h.m.setF(10, 0xffffffff00000000n | f32bits(1.5));
      h.run(r);
      expect(h.m.getF(11)).toBe(0xffffffff00000000n | f32bits(3));
      expect(h.m.getF(12)).toBe(f64bits(1.5));
      expect([h.x(10), h.x(11), h.x(12)]).toEqual([0n, 1n, 0n]);
      h.m.setF(10, 0xffffffff7f800123n); // an f32 signaling NaN
      h.run(r);
      expect(h.m.getF(11)).toBe(0xffffffff00000000n | CNAN32);
      expect(h.m.getF(12)).toBe(CNAN64);
      expect([h.x(10), h.x(11), h.x(12)]).toEqual([1n, 0n, 1n]);
    });
  });
});
