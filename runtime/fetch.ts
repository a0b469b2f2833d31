//! Instruction fetch for every tier: the halfwords at a guest pc through the TLB's exec
//! tag (else the slow path), compressed forms expanded, and the code pages touched noted
//! so that writes to them can invalidate what was decoded from them.

import {
  PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, TLB_ADDEND, TLB_ENTRIES, TLB_ENTRY_BYTES, TLB_EXEC, TLB_OFF,
} from '../layout/layout.js';
import { expandCompressed } from '../lifter/compressed.js';
import { Access, type AddressSpace, GuestFault } from './memory.js';

const TWO32 = 4294967296;

/** The halfword at pc; throws the GuestFault of an instruction fetch. */
function fetch16(as: AddressSpace, pc: number): number {
  const lo = pc % TWO32 | 0, hi = Math.floor(pc / TWO32) | 0;
  const R = as.v.i32;
  const e = (TLB_OFF + ((lo >>> PAGE_SHIFT) & (TLB_ENTRIES - 1)) * TLB_ENTRY_BYTES + TLB_EXEC) >> 2;
  if (R[e] === (lo & ~PAGE_MASK) && R[e + 1] === hi && (lo & 1) === 0) {
    return as.v.u16[((lo + R[e - (TLB_EXEC >> 2) + (TLB_ADDEND >> 2)]) >>> 0) >>> 1];
  }
  const h = as.translate(lo, hi, 2, Access.Exec);
  if (h < 0) throw new GuestFault(BigInt(pc), Access.Exec, 1);
  return as.v.u16[h >>> 1];
}

/** The 32-bit instruction at pc (compressed ones expanded) and its length; adds the pages
 * its bytes lie on to `pages`. Throws the fetch fault the guest gets for it. */
export function fetchInstruction(as: AddressSpace, pc: number, pages: Set<number>): { inst: number; len: 2 | 4 } {
  if (pc % 2 !== 0) throw new GuestFault(BigInt(pc), Access.Exec, 1);
  const lo = fetch16(as, pc);
  pages.add(Math.floor(pc / PAGE_SIZE));
  if ((lo & 3) !== 3) return { inst: expandCompressed(lo), len: 2 };
  const hi = fetch16(as, pc + 2);
  pages.add(Math.floor((pc + 2) / PAGE_SIZE));
  return { inst: (lo | (hi << 16)) >>> 0, len: 4 };
}
