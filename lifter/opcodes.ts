//! The instruction identifiers of RV64GC, one per mnemonic, in table order.
//! The interpreter switches on them, the lifter maps each to IR, the disassembler
//! prints their names (see `encoding.ts` for the encodings).

export const enum Op {
  illegal,
  // RV64I
  lui, auipc, jal, jalr,
  beq, bne, blt, bge, bltu, bgeu,
  lb, lh, lw, ld, lbu, lhu, lwu,
  sb, sh, sw, sd,
  addi, slti, sltiu, xori, ori, andi, slli, srli, srai,
  add, sub, sll, slt, sltu, xor, srl, sra, or, and,
  addiw, slliw, srliw, sraiw,
  addw, subw, sllw, srlw, sraw,
  fence, fence_i, ecall, ebreak,
  // Zicsr
  csrrw, csrrs, csrrc, csrrwi, csrrsi, csrrci,
  // RV64M
  mul, mulh, mulhsu, mulhu, div, divu, rem, remu,
  mulw, divw, divuw, remw, remuw,
  // RV64A
  lr_w, sc_w, amoswap_w, amoadd_w, amoxor_w, amoand_w, amoor_w, amomin_w, amomax_w, amominu_w, amomaxu_w,
  lr_d, sc_d, amoswap_d, amoadd_d, amoxor_d, amoand_d, amoor_d, amomin_d, amomax_d, amominu_d, amomaxu_d,
  // RV64F
  flw, fsw,
  fmadd_s, fmsub_s, fnmsub_s, fnmadd_s,
  fadd_s, fsub_s, fmul_s, fdiv_s, fsqrt_s,
  fsgnj_s, fsgnjn_s, fsgnjx_s, fmin_s, fmax_s,
  fcvt_w_s, fcvt_wu_s, fcvt_l_s, fcvt_lu_s,
  fmv_x_w, fclass_s, feq_s, flt_s, fle_s,
  fcvt_s_w, fcvt_s_wu, fcvt_s_l, fcvt_s_lu, fmv_w_x,
  // RV64D
  fld, fsd,
  fmadd_d, fmsub_d, fnmsub_d, fnmadd_d,
  fadd_d, fsub_d, fmul_d, fdiv_d, fsqrt_d,
  fsgnj_d, fsgnjn_d, fsgnjx_d, fmin_d, fmax_d,
  fcvt_s_d, fcvt_d_s,
  fcvt_w_d, fcvt_wu_d, fcvt_l_d, fcvt_lu_d,
  fmv_x_d, fclass_d, feq_d, flt_d, fle_d,
  fcvt_d_w, fcvt_d_wu, fcvt_d_l, fcvt_d_lu, fmv_d_x,
  COUNT,
}
