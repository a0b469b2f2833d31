//! 64-bit integer helpers for the interpreter, which keeps every register as two int32
//! words (lo, hi): V8 runs int32 arithmetic natively but allocates for every BigInt.
//! Results come back through the module-level `rLo`/`rHi` so that nothing allocates.

export let rLo = 0;
export let rHi = 0;

/** High 32 bits of the unsigned 64-bit product of two 32-bit words, given as int32 (as the
 * registers hold them): callers pass no `>>> 0`, whose uint32 results above 2^31 would not
 * be small integers and make V8 deoptimize this function once it has seen only small ones. */
export function umulh32(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** Low 64 bits of a 64x64 product. */
export function mul64(alo: number, ahi: number, blo: number, bhi: number): void {
  rLo = Math.imul(alo, blo);
  rHi = (umulh32(alo, blo) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
}

const TWO32 = 4294967296;

/** High 64 bits of the unsigned 128-bit product (mulhu). */
export function mulhu64(alo: number, ahi: number, blo: number, bhi: number): void {
  const llHi = umulh32(alo, blo) >>> 0;
  const lhLo = Math.imul(alo, bhi) >>> 0, lhHi = umulh32(alo, bhi) >>> 0;
  const hlLo = Math.imul(ahi, blo) >>> 0, hlHi = umulh32(ahi, blo) >>> 0;
  const hhLo = Math.imul(ahi, bhi) >>> 0, hhHi = umulh32(ahi, bhi) >>> 0;
  const w1 = llHi + lhLo + hlLo;
  const w2 = hhLo + lhHi + hlHi + Math.floor(w1 / TWO32);
  rLo = w2 | 0; // ToInt32 wraps modulo 2^32
  rHi = (hhHi + Math.floor(w2 / TWO32)) | 0;
}

/** Subtracts (blo, bhi) from (rLo, rHi). */
function subFromResult(blo: number, bhi: number): void {
  const lo = (rLo - blo) | 0;
  rHi = (rHi - bhi - ((rLo >>> 0) < (blo >>> 0) ? 1 : 0)) | 0;
  rLo = lo;
}

/** High 64 bits of the signed x signed product (mulh): mulhu corrected for negative operands. */
export function mulh64(alo: number, ahi: number, blo: number, bhi: number): void {
  mulhu64(alo, ahi, blo, bhi);
  if (ahi < 0) subFromResult(blo, bhi);
  if (bhi < 0) subFromResult(alo, ahi);
}

/** High 64 bits of the signed x unsigned product (mulhsu). */
export function mulhsu64(alo: number, ahi: number, blo: number, bhi: number): void {
  mulhu64(alo, ahi, blo, bhi);
  if (ahi < 0) subFromResult(blo, bhi);
}

const toBig = (lo: number, hi: number) => (BigInt(hi) << 32n) | BigInt(lo >>> 0);
function setFromBig(v: bigint): void {
  rLo = Number(BigInt.asIntN(32, v));
  rHi = Number(BigInt.asIntN(32, v >> 32n));
}

/** Fits in an int32, i.e. the high word is the sign extension of the low word. */
const isSmall = (lo: number, hi: number) => hi === lo >> 31;

/** Signed division (div: quotient, rem: remainder), RISC-V rules for zero and overflow. */
export function div64(alo: number, ahi: number, blo: number, bhi: number, wantRem: boolean): void {
  if (blo === 0 && bhi === 0) { // division by zero: quotient all ones, remainder the dividend
    if (wantRem) { rLo = alo; rHi = ahi; } else { rLo = -1; rHi = -1; }
    return;
  }
  if (isSmall(alo, ahi) && isSmall(blo, bhi) && !(alo === -2147483648 && blo === -1)) {
    const r = wantRem ? alo % blo : Math.trunc(alo / blo);
    rLo = r | 0;
    rHi = r < 0 ? -1 : 0; // -0 compares equal to 0, so it gets a zero high word
    return;
  }
  const a = toBig(alo, ahi), b = toBig(blo, bhi);
  if (a === -(1n << 63n) && b === -1n) { // overflow: quotient the dividend, remainder 0
    if (wantRem) { rLo = 0; rHi = 0; } else { rLo = alo; rHi = ahi; }
    return;
  }
  setFromBig(wantRem ? a % b : a / b);
}

/** Unsigned division and remainder. */
export function divu64(alo: number, ahi: number, blo: number, bhi: number, wantRem: boolean): void {
  if (blo === 0 && bhi === 0) {
    if (wantRem) { rLo = alo; rHi = ahi; } else { rLo = -1; rHi = -1; }
    return;
  }
  if (ahi === 0 && bhi === 0) {
    const a = alo >>> 0, b = blo >>> 0;
    rLo = (wantRem ? a % b : Math.floor(a / b)) | 0;
    rHi = 0;
    return;
  }
  const a = BigInt.asUintN(64, toBig(alo, ahi)), b = BigInt.asUintN(64, toBig(blo, bhi));
  setFromBig(wantRem ? a % b : a / b);
}
