//! The helpers that translated code imports (names and signatures in `layout/layout.ts`):
//! TLB-miss slow paths on `AddressSpace.translate`, ecall, the slow path of `fexact`
//! (`fpu-helper.ts`), and the F/D, Zicsr and A instructions on the state block.
//! Translated code writes its registers back before calling any of them (the memory and
//! FP slow paths excepted: see below), so the state block is exact here; a helper that
//! traps sets the guest pc and throws (GuestFault or Trap), and the dispatch loop
//! delivers the signal.
//!
//! The memory slow paths (load, store, translate) and the FP one are called from every
//! access (FP operation) site, where translated code keeps no write-back code: on a guest
//! fault (SIGILL for a reserved frm) they set the pc, record the fault, set
//! EXIT_REASON_OFF to ExitReason.Fault and return; the code then branches to its one
//! fault exit, writes its registers back and returns to the dispatcher, which takes the
//! fault (`takeFault`) and delivers it.

import {
  EXIT_REASON_OFF, ExitReason, F_OFF, HELPER_AMO, HELPER_CSR, HELPER_ECALL, HELPER_FMA32, HELPER_FMA64, HELPER_FP, HELPER_FPU,
  HELPER_LOAD, HELPER_STORE, HELPER_TRANSLATE, HELPER_TRAP, INSTRET_OFF, SPLIT_OFF, STATE_END, X0_SINK_OFF, X_OFF,
} from '../../layout/layout.js';
import { fpuHelper } from './fpu-helper.js';
import { Op } from '../../lifter/opcodes.js';
import { csrAccess } from '../interp/csr.js';
import { execFp, type FpViews } from '../interp/fp.js';
import { SIGILL, Trap } from '../interp/trap.js';
import { syscall } from '../linux/syscalls.js';
import type { Machine } from '../machine.js';
import { Access, GuestFault } from '../memory.js';
import { execAmo } from '../interp/amo.js';

const ILL_ILLOPC = 1;
const X32 = X_OFF >> 2;
const SINK32 = X0_SINK_OFF >> 2;
const MASK32 = 0xffffffffn;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HelperFn = (...args: any[]) => unknown;

/** An internal error in translated code's use of the helpers (never the guest's fault). */
export class HelperError extends Error {}

export interface Helpers {
  /** The helper functions, by import name. */
  imports: Record<string, HelperFn>;
  /** The fault a memory slow path reported through EXIT_REASON_OFF (and clears it). */
  takeFault(): unknown;
}

/** The helper functions for a machine. */
export function makeHelpers(m: Machine): Helpers {
  const as = m.as;
  const { u8, dv, i32 } = m.v;
  const setPc = (pc: bigint) => { m.pc = Number(pc); };
  let fault: unknown;
  /** A guest fault in a memory slow path (or a SIGILL in the FP one): reported, not thrown
   * (see the file comment). */
  const report = (e: unknown, pc: bigint): void => {
    if (!(e instanceof GuestFault) && !(e instanceof Trap)) throw e;
    setPc(pc);
    fault = e;
    i32[EXIT_REASON_OFF >> 2] = ExitReason.Fault;
  };
  const lo32 = (v: bigint) => Number(v & MASK32) | 0;
  const hi32 = (v: bigint) => Number((v >> 32n) & MASK32) | 0;

  /** Host address of every byte of a page-crossing access, all checked before any is used. */
  const byteHosts = (vaddr: bigint, size: number, access: Access): number[] => {
    const hosts: number[] = [];
    for (let i = 0; i < size; i++) {
      const a = BigInt.asUintN(64, vaddr + BigInt(i));
      hosts.push(as.translate(lo32(a), hi32(a), 1, access));
    }
    return hosts;
  };

  const readHost = (h: number, size: number): bigint => {
    switch (size) {
      case 1: return BigInt(u8[h]);
      case 2: return BigInt(dv.getUint16(h, true));
      case 4: return BigInt(dv.getUint32(h, true));
      default: return dv.getBigUint64(h, true);
    }
  };

  const writeHost = (h: number, size: number, value: bigint): void => {
    switch (size) {
      case 1: u8[h] = Number(value & 0xffn); break;
      case 2: dv.setUint16(h, Number(value & 0xffffn), true); break;
      case 4: dv.setUint32(h, Number(value & MASK32), true); break;
      default: dv.setBigUint64(h, BigInt.asUintN(64, value), true);
    }
  };

  const load = (vaddr: bigint, size: number, pc: bigint): bigint => {
    try {
      const h = as.translate(lo32(vaddr), hi32(vaddr), size, Access.Read);
      if (h >= 0) return readHost(h, size);
      const hosts = byteHosts(vaddr, size, Access.Read);
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(u8[hosts[i]]);
      return v;
    } catch (e) {
      report(e, pc);
      return 0n;
    }
  };

  const store = (vaddr: bigint, value: bigint, size: number, pc: bigint): void => {
    try {
      const h = as.translate(lo32(vaddr), hi32(vaddr), size, Access.Write);
      if (h >= 0) return writeHost(h, size, value);
      const hosts = byteHosts(vaddr, size, Access.Write);
      for (let i = 0; i < size; i++) u8[hosts[i]] = Number((value >> BigInt(8 * i)) & 0xffn);
    } catch (e) {
      report(e, pc);
    }
  };

  /** The host address for `translate`; a page-crossing read is assembled in SPLIT_OFF
   * (as the interpreter does), a page-crossing write has no single host address. */
  const translate = (vaddr: bigint, size: number, access: Access, pc: bigint): number => {
    try {
      const h = as.translate(lo32(vaddr), hi32(vaddr), size, access);
      if (h >= 0) return h | 0;
      const hosts = byteHosts(vaddr, size, access);
      if (access === Access.Write) {
        throw new HelperError(`translate: a page-crossing write at 0x${BigInt.asUintN(64, vaddr).toString(16)} has no host address`);
      }
      for (let i = 0; i < size; i++) u8[SPLIT_OFF + i] = u8[hosts[i]];
      return SPLIT_OFF;
    } catch (e) {
      report(e, pc);
      return 0;
    }
  };

  const ecall = (pc: bigint): void => {
    m.pc = Number(pc) + 4;
    syscall(m);
  };

  const illegal = (pc: bigint): never => {
    setPc(pc);
    throw new Trap(SIGILL, ILL_ILLOPC, pc);
  };

  const fp = (op: number, packed: number, pc: bigint): void => {
    const ok = execFp(m.v, op as Op, packed & 31, (packed >>> 5) & 31, (packed >>> 10) & 31, (packed >>> 15) & 31, (packed >>> 20) & 7);
    if (!ok) illegal(pc);
  };

  const csr = (op: number, packed: number, pc: bigint): void => {
    const rd = packed & 31, rs1 = (packed >>> 5) & 31, number = (packed >>> 10) & 0xfff;
    m.instret = Number(dv.getBigUint64(INSTRET_OFF, true));
    const ok = csrAccess(m, op as Op, rd === 0 ? SINK32 : X32 + 2 * rd, X32 + 2 * rs1, rs1, number);
    if (!ok) illegal(pc);
  };

  const amo = (op: number, packed: number, pc: bigint): void => {
    try {
      execAmo(m, op as Op, packed & 31, (packed >>> 5) & 31, (packed >>> 10) & 31);
    } catch (e) {
      setPc(pc);
      throw e;
    }
  };

  const trap = (signo: number, code: number, addr: bigint, pc: bigint): never => {
    setPc(pc);
    throw new Trap(signo, code, addr);
  };

  const takeFault = (): unknown => {
    const e = fault;
    fault = undefined;
    i32[EXIT_REASON_OFF >> 2] = ExitReason.None;
    return e;
  };

  const imports = {
    [HELPER_LOAD]: load,
    [HELPER_STORE]: store,
    [HELPER_TRANSLATE]: translate,
    [HELPER_ECALL]: ecall,
    [HELPER_FP]: fp,
    [HELPER_CSR]: csr,
    [HELPER_AMO]: amo,
    [HELPER_TRAP]: trap,
    [HELPER_FPU]: fpuHelper(m.v, (pc) => report(new Trap(SIGILL, ILL_ILLOPC, pc), pc)),
    ...fmaHelpers(),
  };
  return { imports, takeFault };
}

/** Exact fused multiply-adds, by running fmadd.s/fmadd.d (round to nearest) of the
 * interpreter's FP unit on a private scratch state block. */
function fmaHelpers(): Record<string, HelperFn> {
  const buf = new ArrayBuffer(STATE_END);
  const v: FpViews = { i32: new Int32Array(buf), f64: new Float64Array(buf), f32: new Float32Array(buf), u8: new Uint8Array(buf) };
  const F32 = F_OFF >> 2, F64 = F_OFF >> 3;
  const box = (r: number, x: number) => { v.f32[F32 + 2 * r] = x; v.i32[F32 + 2 * r + 1] = -1; };
  return {
    [HELPER_FMA32]: (a: number, b: number, c: number): number => {
      box(1, a); box(2, b); box(3, c);
      execFp(v, Op.fmadd_s, 0, 1, 2, 3, 0);
      return v.f32[F32];
    },
    [HELPER_FMA64]: (a: number, b: number, c: number): number => {
      v.f64[F64 + 1] = a; v.f64[F64 + 2] = b; v.f64[F64 + 3] = c;
      execFp(v, Op.fmadd_d, 0, 1, 2, 3, 0);
      return v.f64[F64];
    },
  };
}
