//! One guest process: its address space, the hart's register state (in the shared
//! memory, at the offsets of `layout/layout.ts`), and the process-wide Linux state
//! (files, memory areas, signals) that syscalls read and change.

import { FFLAGS_OFF, FRM_OFF, F_OFF, PC_OFF, RESV_VALID_OFF, X_OFF } from '../layout/layout.js';
import { AddressSpace, type MemViews } from './memory.js';
import { unpinFields } from './v8-fields.js';

export interface MachineOptions {
  /** Confine guest paths below this host directory. */
  root?: string;
  /** Where the dynamic linker and shared libraries are looked up. */
  sysroot?: string;
  trace?: boolean;
  /** Environment the guest sees. */
  env: string[];
  argv: string[];
  /** Host path of the program (for AT_EXECFN and /proc/self/exe). */
  programPath: string;
}

/** Thrown to end the guest process (exit, exit_group, fatal signal). */
export class ProcessExit extends Error {
  constructor(readonly status: number) {
    super(`guest exited with status ${status}`);
  }
}

/** A guest error that ends the run with one line on stderr (bad ELF, out of memory...). */
export class GuestError extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
  }
}

const X32 = X_OFF >> 2;

export class Machine {
  readonly as: AddressSpace;
  readonly v: MemViews;
  /** Start and current end of the heap (brk), page-unaligned end as the guest set it. */
  brkStart = 0;
  brkEnd = 0;
  /** mmap without a hint searches downwards from here. */
  mmapBase = 0x3f_f000_0000;
  /** Extra per-subsystem state, owned by runtime/linux (fd table, signals, ...). */
  readonly linux: Record<string, unknown> = {};
  /** Guest instructions retired (by the interpreter, and by compiled code once it returns). */
  instret = 0;

  constructor(readonly options: MachineOptions, as?: AddressSpace) {
    this.as = as ?? new AddressSpace();
    this.v = this.as.v;
    // 64-bit counts and addresses: V8 stores these fields as doubles from the start, not
    // as small integers until the first large value (which the interpreter's loop,
    // compiled for the first kind, would deoptimize on: see v8-fields.ts).
    unpinFields(this, { brkStart: 0.5, brkEnd: 0.5, mmapBase: 0.5, instret: 0.5 });
  }

  getX(r: number): bigint {
    if (r === 0) return 0n;
    return (BigInt(this.v.i32[X32 + 2 * r + 1]) << 32n) | BigInt(this.v.i32[X32 + 2 * r] >>> 0);
  }

  setX(r: number, value: bigint): void {
    if (r === 0) return;
    const u = BigInt.asUintN(64, value);
    this.v.i32[X32 + 2 * r] = Number(u & 0xffffffffn) | 0;
    this.v.i32[X32 + 2 * r + 1] = Number(u >> 32n) | 0;
  }

  /** Register as an unsigned number (guest addresses and sizes below 2^53). */
  getXNumber(r: number): number {
    if (r === 0) return 0;
    return (this.v.i32[X32 + 2 * r + 1] >>> 0) * 4294967296 + (this.v.i32[X32 + 2 * r] >>> 0);
  }

  /** Raw 64-bit pattern of f register `r`. */
  getF(r: number): bigint {
    return this.v.dv.getBigUint64(F_OFF + 8 * r, true);
  }

  setF(r: number, bits: bigint): void {
    this.v.dv.setBigUint64(F_OFF + 8 * r, BigInt.asUintN(64, bits), true);
  }

  get pc(): number {
    return this.v.dv.getUint32(PC_OFF + 4, true) * 4294967296 + this.v.dv.getUint32(PC_OFF, true);
  }

  set pc(value: number) {
    this.v.dv.setUint32(PC_OFF, value % 4294967296, true);
    this.v.dv.setUint32(PC_OFF + 4, Math.floor(value / 4294967296), true);
  }

  get fflags(): number { return this.v.i32[FFLAGS_OFF >> 2]; }
  set fflags(x: number) { this.v.i32[FFLAGS_OFF >> 2] = x & 0x1f; }
  get frm(): number { return this.v.i32[FRM_OFF >> 2]; }
  set frm(x: number) { this.v.i32[FRM_OFF >> 2] = x & 7; }

  clearReservation(): void {
    this.v.i32[RESV_VALID_OFF >> 2] = 0;
  }
}
