//! Zicsr to IR: every CSR instruction is one call of the `csr` helper, which runs the
//! interpreter's `csrAccess` on the state block (fflags, frm, fcsr, cycle, time, instret;
//! SIGILL for anything else or a write to a counter):
//!
//!   call @csr(iconst.i32 <Op>, iconst.i32 <rd | rs1 << 5 | csr << 10>) @pc
//!
//! For the immediate forms the rs1 field is the 5-bit zimm.

import type { Decoded } from './decode.js';
import { Op } from './opcodes.js';
import { HELPER_CSR, helperCall, type LiftContext, type TransTable } from './shapes.js';

/** The packed operand fields of the `csr` helper; the decoder's imm is the CSR number. */
export const packCsr = (d: Decoded): number => d.rd | (d.rs1 << 5) | (d.imm << 10);

const csr = (c: LiftContext, d: Decoded) => helperCall(c, HELPER_CSR, d.op, packCsr(d));

export const ZICSR: TransTable = {
  [Op.csrrw]: csr,
  [Op.csrrs]: csr,
  [Op.csrrc]: csr,
  [Op.csrrwi]: csr,
  [Op.csrrsi]: csr,
  [Op.csrrci]: csr,
};
