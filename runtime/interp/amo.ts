//! RV64A on the state block, for the interpreter and for translated code (the `amo`
//! helper): LR/SC with the reservation in RESV_ADDR_OFF/RESV_VALID_OFF and the
//! read-modify-write AMOs, natural alignment or SIGBUS.

import { RESV_ADDR_OFF, RESV_VALID_OFF, X0_SINK_OFF, X_OFF } from '../../layout/layout.js';
import { Op } from '../../lifter/opcodes.js';
import { BUS_ADRALN, SIGBUS, Trap } from './trap.js';
import type { Machine } from '../machine.js';
import { Access, toBig } from '../memory.js';

const X32 = X_OFF >> 2;
const SINK32 = X0_SINK_OFF >> 2;
const RESV32 = RESV_ADDR_OFF >> 2;
const RESV_VALID32 = RESV_VALID_OFF >> 2;

/** Executes one LR/SC/AMO with register numbers rd, rs1, rs2. Throws Trap (SIGBUS) or
 * GuestFault; the caller has set the pc. */
export function execAmo(m: Machine, op: Op, rdNum: number, rs1Num: number, rs2Num: number): void {
  const R = m.v.i32;
  const as = m.as;
  const rd = rdNum === 0 ? SINK32 : X32 + 2 * rdNum;
  const s1 = X32 + 2 * rs1Num;
  const s2 = X32 + 2 * rs2Num;
  const amoAddr = (size: number, access: Access): number => {
    const lo = R[s1], hi = R[s1 + 1];
    if ((lo & (size - 1)) !== 0) throw new Trap(SIGBUS, BUS_ADRALN, toBig(lo, hi));
    if (access === Access.Write) as.translate(lo, hi, size, Access.Read);
    return as.translate(lo, hi, size, access);
  };
  const wide = op >= Op.lr_d;
  const kind = op - (wide ? Op.lr_d : Op.lr_w); // 0 lr, 1 sc, 2 swap, 3 add, 4 xor, 5 and, 6 or, 7 min, 8 max, 9 minu, 10 maxu
  const size = wide ? 8 : 4;
  if (kind === 0) {
    const h = amoAddr(size, Access.Read);
    const lo = R[h >>> 2], hi = wide ? R[(h >>> 2) + 1] : lo >> 31;
    R[RESV32] = R[s1]; R[RESV32 + 1] = R[s1 + 1]; R[RESV_VALID32] = size;
    R[rd] = lo; R[rd + 1] = hi;
    return;
  }
  if (kind === 1) {
    const held = R[RESV_VALID32] === size && R[RESV32] === R[s1] && R[RESV32 + 1] === R[s1 + 1];
    R[RESV_VALID32] = 0;
    if (!held) {
      // Fails; still faults like a store would on a bad address.
      amoAddr(size, Access.Write);
      R[rd] = 1; R[rd + 1] = 0;
      return;
    }
    const h = amoAddr(size, Access.Write);
    R[h >>> 2] = R[s2];
    if (wide) R[(h >>> 2) + 1] = R[s2 + 1];
    R[rd] = 0; R[rd + 1] = 0;
    return;
  }
  const h = amoAddr(size, Access.Write);
  const w = h >>> 2;
  const ol = R[w], oh = wide ? R[w + 1] : ol >> 31;
  const bl = R[s2], bh = wide ? R[s2 + 1] : bl >> 31;
  let nl = 0, nh = 0;
  switch (kind) {
    case 2: nl = bl; nh = bh; break;
    case 3: { nl = (ol + bl) | 0; nh = (oh + bh + ((nl >>> 0) < (ol >>> 0) ? 1 : 0)) | 0; break; }
    case 4: nl = ol ^ bl; nh = oh ^ bh; break;
    case 5: nl = ol & bl; nh = oh & bh; break;
    case 6: nl = ol | bl; nh = oh | bh; break;
    default: {
      const unsigned = kind >= 9;
      const less = unsigned
        ? (oh >>> 0) < (bh >>> 0) || (oh === bh && (ol >>> 0) < (bl >>> 0))
        : oh < bh || (oh === bh && (ol >>> 0) < (bl >>> 0));
      const takeOld = (kind === 7 || kind === 9) ? less : !less;
      nl = takeOld ? ol : bl; nh = takeOld ? oh : bh;
    }
  }
  R[w] = nl;
  if (wide) R[w + 1] = nh;
  R[rd] = ol; R[rd + 1] = oh;
}
