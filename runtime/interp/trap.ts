//! Synchronous guest traps other than page faults, shared by every tier.

export const SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGSEGV = 11;
export const ILL_ILLOPC = 1, BUS_ADRALN = 1, TRAP_BRKPT = 1;

/** A synchronous trap other than a page fault (illegal instruction, misaligned AMO, ebreak). */
export class Trap extends Error {
  constructor(readonly signo: number, readonly code: number, readonly addr: bigint) {
    super(`trap ${signo}`);
  }
}
