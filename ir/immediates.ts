//! The small enumerations that instructions carry as immediates: condition codes,
//! CSR names, access kinds, trap kinds, access sizes (Cranelift's `condcodes.rs`,
//! `trapcode.rs` and `immediates.rs` in one file).

/** Integer comparisons of `icmp`; s = signed, u = unsigned. */
export type IntCC = 'eq' | 'ne' | 'slt' | 'sle' | 'sgt' | 'sge' | 'ult' | 'ule' | 'ugt' | 'uge';
export const INT_CCS: readonly IntCC[] = ['eq', 'ne', 'slt', 'sle', 'sgt', 'sge', 'ult', 'ule', 'ugt', 'uge'];

/** Float comparisons of `fcmp`. All are quiet. `eq lt le gt ge` and `ord` are false
 * when either operand is NaN; `ne` and `uno` are true then (`ne` is `!eq`). */
export type FloatCC = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'ord' | 'uno';
export const FLOAT_CCS: readonly FloatCC[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'ord', 'uno'];

/** The FP control and status fields that `getcsr`/`setcsr` reach (both i32);
 * `fcsr` is their composition and is built by the lifter. */
export type Csr = 'fflags' | 'frm';
export const CSRS: readonly Csr[] = ['fflags', 'frm'];

/** Rounding modes of `fexact` (RISC-V unprivileged spec, F chapter, "Rounding mode
 * encoding"): a static mode, or `dyn` = the one in frm. The index is the encoding
 * (rm 5 and 6 are reserved and have no name; dyn is 7). */
export type RoundingMode = 'rne' | 'rtz' | 'rdn' | 'rup' | 'rmm' | 'dyn';
export const ROUNDING_MODES: readonly RoundingMode[] = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'dyn'];

/** The encoding of a rounding mode (dyn = 7). */
export function roundingModeBits(rm: RoundingMode): number {
  return rm === 'dyn' ? 7 : ROUNDING_MODES.indexOf(rm);
}

/** What a `translate` checks the page for. */
export type Access = 'read' | 'write' | 'exec';
export const ACCESSES: readonly Access[] = ['read', 'write', 'exec'];

/** Why a `trap` leaves the region: SIGILL, SIGTRAP, or a system call that the runtime
 * performs before resuming at pc + 4. */
export type TrapKind = 'illegal' | 'ebreak' | 'ecall';
export const TRAP_KINDS: readonly TrapKind[] = ['illegal', 'ebreak', 'ecall'];

/** Bytes moved by a memory access. */
export type MemSize = 1 | 2 | 4 | 8;
export const MEM_SIZES: readonly number[] = [1, 2, 4, 8];

/** Source widths of `sext`/`zext`. */
export type ExtFrom = 8 | 16 | 32;
export const EXT_FROMS: readonly number[] = [8, 16, 32];

/** Guest register numbers: x1..x31 (x0 never appears in IR), f0..f31. */
export const XREG_MIN = 1;
export const XREG_MAX = 31;
export const FREG_MAX = 31;

export function isIntCC(s: string): s is IntCC {
  return (INT_CCS as readonly string[]).includes(s);
}
export function isFloatCC(s: string): s is FloatCC {
  return (FLOAT_CCS as readonly string[]).includes(s);
}
export function isCsr(s: string): s is Csr {
  return (CSRS as readonly string[]).includes(s);
}
export function isRoundingMode(s: string): s is RoundingMode {
  return (ROUNDING_MODES as readonly string[]).includes(s);
}
export function isAccess(s: string): s is Access {
  return (ACCESSES as readonly string[]).includes(s);
}
export function isTrapKind(s: string): s is TrapKind {
  return (TRAP_KINDS as readonly string[]).includes(s);
}
