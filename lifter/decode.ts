//! The instruction decoder shared by the interpreter, the lifter and the disassembler:
//! a 32-bit word (compressed forms are expanded first, see `compressed.ts`) to an `Op`
//! and its operand fields, driven by the table in `encoding.ts`.

import { ENCODINGS, type Encoding } from './encoding.js';
import { Op } from './opcodes.js';

/** One decoded instruction. `imm` is sign-extended to 32 bits, except CSR numbers and
 * shift amounts, which are unsigned; `rm` is the funct3 field (the FP rounding mode). */
export interface Decoded {
  op: Op;
  rd: number;
  rs1: number;
  rs2: number;
  rs3: number;
  rm: number;
  imm: number;
}

/** Encodings grouped by major opcode (bits 6..0), so a decode scans a handful. */
const BY_MAJOR: Encoding[][] = (() => {
  const groups: Encoding[][] = Array.from({ length: 128 }, () => []);
  for (const e of ENCODINGS) {
    if (e.op === Op.illegal) continue;
    groups[e.match & 0x7f].push(e);
  }
  return groups;
})();

export function findEncoding(inst: number): Encoding | undefined {
  if ((inst & 3) !== 3) return undefined;
  for (const e of BY_MAJOR[inst & 0x7f]) {
    if (((inst & e.mask) >>> 0) === e.match) return e;
  }
  return undefined;
}

export function immediate(format: Encoding['format'], inst: number): number {
  switch (format) {
    case 'I': return inst >> 20;
    case 'S': return ((inst >> 25) << 5) | ((inst >>> 7) & 0x1f);
    case 'B':
      return ((inst >> 31) << 12) | (((inst >>> 7) & 1) << 11) | (((inst >>> 25) & 0x3f) << 5) | (((inst >>> 8) & 0xf) << 1);
    case 'U': return inst & 0xfffff000;
    case 'J':
      return ((inst >> 31) << 20) | (inst & 0xff000) | (((inst >>> 20) & 1) << 11) | (((inst >>> 21) & 0x3ff) << 1);
    case 'SH': return (inst >>> 20) & 0x3f;
    case 'SHW': return (inst >>> 20) & 0x1f;
    case 'CSR': case 'CSRI': return (inst >>> 20) & 0xfff;
    case 'FENCE': return (inst >>> 20) & 0xfff;
    default: return 0;
  }
}

/** Decodes a 32-bit instruction word into `out` (reused to avoid allocation). */
export function decodeInto(inst: number, out: Decoded): Decoded {
  const e = findEncoding(inst);
  out.rd = (inst >>> 7) & 0x1f;
  out.rs1 = (inst >>> 15) & 0x1f;
  out.rs2 = (inst >>> 20) & 0x1f;
  out.rs3 = inst >>> 27;
  out.rm = (inst >>> 12) & 7;
  if (!e) {
    out.op = Op.illegal;
    out.imm = 0;
    return out;
  }
  out.op = e.op as Op;
  out.imm = immediate(e.format, inst);
  return out;
}

export function decode(inst: number): Decoded {
  return decodeInto(inst, { op: Op.illegal, rd: 0, rs1: 0, rs2: 0, rs3: 0, rm: 0, imm: 0 });
}
