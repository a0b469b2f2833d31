//! Zicsr for user mode: the FP CSRs (fflags, frm, fcsr) and the read-only counters
//! (cycle, time, instret). Anything else, or a write to a counter, is illegal.

import { Op } from '../../lifter/opcodes.js';
import { type Machine } from '../machine.js';

export const CSR_FFLAGS = 0x001, CSR_FRM = 0x002, CSR_FCSR = 0x003;
export const CSR_CYCLE = 0xc00, CSR_TIME = 0xc01, CSR_INSTRET = 0xc02;

/** The time CSR ticks at 10 MHz, a common RISC-V board timebase. */
const TIMEBASE_NS = 100n;

function readCsr(m: Machine, csr: number): bigint | undefined {
  switch (csr) {
    case CSR_FFLAGS: return BigInt(m.fflags);
    case CSR_FRM: return BigInt(m.frm);
    case CSR_FCSR: return BigInt(m.fflags | (m.frm << 5));
    case CSR_CYCLE: case CSR_INSTRET: return BigInt(m.instret);
    case CSR_TIME: return process.hrtime.bigint() / TIMEBASE_NS;
    default: return undefined;
  }
}

function writeCsr(m: Machine, csr: number, value: bigint): boolean {
  const v = Number(value & 0xffn);
  switch (csr) {
    case CSR_FFLAGS: m.fflags = v & 0x1f; return true;
    case CSR_FRM: m.frm = v & 7; return true;
    case CSR_FCSR: m.fflags = v & 0x1f; m.frm = (v >> 5) & 7; return true;
    default: return false;
  }
}

/**
 * Executes a csrr* instruction. `rdIndex`/`rs1Index` are the interpreter's int32 register
 * indices, `rs1` the raw field (register number or 5-bit immediate). Returns false when
 * the instruction is illegal.
 */
export function csrAccess(m: Machine, op: Op, rdIndex: number, rs1Index: number, rs1: number, csr: number): boolean {
  const R = m.v.i32;
  const old = readCsr(m, csr);
  if (old === undefined) return false;
  const immediate = op === Op.csrrwi || op === Op.csrrsi || op === Op.csrrci;
  const operand = immediate ? BigInt(rs1) : (BigInt(R[rs1Index + 1]) << 32n) | BigInt(R[rs1Index] >>> 0);
  const kind = immediate ? op - Op.csrrwi : op - Op.csrrw; // 0 write, 1 set, 2 clear
  // csrrs/csrrc with rs1 = x0 (or zimm = 0) only read, so read-only CSRs allow them.
  const writes = kind === 0 || rs1 !== 0;
  if (writes) {
    const value = kind === 0 ? operand : kind === 1 ? old | operand : old & ~operand;
    if (!writeCsr(m, csr, value)) return false;
  }
  const u = BigInt.asUintN(64, old);
  R[rdIndex] = Number(u & 0xffffffffn) | 0;
  R[rdIndex + 1] = Number(u >> 32n) | 0;
  return true;
}
