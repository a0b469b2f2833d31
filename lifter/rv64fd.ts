//! RV64F and RV64D to IR. Loads and stores are native (raw bits through getfreg/setfreg);
//! everything else is one call of the `fp` helper, which runs the interpreter's `execFp`
//! on the state block (exact rounding modes, fflags, NaN boxing; SIGILL on a bad rm):
//!
//!   call @fp(iconst.i32 <Op>, iconst.i32 <rd | rs1 << 5 | rs2 << 10 | rs3 << 15 | rm << 20>) @pc

import type { Decoded } from './decode.js';
import { Op } from './opcodes.js';
import { address, HELPER_FP, helperCall, type LiftContext, type TransTable } from './shapes.js';

/** The packed operand fields of the `fp` helper (the interpreter's S_RAW slot). */
export const packFp = (d: Decoded): number => d.rd | (d.rs1 << 5) | (d.rs2 << 10) | (d.rs3 << 15) | (d.rm << 20);

const fp = (c: LiftContext, d: Decoded) => helperCall(c, HELPER_FP, d.op, packFp(d));

/** Upper 32 bits of a NaN-boxed f32 (unprivileged spec, D chapter: "NaN Boxing of Narrower Values"). */
const NAN_BOX = -0x1_0000_0000n;

function flw(c: LiftContext, d: Decoded): void {
  const bits = c.b.loadg(address(c, d), 4, false, 'i64', c.pc);
  c.setF(d.rd, c.b.or(bits, c.i64(NAN_BOX)));
}

function fld(c: LiftContext, d: Decoded): void {
  c.setF(d.rd, c.b.loadg(address(c, d), 8, false, 'i64', c.pc));
}

/** fsw stores the low 32 bits whatever the boxing (same section). */
function fstore(c: LiftContext, d: Decoded, size: 4 | 8): void {
  const addr = address(c, d);
  c.b.storeg(addr, c.f(d.rs2), size, c.pc);
}

export const RV64F: TransTable = {
  [Op.flw]: flw,
  [Op.fsw]: (c, d) => fstore(c, d, 4),
  [Op.fmadd_s]: fp,
  [Op.fmsub_s]: fp,
  [Op.fnmsub_s]: fp,
  [Op.fnmadd_s]: fp,
  [Op.fadd_s]: fp,
  [Op.fsub_s]: fp,
  [Op.fmul_s]: fp,
  [Op.fdiv_s]: fp,
  [Op.fsqrt_s]: fp,
  [Op.fsgnj_s]: fp,
  [Op.fsgnjn_s]: fp,
  [Op.fsgnjx_s]: fp,
  [Op.fmin_s]: fp,
  [Op.fmax_s]: fp,
  [Op.fcvt_w_s]: fp,
  [Op.fcvt_wu_s]: fp,
  [Op.fcvt_l_s]: fp,
  [Op.fcvt_lu_s]: fp,
  [Op.fmv_x_w]: fp,
  [Op.fclass_s]: fp,
  [Op.feq_s]: fp,
  [Op.flt_s]: fp,
  [Op.fle_s]: fp,
  [Op.fcvt_s_w]: fp,
  [Op.fcvt_s_wu]: fp,
  [Op.fcvt_s_l]: fp,
  [Op.fcvt_s_lu]: fp,
  [Op.fmv_w_x]: fp,
};

export const RV64D: TransTable = {
  [Op.fld]: fld,
  [Op.fsd]: (c, d) => fstore(c, d, 8),
  [Op.fmadd_d]: fp,
  [Op.fmsub_d]: fp,
  [Op.fnmsub_d]: fp,
  [Op.fnmadd_d]: fp,
  [Op.fadd_d]: fp,
  [Op.fsub_d]: fp,
  [Op.fmul_d]: fp,
  [Op.fdiv_d]: fp,
  [Op.fsqrt_d]: fp,
  [Op.fsgnj_d]: fp,
  [Op.fsgnjn_d]: fp,
  [Op.fsgnjx_d]: fp,
  [Op.fmin_d]: fp,
  [Op.fmax_d]: fp,
  [Op.fcvt_s_d]: fp,
  [Op.fcvt_d_s]: fp,
  [Op.fcvt_w_d]: fp,
  [Op.fcvt_wu_d]: fp,
  [Op.fcvt_l_d]: fp,
  [Op.fcvt_lu_d]: fp,
  [Op.fmv_x_d]: fp,
  [Op.fclass_d]: fp,
  [Op.feq_d]: fp,
  [Op.flt_d]: fp,
  [Op.fle_d]: fp,
  [Op.fcvt_d_w]: fp,
  [Op.fcvt_d_wu]: fp,
  [Op.fcvt_d_l]: fp,
  [Op.fcvt_d_lu]: fp,
  [Op.fmv_d_x]: fp,
};
