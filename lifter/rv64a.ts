//! RV64A to IR: every LR/SC/AMO is one call of the `amo` helper, which does the whole
//! instruction on the state block as the interpreter's `amo` does (natural alignment or
//! SIGBUS, the LR/SC reservation in RESV_ADDR_OFF/RESV_VALID_OFF, rd = the old value).
//!
//!   call @amo(iconst.i32 <Op>, iconst.i32 <rd | rs1 << 5 | rs2 << 10>) @pc
//!
//! The aq/rl bits are dropped: one hart observes its own accesses in program order.

import type { Decoded } from './decode.js';
import { Op } from './opcodes.js';
import { HELPER_AMO, helperCall, type LiftContext, type TransTable } from './shapes.js';

/** The packed operand fields of the `amo` helper. */
export const packAmo = (d: Decoded): number => d.rd | (d.rs1 << 5) | (d.rs2 << 10);

const amo = (c: LiftContext, d: Decoded) => helperCall(c, HELPER_AMO, d.op, packAmo(d));

export const RV64A: TransTable = {
  [Op.lr_w]: amo,
  [Op.sc_w]: amo,
  [Op.amoswap_w]: amo,
  [Op.amoadd_w]: amo,
  [Op.amoxor_w]: amo,
  [Op.amoand_w]: amo,
  [Op.amoor_w]: amo,
  [Op.amomin_w]: amo,
  [Op.amomax_w]: amo,
  [Op.amominu_w]: amo,
  [Op.amomaxu_w]: amo,
  [Op.lr_d]: amo,
  [Op.sc_d]: amo,
  [Op.amoswap_d]: amo,
  [Op.amoadd_d]: amo,
  [Op.amoxor_d]: amo,
  [Op.amoand_d]: amo,
  [Op.amoor_d]: amo,
  [Op.amomin_d]: amo,
  [Op.amomax_d]: amo,
  [Op.amominu_d]: amo,
  [Op.amomaxu_d]: amo,
};
