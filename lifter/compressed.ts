//! The C extension: every 16-bit encoding expands to the 32-bit instruction it stands for
//! (RISC-V unprivileged spec, chapter 16), so decoding, interpreting and lifting never see
//! a compressed form. Reserved and illegal encodings expand to 0, which is illegal.

const encR = (op: number, f3: number, f7: number, rd: number, rs1: number, rs2: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const encI = (op: number, f3: number, rd: number, rs1: number, imm: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const encS = (op: number, f3: number, rs1: number, rs2: number, imm: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 0x1f) << 7) | op) >>> 0;
const encB = (f3: number, rs1: number, rs2: number, imm: number) =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63) >>> 0;
const encJ = (rd: number, imm: number) =>
  ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
    (imm & 0xff000) | (rd << 7) | 0x6f) >>> 0;

const OP_LOAD = 0x03, OP_LOAD_FP = 0x07, OP_IMM = 0x13, OP_IMM32 = 0x1b, OP_STORE = 0x23,
  OP_STORE_FP = 0x27, OP = 0x33, OP_32 = 0x3b, OP_LUI = 0x37, OP_JALR = 0x67;

const bit = (h: number, i: number) => (h >>> i) & 1;
const bits = (h: number, hi: number, lo: number) => (h >>> lo) & ((1 << (hi - lo + 1)) - 1);
/** Sign-extends the low `n` bits of `v`. */
const sext = (v: number, n: number) => (v << (32 - n)) >> (32 - n);

/** Expands a 16-bit instruction to its 32-bit equivalent, or 0 if it is illegal or reserved. */
export function expandCompressed(h: number): number {
  const q = h & 3;
  const f3 = h >>> 13;
  const rdFull = bits(h, 11, 7);
  const rs2Full = bits(h, 6, 2);
  const rdP = bits(h, 4, 2) + 8;
  const rs1P = bits(h, 9, 7) + 8;
  // Offsets of the register-relative loads and stores, by access width.
  const off8 = (bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6);
  const off4 = (bits(h, 12, 10) << 3) | (bit(h, 6) << 2) | (bit(h, 5) << 6);
  const imm6 = sext((bit(h, 12) << 5) | rs2Full, 6);
  if (q === 0) {
    switch (f3) {
      case 0: {
        const nzuimm = (bits(h, 12, 11) << 4) | (bits(h, 10, 7) << 6) | (bit(h, 6) << 2) | (bit(h, 5) << 3);
        return nzuimm === 0 ? 0 : encI(OP_IMM, 0, rdP, 2, nzuimm); // c.addi4spn
      }
      case 1: return encI(OP_LOAD_FP, 3, rdP, rs1P, off8); // c.fld
      case 2: return encI(OP_LOAD, 2, rdP, rs1P, off4); // c.lw
      case 3: return encI(OP_LOAD, 3, rdP, rs1P, off8); // c.ld
      case 5: return encS(OP_STORE_FP, 3, rs1P, rdP, off8); // c.fsd
      case 6: return encS(OP_STORE, 2, rs1P, rdP, off4); // c.sw
      case 7: return encS(OP_STORE, 3, rs1P, rdP, off8); // c.sd
      default: return 0;
    }
  }
  if (q === 1) {
    switch (f3) {
      case 0: return encI(OP_IMM, 0, rdFull, rdFull, imm6); // c.addi, c.nop
      case 1: return rdFull === 0 ? 0 : encI(OP_IMM32, 0, rdFull, rdFull, imm6); // c.addiw
      case 2: return encI(OP_IMM, 0, rdFull, 0, imm6); // c.li
      case 3: {
        if (rdFull === 2) { // c.addi16sp
          const nz = sext((bit(h, 12) << 9) | (bit(h, 6) << 4) | (bit(h, 5) << 6) | (bits(h, 4, 3) << 7) | (bit(h, 2) << 5), 10);
          return nz === 0 ? 0 : encI(OP_IMM, 0, 2, 2, nz);
        }
        if (imm6 === 0) return 0; // c.lui with a zero immediate is reserved
        return ((imm6 << 12) | (rdFull << 7) | OP_LUI) >>> 0;
      }
      case 4: {
        const shamt = (bit(h, 12) << 5) | rs2Full;
        switch (bits(h, 11, 10)) {
          case 0: return encI(OP_IMM, 5, rs1P, rs1P, shamt); // c.srli
          case 1: return encI(OP_IMM, 5, rs1P, rs1P, shamt | 0x400); // c.srai
          case 2: return encI(OP_IMM, 7, rs1P, rs1P, imm6); // c.andi
          default: {
            const f2 = bits(h, 6, 5);
            if (bit(h, 12) === 0) {
              const [f3r, f7] = [[0, 0x20], [4, 0], [6, 0], [7, 0]][f2];
              return encR(OP, f3r, f7, rs1P, rs1P, rdP); // c.sub c.xor c.or c.and
            }
            if (f2 === 0) return encR(OP_32, 0, 0x20, rs1P, rs1P, rdP); // c.subw
            if (f2 === 1) return encR(OP_32, 0, 0, rs1P, rs1P, rdP); // c.addw
            return 0;
          }
        }
      }
      case 5: { // c.j
        const imm = sext((bit(h, 12) << 11) | (bit(h, 11) << 4) | (bits(h, 10, 9) << 8) | (bit(h, 8) << 10) |
          (bit(h, 7) << 6) | (bit(h, 6) << 7) | (bits(h, 5, 3) << 1) | (bit(h, 2) << 5), 12);
        return encJ(0, imm);
      }
      default: { // c.beqz, c.bnez
        const imm = sext((bit(h, 12) << 8) | (bits(h, 11, 10) << 3) | (bits(h, 6, 5) << 6) | (bits(h, 4, 3) << 1) | (bit(h, 2) << 5), 9);
        return encB(f3 === 6 ? 0 : 1, rs1P, 0, imm);
      }
    }
  }
  if (q === 2) {
    const spOff8 = (bit(h, 12) << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6);
    const spOff4 = (bit(h, 12) << 5) | (bits(h, 6, 4) << 2) | (bits(h, 3, 2) << 6);
    const ssOff8 = (bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6);
    const ssOff4 = (bits(h, 12, 9) << 2) | (bits(h, 8, 7) << 6);
    switch (f3) {
      case 0: return encI(OP_IMM, 1, rdFull, rdFull, (bit(h, 12) << 5) | rs2Full); // c.slli
      case 1: return encI(OP_LOAD_FP, 3, rdFull, 2, spOff8); // c.fldsp
      case 2: return rdFull === 0 ? 0 : encI(OP_LOAD, 2, rdFull, 2, spOff4); // c.lwsp
      case 3: return rdFull === 0 ? 0 : encI(OP_LOAD, 3, rdFull, 2, spOff8); // c.ldsp
      case 4:
        if (bit(h, 12) === 0) {
          if (rs2Full === 0) return rdFull === 0 ? 0 : encI(OP_JALR, 0, 0, rdFull, 0); // c.jr
          return encR(OP, 0, 0, rdFull, 0, rs2Full); // c.mv
        }
        if (rs2Full === 0) {
          if (rdFull === 0) return 0x00100073; // c.ebreak
          return encI(OP_JALR, 0, 1, rdFull, 0); // c.jalr
        }
        return encR(OP, 0, 0, rdFull, rdFull, rs2Full); // c.add
      case 5: return encS(OP_STORE_FP, 3, 2, rs2Full, ssOff8); // c.fsdsp
      case 6: return encS(OP_STORE, 2, 2, rs2Full, ssOff4); // c.swsp
      default: return encS(OP_STORE, 3, 2, rs2Full, ssOff8); // c.sdsp
    }
  }
  return 0;
}
