//! Seeded random RV64GC instruction sequences for the lockstep (JIT vs interpreter) test.
//! A sequence is straight-line code, forward branches inside it, and counted loops
//! (x18 decremented to zero, backward bne), ending in ebreak. It never jumps out of
//! itself, never uses ecall, and never encodes an illegal instruction (rounding modes
//! 0..4 and dyn only, with frm kept in 0..4 by every CSR write).

export const DATA = 0x20000;
/** Pages mapped read-write at DATA. */
export const DATA_PAGES = 2;
/** x9 (s1): base register of loads/stores, at the boundary between the data pages. */
export const BASE = 9;
export const BASE_VALUE = DATA + 0x1000;
/** x2 (sp): base of the sp-relative compressed loads/stores, below the boundary. */
export const SP = 2;
export const SP_VALUE = DATA + 0x1000 - 256;
/** x18 (s2): loop counter. */
export const COUNTER = 18;
/** x19 (s3): address register of AMOs and LR/SC (always aligned into the data pages). */
export const ADDR = 19;
export const RESERVED = new Set([0, SP, BASE, COUNTER, ADDR]);

/** One instruction: its encoding and length (2 = compressed, low 16 bits). */
export interface Inst {
  bits: number;
  len: 2 | 4;
}

/** sfc32: small, fast, seeded. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor((this.u32() / 4294967296) * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }

  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
}

// ---- encoders -----------------------------------------------------------------------

const r = (f7: number, rs2: number, rs1: number, f3: number, rd: number, op: number): number =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const i = (imm: number, rs1: number, f3: number, rd: number, op: number): number =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const s = (imm: number, rs2: number, rs1: number, f3: number, op: number): number =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | op) >>> 0;
const b = (imm: number, rs2: number, rs1: number, f3: number): number =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12)
    | (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63) >>> 0;
const u = (imm20: number, rd: number, op: number): number => (((imm20 & 0xfffff) << 12) | (rd << 7) | op) >>> 0;
const jal = (imm: number, rd: number): number =>
  ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20)
    | (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f) >>> 0;
const r4 = (rs3: number, fmt: number, rs2: number, rs1: number, rm: number, rd: number, op: number): number =>
  ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | op) >>> 0;
const bit = (v: number, n: number): number => (v >> n) & 1;
const bits = (v: number, hi: number, lo: number): number => (v >> lo) & ((1 << (hi - lo + 1)) - 1);

export const EBREAK: Inst = { bits: 0x00100073, len: 4 };

const w = (x: number): Inst => ({ bits: x >>> 0, len: 4 });
const c = (x: number): Inst => ({ bits: x & 0xffff, len: 2 });

/** `li rd, v` for -2048 <= v < 2048. */
export const li = (rd: number, v: number): Inst => w(i(v, 0, 0, rd, 0x13));
/** `lui rd, hi; addi rd, rd, lo` for a 32-bit value. */
function li32(rd: number, v: number): Inst[] {
  const lo = ((v & 0xfff) << 20) >> 20;
  const hi = ((v - lo) >>> 12) & 0xfffff;
  const out = [w(u(hi, rd, 0x37))];
  if (lo !== 0) out.push(w(i(lo, rd, 0, rd, 0x13)));
  return out;
}

// ---- generator ----------------------------------------------------------------------

/** A pending instruction: either encoded, or a forward branch `skip` instructions ahead. */
type Item = Inst | { branch: (offset: number) => Inst; len: 2 | 4; skip: number };

const ROUNDING = [0, 1, 2, 3, 4, 7, 7];
const COMPRESSED_REGS = [8, 10, 11, 12, 13, 14, 15]; // x8..x15 without BASE

export interface GenOptions {
  /** Approximate number of instructions. */
  length: number;
  /** Probability that a segment is a counted loop. */
  loops: number;
  /** Mostly F/D arithmetic, conversions and fcsr accesses. */
  fpHeavy?: boolean;
}

export class Generator {
  private fpHeavy = false;

  constructor(private readonly rng: Rng) {}

  /** Destination: any x register but the reserved ones (x0 now and then). */
  private rd(): number {
    if (this.rng.chance(0.03)) return 0;
    for (;;) {
      const x = this.rng.int(1, 31);
      if (!RESERVED.has(x)) return x;
    }
  }

  /** Source: any x register. */
  private rs(): number {
    return this.rng.int(0, 31);
  }

  private cr(): number {
    return this.rng.pick(COMPRESSED_REGS);
  }

  private fr(): number {
    return this.rng.int(0, 31);
  }

  private rm(): number {
    return this.rng.pick(ROUNDING);
  }

  /** Offset from BASE for an access of `size` bytes: aligned or not, near the page boundary or not. */
  private offset(size: number): number {
    const g = this.rng;
    let off: number;
    switch (g.int(0, 3)) {
      case 0: off = g.int(-2048, 2040); break;
      case 1: off = g.int(-16, 16); break; // around the page boundary at BASE
      case 2: off = -size + g.int(1, size - 1 || 1); break; // straddles it
      default: off = g.int(-64, 64); break;
    }
    if (g.chance(0.6)) off &= ~(size - 1); // mostly aligned
    return Math.max(-2048, Math.min(2047 - size, off));
  }

  private alu(out: Item[]): void {
    const g = this.rng;
    const rd = this.rd(), rs1 = this.rs(), rs2 = this.rs();
    switch (g.int(0, 7)) {
      case 0: case 1: { // OP
        const [f7, f3] = g.pick([[0, 0], [0x20, 0], [0, 1], [0, 2], [0, 3], [0, 4], [0, 5], [0x20, 5], [0, 6], [0, 7]]);
        out.push(w(r(f7!, rs2, rs1, f3!, rd, 0x33)));
        break;
      }
      case 2: { // OP-32
        const [f7, f3] = g.pick([[0, 0], [0x20, 0], [0, 1], [0, 5], [0x20, 5]]);
        out.push(w(r(f7!, rs2, rs1, f3!, rd, 0x3b)));
        break;
      }
      case 3: case 4: { // OP-IMM
        const f3 = g.pick([0, 1, 2, 3, 4, 5, 6, 7]);
        if (f3 === 1) out.push(w(i(g.int(0, 63), rs1, 1, rd, 0x13)));
        else if (f3 === 5) out.push(w(i(g.int(0, 63) | (g.chance(0.5) ? 0x400 : 0), rs1, 5, rd, 0x13)));
        else out.push(w(i(g.int(-2048, 2047), rs1, f3, rd, 0x13)));
        break;
      }
      case 5: { // OP-IMM-32
        const f3 = g.pick([0, 1, 5]);
        if (f3 === 0) out.push(w(i(g.int(-2048, 2047), rs1, 0, rd, 0x1b)));
        else out.push(w(i(g.int(0, 31) | (f3 === 5 && g.chance(0.5) ? 0x400 : 0), rs1, f3, rd, 0x1b)));
        break;
      }
      case 6: out.push(w(u(g.u32() >>> 12, rd, g.chance(0.8) ? 0x37 : 0x17))); break; // lui/auipc
      default: out.push(li(rd, g.pick([0, -1, 1, 2047, -2048, g.int(-2048, 2047)]))); break;
    }
  }

  private muldiv(out: Item[]): void {
    const g = this.rng;
    const rd = this.rd();
    let rs1 = this.rs(), rs2 = this.rs();
    // Division by zero and overflow operands.
    if (g.chance(0.25)) {
      const t = this.rd() || 1;
      out.push(li(t, g.pick([0, -1])));
      if (g.chance(0.5)) rs2 = t; else rs1 = t;
    }
    if (g.chance(0.15)) { // INT64_MIN / INT32_MIN
      const t = this.rd() || 1;
      out.push(li(t, 1), w(i(g.pick([63, 31]), t, 1, t, 0x13)));
      rs1 = t;
      const m1 = this.rd() || 1;
      out.push(li(m1, -1));
      rs2 = m1;
    }
    if (g.chance(0.65)) out.push(w(r(1, rs2, rs1, g.int(0, 7), rd, 0x33)));
    else out.push(w(r(1, rs2, rs1, g.pick([0, 4, 5, 6, 7]), rd, 0x3b)));
  }

  private memory(out: Item[]): void {
    const g = this.rng;
    if (g.chance(0.5)) { // load
      const f3 = g.pick([0, 1, 2, 3, 4, 5, 6]);
      const size = 1 << (f3 & 3);
      out.push(w(i(this.offset(size), g.chance(0.85) ? BASE : SP, f3, this.rd(), 0x03)));
    } else {
      const f3 = g.int(0, 3);
      out.push(w(s(this.offset(1 << f3), this.rs(), g.chance(0.85) ? BASE : SP, f3, 0x23)));
    }
  }

  private fpMemory(out: Item[]): void {
    const g = this.rng;
    const d = g.chance(0.5);
    const size = d ? 8 : 4;
    if (g.chance(0.5)) out.push(w(i(this.offset(size), BASE, d ? 3 : 2, this.fr(), 0x07)));
    else out.push(w(s(this.offset(size), this.fr(), BASE, d ? 3 : 2, 0x27)));
  }

  /** ADDR = SP + an 8-aligned offset (so even a stale ADDR suits every AMO). */
  private address(out: Item[]): void {
    const off = (this.rng.int(-2040, 2040) & ~7) | 0;
    out.push(w(i(off, SP, 0, ADDR, 0x13))); // SP never moves and is aligned
  }

  private atomic(out: Item[]): void {
    const g = this.rng;
    const d = g.chance(0.5);
    const f3 = d ? 3 : 2;
    const aqrl = g.int(0, 3);
    if (g.chance(0.7)) {
      this.address(out);
      const f5 = g.pick([0b00000, 0b00001, 0b00100, 0b01000, 0b01100, 0b10000, 0b10100, 0b11000, 0b11100]);
      out.push(w(r((f5 << 2) | aqrl, this.rs(), ADDR, f3, this.rd(), 0x2f)));
      return;
    }
    // LR/SC pair, a few ALU instructions between; sometimes a lone SC.
    this.address(out);
    if (g.chance(0.85)) out.push(w(r((0b00010 << 2) | aqrl, 0, ADDR, f3, this.rd(), 0x2f)));
    for (let k = g.int(0, 2); k > 0; k--) this.alu(out);
    if (g.chance(0.2)) this.address(out); // maybe another address
    out.push(w(r((0b00011 << 2) | g.int(0, 3), this.rs(), ADDR, f3, this.rd(), 0x2f)));
  }

  private fp(out: Item[]): void {
    const g = this.rng;
    const fmt = g.int(0, 1);
    const rd = this.fr(), rs1 = this.fr(), rs2 = this.fr();
    const opfp = (f5: number, rs2v: number, rs1v: number, f3: number, rdv: number): number =>
      r((f5 << 2) | fmt, rs2v, rs1v, f3, rdv, 0x53);
    switch (g.int(0, 12)) {
      case 0: case 1: case 2: out.push(w(opfp(g.int(0, 3), rs2, rs1, this.rm(), rd))); break; // add/sub/mul/div
      case 3: out.push(w(opfp(0x0b, 0, rs1, this.rm(), rd))); break; // sqrt
      case 4: out.push(w(r4(this.fr(), fmt, rs2, rs1, this.rm(), rd, g.pick([0x43, 0x47, 0x4b, 0x4f])))); break;
      case 5: out.push(w(opfp(0x04, rs2, rs1, g.int(0, 2), rd))); break; // fsgnj/n/x
      case 6: out.push(w(opfp(0x05, rs2, rs1, g.int(0, 1), rd))); break; // fmin/fmax
      case 7: out.push(w(opfp(0x14, rs2, rs1, g.int(0, 2), this.rd()))); break; // fle/flt/feq
      case 8: out.push(w(opfp(0x1c, 0, rs1, 1, this.rd()))); break; // fclass
      case 9: // fmv.x.w/d, fmv.w/d.x
        if (g.chance(0.5)) out.push(w(opfp(0x1c, 0, rs1, 0, this.rd())));
        else out.push(w(opfp(0x1e, 0, this.rs(), 0, rd)));
        break;
      case 10: out.push(w(opfp(0x18, g.int(0, 3), rs1, this.rm(), this.rd()))); break; // fcvt.{w,wu,l,lu}.fmt
      case 11: out.push(w(opfp(0x1a, g.int(0, 3), this.rs(), this.rm(), rd))); break; // fcvt.fmt.{w,wu,l,lu}
      default: // fcvt.s.d / fcvt.d.s
        out.push(w(r(fmt === 0 ? 0x20 : 0x21, fmt === 0 ? 1 : 0, rs1, this.rm(), rd, 0x53)));
        break;
    }
  }

  private csr(out: Item[]): void {
    const g = this.rng;
    const csr = g.int(1, 3); // fflags, frm, fcsr
    const rd = this.rd();
    const op = (f3: number, src: number): Inst => w(i(csr, src, f3, rd, 0x73));
    /** A register holding a value whose frm field (if any) is valid. */
    const valueReg = (): number => {
      const t = this.rd() || 1;
      const ff = g.int(0, 31), rm = g.int(0, 4);
      const v = csr === 1 ? g.int(-2048, 2047) : csr === 2 ? (g.int(0, 4) | (g.int(0, 255) << 3)) : (ff | (rm << 5) | (g.int(0, 7) << 8));
      out.push(li(t, v));
      return t;
    };
    switch (g.int(0, 5)) {
      case 0: out.push(op(2, 0)); break; // read (csrrs rd, csr, x0)
      case 1: out.push(op(1, valueReg())); break; // csrrw
      case 2: // csrrwi
        out.push(op(5, csr === 2 ? g.int(0, 4) : g.int(0, 31)));
        break;
      case 3: // csrrci: clearing bits keeps frm in 0..4
        out.push(op(7, g.int(0, 31)));
        break;
      case 4: // csrrsi: only fflags bits (fcsr) or anything (fflags)
        out.push(op(6, csr === 2 ? 0 : g.int(0, 31)));
        break;
      default: // csrrs/csrrc with a register
        if (csr === 2) out.push(op(3, this.rs()));
        else if (csr === 1) out.push(op(g.pick([2, 3]), this.rs()));
        else {
          const t = this.rd() || 1;
          out.push(li(t, g.int(0, 31)));
          out.push(op(g.pick([2, 3]), t));
        }
        break;
    }
  }

  private compressed(out: Item[]): void {
    const g = this.rng;
    const crd = this.cr(), crs = this.cr();
    const p = (x: number): number => x - 8;
    const nz6 = (): number => { for (;;) { const v = g.int(-32, 31); if (v !== 0) return v; } };
    switch (g.int(0, 21)) {
      case 0: { // c.addi4spn
        const imm = g.int(1, 255) * 4;
        out.push(c((bits(imm, 5, 4) << 11) | (bits(imm, 9, 6) << 7) | (bit(imm, 2) << 6) | (bit(imm, 3) << 5) | (p(crd) << 2)));
        break;
      }
      case 1: case 2: { // c.ld/c.sd/c.fld/c.fsd  (rs1' = BASE)
        const imm = g.int(0, 31) * 8;
        const f3 = g.pick([1, 3, 5, 7]);
        const reg = f3 === 1 || f3 === 5 ? g.int(8, 15) : f3 === 7 ? crs : crd;
        out.push(c((f3 << 13) | (bits(imm, 5, 3) << 10) | (p(BASE) << 7) | (bits(imm, 7, 6) << 5) | (p(reg) << 2)));
        break;
      }
      case 3: { // c.lw/c.sw
        const imm = g.int(0, 31) * 4;
        const f3 = g.pick([2, 6]);
        out.push(c((f3 << 13) | (bits(imm, 5, 3) << 10) | (p(BASE) << 7) | (bit(imm, 2) << 6) | (bit(imm, 6) << 5) | (p(f3 === 2 ? crd : crs) << 2)));
        break;
      }
      case 4: { // c.addi
        const rd = this.rd() || 1, imm = nz6();
        out.push(c((0 << 13) | (bit(imm, 5) << 12) | (rd << 7) | ((imm & 31) << 2) | 1));
        break;
      }
      case 5: { // c.addiw
        const rd = this.rd() || 1, imm = g.int(-32, 31);
        out.push(c((1 << 13) | (bit(imm, 5) << 12) | (rd << 7) | ((imm & 31) << 2) | 1));
        break;
      }
      case 6: { // c.li
        const rd = this.rd() || 1, imm = g.int(-32, 31);
        out.push(c((2 << 13) | (bit(imm, 5) << 12) | (rd << 7) | ((imm & 31) << 2) | 1));
        break;
      }
      case 7: { // c.lui
        const rd = this.rd() || 1, imm = nz6();
        out.push(c((3 << 13) | (bit(imm, 5) << 12) | (rd << 7) | ((imm & 31) << 2) | 1));
        break;
      }
      case 8: { // c.srli/c.srai
        const sh = g.int(1, 63);
        out.push(c((4 << 13) | (bit(sh, 5) << 12) | (g.int(0, 1) << 10) | (p(crd) << 7) | ((sh & 31) << 2) | 1));
        break;
      }
      case 9: { // c.andi
        const imm = g.int(-32, 31);
        out.push(c((4 << 13) | (bit(imm, 5) << 12) | (2 << 10) | (p(crd) << 7) | ((imm & 31) << 2) | 1));
        break;
      }
      case 10: case 11: { // c.sub/xor/or/and/subw/addw
        const [hi, f2] = g.pick([[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1]]);
        out.push(c((4 << 13) | (hi! << 12) | (3 << 10) | (p(crd) << 7) | (f2! << 5) | (p(crs) << 2) | 1));
        break;
      }
      case 12: { // c.slli
        const rd = this.rd() || 1, sh = g.int(1, 63);
        out.push(c((0 << 13) | (bit(sh, 5) << 12) | (rd << 7) | ((sh & 31) << 2) | 2));
        break;
      }
      case 13: { // c.ldsp / c.fldsp
        const imm = g.int(0, 63) * 8, fp = g.chance(0.3);
        const rd = fp ? this.fr() : (this.rd() || 1);
        out.push(c(((fp ? 1 : 3) << 13) | (bit(imm, 5) << 12) | (rd << 7) | (bits(imm, 4, 3) << 5) | (bits(imm, 8, 6) << 2) | 2));
        break;
      }
      case 14: { // c.lwsp
        const imm = g.int(0, 63) * 4, rd = this.rd() || 1;
        out.push(c((2 << 13) | (bit(imm, 5) << 12) | (rd << 7) | (bits(imm, 4, 2) << 4) | (bits(imm, 7, 6) << 2) | 2));
        break;
      }
      case 15: { // c.sdsp / c.fsdsp
        const imm = g.int(0, 63) * 8, fp = g.chance(0.3);
        out.push(c(((fp ? 5 : 7) << 13) | (bits(imm, 5, 3) << 10) | (bits(imm, 8, 6) << 7) | ((fp ? this.fr() : this.rs()) << 2) | 2));
        break;
      }
      case 16: { // c.swsp
        const imm = g.int(0, 63) * 4;
        out.push(c((6 << 13) | (bits(imm, 5, 2) << 9) | (bits(imm, 7, 6) << 7) | (this.rs() << 2) | 2));
        break;
      }
      case 17: case 18: { // c.mv / c.add
        const rd = this.rd() || 1, rs2 = g.int(1, 31);
        out.push(c((4 << 13) | (g.int(0, 1) << 12) | (rd << 7) | (rs2 << 2) | 2));
        break;
      }
      case 19: { // c.beqz/c.bnez forward
        const f3 = g.pick([6, 7]), rs1 = this.cr() === 8 ? 8 : g.int(8, 15);
        out.push({
          len: 2, skip: g.int(1, 3),
          branch: (o) => c((f3 << 13) | (bit(o, 8) << 12) | (bits(o, 4, 3) << 10) | (p(rs1) << 7) | (bits(o, 7, 6) << 5)
            | (bits(o, 2, 1) << 3) | (bit(o, 5) << 2) | 1),
        });
        break;
      }
      default: { // c.j forward
        out.push({
          len: 2, skip: g.int(1, 2),
          branch: (o) => c((5 << 13) | (bit(o, 11) << 12) | (bit(o, 4) << 11) | (bits(o, 9, 8) << 9) | (bit(o, 10) << 8)
            | (bit(o, 6) << 7) | (bit(o, 7) << 6) | (bits(o, 3, 1) << 3) | (bit(o, 5) << 2) | 1),
        });
        break;
      }
    }
  }

  private forward(out: Item[]): void {
    const g = this.rng;
    if (g.chance(0.8)) {
      const f3 = g.pick([0, 1, 4, 5, 6, 7]), rs1 = this.rs(), rs2 = this.rs();
      out.push({ len: 4, skip: g.int(1, 4), branch: (o) => w(b(o, rs2, rs1, f3)) });
    } else {
      const rd = this.rd();
      out.push({ len: 4, skip: g.int(1, 3), branch: (o) => w(jal(o, rd)) });
    }
  }

  /** One random instruction (or a few that belong together). */
  private one(out: Item[]): void {
    const g = this.rng;
    if (this.fpHeavy && g.chance(0.6)) {
      const k = g.int(0, 9);
      if (k < 7) this.fp(out); else if (k < 8) this.csr(out); else this.fpMemory(out);
      return;
    }
    const k = g.int(0, 99);
    if (k < 18) this.alu(out);
    else if (k < 26) this.muldiv(out);
    else if (k < 40) this.memory(out);
    else if (k < 46) this.fpMemory(out);
    else if (k < 52) this.atomic(out);
    else if (k < 70) this.fp(out);
    else if (k < 75) this.csr(out);
    else if (k < 93) this.compressed(out);
    else if (k < 99) this.forward(out);
    else out.push(w(g.chance(0.8) ? 0x0ff0000f : 0x0330000f)); // fence iorw,iorw / fence rw,rw
  }

  /** A straight-line piece of about `n` instructions; forward branches stay inside it
   * (at most to its end), so they never skip a loop's decrement or backward branch. */
  private body(n: number, bump: boolean): Inst[] {
    const out: Item[] = [];
    const groups = new Set<number>(); // where each group of instructions that belong together starts
    while (out.length < n) {
      groups.add(out.length);
      this.one(out);
      // Walk the base pointer (stores then reads the page being read).
      if (bump && this.rng.chance(0.1)) {
        groups.add(out.length);
        out.push(w(i(this.rng.pick([-8, -4, 8, 16, 3]), BASE, 0, BASE, 0x13)));
      }
    }
    groups.add(out.length);
    return out.map((x, k) => {
      if (!('branch' in x)) return x;
      // Land on the start of a group (never inside an li/csrrw or address/AMO pair).
      let target = Math.min(out.length, k + 1 + x.skip);
      while (!groups.has(target)) target++;
      let o = 0;
      for (let j = k; j < target; j++) o += out[j]!.len;
      return x.branch(o);
    });
  }

  /** A whole sequence: straight-line pieces and counted loops, then ebreak. */
  sequence(opts: GenOptions): Inst[] {
    const g = this.rng;
    this.fpHeavy = opts.fpHeavy ?? false;
    const items: Inst[] = [];
    let total = 0;
    while (total < opts.length) {
      const n = g.int(4, 24);
      if (g.chance(opts.loops)) {
        items.push(li(COUNTER, g.int(1, 12)));
        const body = this.body(n, g.chance(0.5));
        const start = items.length;
        items.push(...body);
        items.push(w(i(-1, COUNTER, 0, COUNTER, 0x13))); // addi x18, x18, -1
        const back = -items.slice(start).reduce((a, x) => a + x.len, 0);
        items.push(w(b(back, 0, COUNTER, 1))); // bne x18, x0, body
        items.push(...li32(BASE, BASE_VALUE)); // undo any walking of the base
      } else {
        items.push(...this.body(n, false));
      }
      total += n;
    }
    items.push(EBREAK);
    return items;
  }
}

/** Bytes of a sequence as it lies in memory. */
export function encode(insts: readonly Inst[]): Uint8Array {
  const bytes: number[] = [];
  for (const x of insts) {
    for (let k = 0; k < x.len; k++) bytes.push((x.bits >>> (8 * k)) & 0xff);
  }
  return Uint8Array.from(bytes);
}
