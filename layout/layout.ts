//! The memory layout shared by the interpreter and the wasm backend: where the
//! per-hart state and the software TLB live in the one shared WebAssembly.Memory.
//! It imports nothing, so every tier reads the same numbers.

/** Guest pages are 4 KiB. */
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;

/** Wasm pages: the memory is allocated once at its maximum (V8 reserves the whole
 * range for a shared memory anyway, and Linux commits pages on first touch), so views
 * of it never go stale. 65535 keeps every typed-array length below 2^32. */
export const WASM_PAGES = 65535;
export const MEMORY_BYTES = WASM_PAGES * 65536;

// ---- per-hart state block (byte offsets in the shared memory) ----
export const STATE_BASE = 0x1000;
/** x0..x31 as little-endian i64; x0 always reads 0. */
export const X_OFF = STATE_BASE;
/** f0..f31 as raw 64-bit patterns; f32 values are NaN-boxed (upper 32 bits all ones). */
export const F_OFF = STATE_BASE + 0x100;
/** Guest pc (i64). */
export const PC_OFF = STATE_BASE + 0x200;
/** Accrued exception flags fflags (i32, bits 0..4: NX UF OF DZ NV). */
export const FFLAGS_OFF = STATE_BASE + 0x208;
/** Dynamic rounding mode frm (i32, 0..7). */
export const FRM_OFF = STATE_BASE + 0x20c;
/** LR/SC reservation: address (i64) and valid flag (i32). */
export const RESV_ADDR_OFF = STATE_BASE + 0x210;
export const RESV_VALID_OFF = STATE_BASE + 0x218;
/** Why translated code returned to the dispatcher (i32), see ExitReason. */
export const EXIT_REASON_OFF = STATE_BASE + 0x21c;
/** Fault address of the last trap (i64). */
export const EXIT_ADDR_OFF = STATE_BASE + 0x220;
/** Interrupt word: non-zero asks running code to return to the dispatcher (i32). */
export const INTERRUPT_OFF = STATE_BASE + 0x228;
/** Retired guest instructions (i64, updated at region exits). */
export const INSTRET_OFF = STATE_BASE + 0x230;
/** Guest memory accesses that probed the TLB inline (i64; counted only under --stats). */
export const TLB_LOOKUPS_OFF = STATE_BASE + 0x238;
/** Guest memory accesses made by translated code (i64; counted only under --stats). The
 * difference to TLB_LOOKUPS_OFF is the accesses that reused an earlier translation. */
export const GUEST_ACCESSES_OFF = STATE_BASE + 0x240;
/** Where writes to x0 go, so that the interpreter needs no rd != 0 test (never read). */
export const X0_SINK_OFF = STATE_BASE + 0x300;
/** 16 bytes where the interpreter assembles an access that straddles two pages. */
export const SPLIT_OFF = STATE_BASE + 0x310;
/** The operands (three 8-byte slots), the result (8 bytes) and the exception flags (i32)
 * of the HELPER_FPU slow path, as raw bits (f32 in the low 4 bytes, integers as i64). The
 * backend's out-of-line FP code leaves its flags in FPU_FLAGS_OFF too. */
export const FPU_ARGS_OFF = STATE_BASE + 0x320;
export const FPU_RESULT_OFF = STATE_BASE + 0x338;
export const FPU_FLAGS_OFF = STATE_BASE + 0x340;
export const STATE_END = STATE_BASE + 0x400;

export const enum ExitReason {
  None = 0,
  Ecall = 1,
  Ebreak = 2,
  Fault = 3,
  Illegal = 4,
  Interrupt = 5,
  Misaligned = 6,
}

// ---- software TLB (QEMU-style: separate R/W/X tags plus an addend) ----
/** Entries; direct-mapped, indexed by the low bits of the virtual page number. */
export const TLB_BITS = 12;
export const TLB_ENTRIES = 1 << TLB_BITS;
export const TLB_OFF = 0x2000;
/** Entry: read tag, write tag, exec tag (i64 page-aligned vaddr, or TLB_INVALID), addend (i64). */
export const TLB_ENTRY_BYTES = 32;
export const TLB_READ = 0;
export const TLB_WRITE = 8;
export const TLB_EXEC = 16;
export const TLB_ADDEND = 24;
/** A tag no access can match: its low bits are set, and every probe clears the bits below
 * the page except those of its own misalignment. */
export const TLB_INVALID_LO = -1;
export const TLB_INVALID_HI = -1;
export const TLB_END = TLB_OFF + TLB_ENTRIES * TLB_ENTRY_BYTES;

/** --mmu flat: one permission byte (PROT_* bits, write cleared on code pages) per 4 KiB
 * page of the low 4 GiB of guest space, which translated code checks inline. */
export const PERM_OFF = 0x100000;
export const PERM_BYTES = 0x100000;

/** Host frames for guest pages start here; nothing below is ever mapped to the guest. */
export const FRAMES_BASE = PERM_OFF + PERM_BYTES;

/** --mmu flat: guest page p lives at host FLAT_BASE + p * PAGE_SIZE, so host = vaddr +
 * FLAT_BASE, for guest addresses below FLAT_LIMIT. */
export const FLAT_BASE = FRAMES_BASE;
export const FLAT_LIMIT = MEMORY_BYTES - FLAT_BASE;

// ---- region calling convention (JIT) ----
// A translated region is one wasm function of type () -> (), exported as REGION_EXPORT,
// in a module that imports the shared memory, the shared funcref table and the helpers
// below from IMPORT_MODULE. Guest registers live in wasm locals inside the region and in
// the state block outside it: a region loads what it reads on entry and stores what it
// wrote before every exit, helper call and trap, so the state block is exact whenever JS
// runs. An exit stores PC_OFF and `return_call_indirect`s the table slot of its target
// pc; slot DISPATCH_SLOT holds a stub that returns to the JS dispatch loop.
export const REGION_EXPORT = 'region';
export const IMPORT_MODULE = 'env';
export const IMPORT_MEMORY = 'memory';
export const IMPORT_TABLE = 'table';
/** Table slot of the stub that returns to the dispatcher. */
export const DISPATCH_SLOT = 0;
/** Imported helper names; all take the guest pc of the instruction last (i64). */
export const HELPER_LOAD = 'load'; // (vaddr i64, size i32, pc i64) -> i64: a TLB-miss load, zero-extended
export const HELPER_STORE = 'store'; // (vaddr i64, value i64, size i32, pc i64) -> (): a TLB-miss store
export const HELPER_ECALL = 'ecall'; // (pc i64) -> (): syscall; resumes at PC_OFF
export const HELPER_FP = 'fp'; // (op i32, packed fields i32, pc i64) -> (): one F/D op on the state block
export const HELPER_CSR = 'csr'; // (op i32, packed fields i32, pc i64) -> (): one Zicsr op on the state block
export const HELPER_TRAP = 'trap'; // (signo i32, code i32, addr i64, pc i64) -> (): raises a guest signal
export const HELPER_AMO = 'amo'; // (op i32, packed fields i32, pc i64) -> (): one A-extension op on the state block
/** The slow path of the IR's `fexact` (rounding modes other than nearest-even, and the rare
 * operands of the inline fast path): operands at FPU_ARGS_OFF, result to FPU_RESULT_OFF,
 * the exception flags raised to FPU_FLAGS_OFF; rm is the effective mode (frm for dyn) and
 * a reserved one is a guest SIGILL, reported like a memory slow path's fault. */
export const HELPER_FPU = 'fpu'; // (operation code i32, rm i32, pc i64) -> ()
/** The slow path of the IR's lowered `translate`: host address of `size` bytes for access
 * 1 (read), 2 (write) or 4 (exec), filling the TLB, or a guest fault. */
export const HELPER_TRANSLATE = 'translate'; // (vaddr i64, size i32, access i32, pc i64) -> i32
/** Exact fused multiply-add for the IR's `fma` (wasm has none); the two that take no pc,
 * since they cannot trap and touch no guest state. */
export const HELPER_FMA32 = 'fma_f32'; // (a f32, b f32, c f32) -> f32
export const HELPER_FMA64 = 'fma_f64'; // (a f64, b f64, c f64) -> f64

// ---- indirect-jump cache (JIT) ----
// Direct-mapped guest pc -> table slot, filled by the dispatcher and probed inline by
// `exitind`: entry = JMP_CACHE_OFF + ((pc >> 1) & (JMP_CACHE_ENTRIES - 1)) * 16 holds the
// pc (i64; -1 = empty, never a pc) and the slot (i32). A stale slot is harmless: slots of
// invalidated code hold the dispatcher stub.
export const JMP_CACHE_OFF = TLB_END;
export const JMP_CACHE_BITS = 12;
export const JMP_CACHE_ENTRIES = 1 << JMP_CACHE_BITS;
export const JMP_CACHE_ENTRY_BYTES = 16;
export const JMP_CACHE_END = JMP_CACHE_OFF + JMP_CACHE_ENTRIES * JMP_CACHE_ENTRY_BYTES;
