//! The warm-up program: every instruction of the encoding table once, with operands that
//! run (see `interp/warmup.ts`, which runs it in the interpreter before the guest starts).

import { ENCODINGS, type Encoding } from '../lifter/encoding.js';

/** Where the program runs: its code, and a data page its loads and stores use. */
export const CODE = 0x10000;
export const DATA = 0x20000;
/** x9: base register of every load, store and AMO (8-aligned, 8 below the access). */
export const BASE = 9;
/** x28: holds the jalr's own target (set by an auipc just before it). */
const LINK = 28;
/** Registers the operands name: x6..x8 hold small integers, f6..f8 single-precision
 * values (NaN-boxed), f16..f18 double-precision ones. */
export const X_SRC = [6, 7, 8];
export const S_SRC = [6, 7, 8];
export const D_SRC = [16, 17, 18];
/** Their values: 1.5f, 2.5f, 3.5f (NaN-boxed) and 2.25, 3.25, 4.25. */
export const S_VALUES = [0xffffffff3fc00000n, 0xffffffff40200000n, 0xffffffff40600000n];
export const D_VALUES = [0x4002000000000000n, 0x400a000000000000n, 0x4011000000000000n];
const RD = 5;
/** CSRs read (csrrs, csrrc with x0): fflags, frm, fcsr, cycle, time, instret; and
 * written (csrrw with x0: zero): fflags, frm, fcsr. */
const CSRS_READ = [0x001, 0x002, 0x003, 0xc00, 0xc01, 0xc02];
const CSRS_WRITE = [0x001, 0x002, 0x003];
const FCSR = 0x003;

const SKIP = new Set(['illegal', 'ecall', 'ebreak']);
const LOADS = new Set([0b0000011, 0b0000111]);

/** Every instruction of the table once (with an auipc before each jalr), then a
 * jump-to-self. */
export function program(pass: number): number[] {
  const out: number[] = [];
  const rm = pass === 0 ? 7 : 0;
  for (const e of ENCODINGS) {
    if (SKIP.has(e.mnemonic)) continue;
    if (e.mnemonic === 'jalr') out.push(encodeU(0b0010111, LINK, 0)); // auipc x28, 0
    if (e.format === 'CSR') {
      for (const csr of e.mnemonic === 'csrrw' ? CSRS_WRITE : CSRS_READ) out.push(fill(e, RD, 0, 0, csr << 20));
      continue;
    }
    out.push(encode(e, rm));
  }
  out.push(0x0000006f); // jal x0, 0
  return out;
}

/** The instruction for encoding `e` with the operands above. */
function encode(e: Encoding, rm: number): number {
  const opcode = e.match & 0x7f;
  const source = sourceRegs(e.mnemonic);
  const [rs1, rs2, rs3] = source;
  switch (e.format) {
    case 'I':
      if (e.mnemonic === 'jalr') return fill(e, RD, LINK, 0, 8 << 20);
      if (LOADS.has(opcode)) return fill(e, RD, BASE, 0, 8 << 20);
      return fill(e, RD, rs1, 0, 3 << 20);
    case 'S': // store at 8(x9)
      return fill(e, 0, BASE, rs2, 8 << 7);
    case 'B': // to the next instruction, taken or not
      return fill(e, 0, rs1, rs2, 2 << 8);
    case 'U':
      return fill(e, RD, 0, 0, 0x12345 << 12);
    case 'J': // jal to the next instruction
      return fill(e, RD, 0, 0, 2 << 21);
    case 'SH':
    case 'SHW':
      return fill(e, RD, rs1, 0, 3 << 20);
    case 'AMO':
      return fill(e, RD, BASE, rs2, 0);
    case 'R4': // rounding mode in f3
      return fill(e, RD, rs1, rs2, (rs3 << 27) | (rm << 12));
    case 'CSRI':
      return fill(e, RD, 0, 0, FCSR << 20);
    case 'R': // f3 is the rounding mode where the table leaves it free
      return fill(e, RD, rs1, rs2, rm << 12);
    default: // FENCE
      return fill(e, RD, rs1, rs2, 0);
  }
}

/** The encoding's fixed bits, and the operand fields where the encoding leaves them
 * free (so an `rs2=00000` or `f3=000` of the table stays as it is). */
function fill(e: Encoding, rd: number, rs1: number, rs2: number, extra: number): number {
  const operands = (rd << 7) | (rs1 << 15) | (rs2 << 20) | extra;
  return (e.match | (operands & ~e.mask)) >>> 0;
}

function encodeU(opcode: number, rd: number, imm20: number): number {
  return ((imm20 << 12) | (rd << 7) | opcode) >>> 0;
}

/** The source registers of an instruction: by the type of its (last-named) source. */
function sourceRegs(mnemonic: string): number[] {
  if (mnemonic.endsWith('.s') && mnemonic.startsWith('f')) return S_SRC;
  if (mnemonic.endsWith('.d') && mnemonic.startsWith('f')) return D_SRC;
  return X_SRC;
}
