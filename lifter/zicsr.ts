//! Zicsr to IR. The FP CSRs (fflags, frm, fcsr) are plain IR on `getcsr`/`setcsr`, as
//! FP code saves and restores fflags around comparisons in its inner loops. Every other
//! CSR instruction is one call of the `csr` helper, which runs the interpreter's
//! `csrAccess` on the state block (cycle, time, instret; SIGILL for anything else or a
//! write to a counter):
//!
//!   call @csr(iconst.i32 <Op>, iconst.i32 <rd | rs1 << 5 | csr << 10>) @pc
//!
//! For the immediate forms the rs1 field is the 5-bit zimm.

import type { Value } from '../ir/function.js';
import type { Decoded } from './decode.js';
import { Op } from './opcodes.js';
import { HELPER_CSR, helperCall, type LiftContext, type TransTable } from './shapes.js';

const FFLAGS = 0x001, FRM = 0x002, FCSR = 0x003;

/** The packed operand fields of the `csr` helper; the decoder's imm is the CSR number. */
export const packCsr = (d: Decoded): number => d.rd | (d.rs1 << 5) | (d.imm << 10);

type Kind = 'write' | 'set' | 'clear';

/** The value of fflags, frm or fcsr (= frm << 5 | fflags). */
function readFpCsr(c: LiftContext, csr: number): Value {
  if (csr === FFLAGS) return c.b.getcsr('fflags');
  if (csr === FRM) return c.b.getcsr('frm');
  return c.b.or(c.b.getcsr('fflags'), c.b.shl(c.b.getcsr('frm'), c.i32(5)));
}

/** Writes the low bits that the CSR holds (Zicsr on fcsr: bits 0..4 fflags, 5..7 frm). */
function writeFpCsr(c: LiftContext, csr: number, v: Value): void {
  if (csr !== FRM) c.b.setcsr('fflags', c.b.and(v, c.i32(0x1f)));
  if (csr === FRM) c.b.setcsr('frm', c.b.and(v, c.i32(7)));
  if (csr === FCSR) c.b.setcsr('frm', c.b.and(c.b.shru(v, c.i32(5)), c.i32(7)));
}

/** csrr{w,s,c}[i] on an FP CSR: rd = old value; csrrs/csrrc with rs1 = x0 (zimm = 0)
 * only read (Zicsr, "CSR Instructions"). */
function fpCsr(c: LiftContext, d: Decoded, kind: Kind, immediate: boolean): void {
  const old = readFpCsr(c, d.imm);
  if (kind === 'write' || d.rs1 !== 0) {
    const operand = immediate ? c.i32(d.rs1) : c.b.trunc(c.x(d.rs1)); // the CSRs hold 8 bits at most
    const value = kind === 'write' ? operand
      : kind === 'set' ? c.b.or(old, operand) : c.b.and(old, c.b.xor(operand, c.i32(-1)));
    writeFpCsr(c, d.imm, value);
  }
  c.setX(d.rd, c.b.extend(old, false));
}

function csr(kind: Kind, immediate: boolean) {
  return (c: LiftContext, d: Decoded): void => {
    if (d.imm === FFLAGS || d.imm === FRM || d.imm === FCSR) fpCsr(c, d, kind, immediate);
    else helperCall(c, HELPER_CSR, d.op, packCsr(d));
  };
}

export const ZICSR: TransTable = {
  [Op.csrrw]: csr('write', false),
  [Op.csrrs]: csr('set', false),
  [Op.csrrc]: csr('clear', false),
  [Op.csrrwi]: csr('write', true),
  [Op.csrrsi]: csr('set', true),
  [Op.csrrci]: csr('clear', true),
};
