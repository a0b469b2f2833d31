// Seeded random FP operands in the awkward ranges (near overflow, subnormal, short and full
// mantissas, close to another operand for cancellation and ties), as raw register bits;
// shared by the interpreter's and the JIT's FP tests.

let seed = 0x12345678;

/** Restarts the sequence. */
export function reseed(s: number): void {
  seed = s;
}
export function rnd32(): number { // xorshift32
  seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
  return seed >>> 0;
}
export const rn = (n: number): number => rnd32() % n;
export function rndBits(k: number): bigint { // k random low bits
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
export function rval(f32: boolean, near?: bigint): bigint {
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

/** An addend close to +-a*b (register bits), for cancellation in fused multiply-adds. */
export function nearProduct(f32: boolean, a: bigint, b: bigint): bigint {
  const fa = f32 ? new Float32Array(new BigUint64Array([a]).buffer)[0] : new Float64Array(new BigUint64Array([a]).buffer)[0];
  const fb = f32 ? new Float32Array(new BigUint64Array([b]).buffer)[0] : new Float64Array(new BigUint64Array([b]).buffer)[0];
  let pbits = f32 ? BigInt(new Uint32Array(new Float32Array([fa * fb]).buffer)[0]) | 0xffffffff00000000n
    : new BigUint64Array(new Float64Array([fa * fb]).buffer)[0];
  pbits ^= rndBits(rn(f32 ? 24 : 53));
  return rn(2) ? pbits : rval(f32, pbits);
}

/**
 * Operands of fmadd whose exact result a*b + c is a midpoint between two neighbouring
 * floats (a tie of round-to-nearest), with c cancelling the low half of the product
 * so that the rounding has to look at every bit: a, b with random significands, and
 * c = (the product cut to p bits, plus half its last place) - a*b.
 */
export function fmaTie(f32: boolean): [bigint, bigint, bigint] {
  const p = f32 ? 24 : 53;
  const sig = () => (1n << BigInt(p - 1)) | rndBits(p - 1);
  const A = sig(), B = sig();
  const P = A * B; // a*b scaled by 2^(2p-2)
  const shift = BigInt(P.toString(2).length - p);
  const L = P - ((P >> shift) << shift);
  const C = (1n << (shift - 1n)) - L; // fits in p bits
  const scale = 2 ** (rn(40) - 20);
  const sign = rn(2) ? -1 : 1;
  const a = sign * Number(A) * 2 ** -(p - 1) * scale, b = Number(B) * 2 ** -(p - 1);
  const c = sign * Number(C) * 2 ** -(2 * p - 2) * scale;
  const bits = (x: number) => f32 ? BigInt(new Uint32Array(new Float32Array([x]).buffer)[0]) | 0xffffffff00000000n
    : new BigUint64Array(new Float64Array([x]).buffer)[0];
  return [bits(a), bits(b), bits(c)];
}
