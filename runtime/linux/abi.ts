//! Small helpers every syscall module shares: reading the arguments a0..a5, checking and
//! copying guest memory, building little-endian structs, per-machine state in `m.linux`,
//! and one-time warnings on stderr.

import { writeSync } from 'node:fs';
import { PAGE_SIZE } from '../../layout/layout.js';
import type { Machine } from '../machine.js';
import { EFAULT, fail } from './errno.js';

/** Returned by a handler that has set the registers itself (rt_sigreturn): a0 stays as is. */
export const NO_RESULT: unique symbol = Symbol('no result');
export type SyscallResult = number | bigint | typeof NO_RESULT;

const A0 = 10;

/** Argument i as an unsigned number (addresses, sizes; exact below 2^53). */
export function argU(m: Machine, i: number): number {
  return m.getXNumber(A0 + i);
}

/** Argument i as a signed 32-bit int (fds, flags, signal numbers). */
export function argI(m: Machine, i: number): number {
  return Number(BigInt.asIntN(32, m.getX(A0 + i)));
}

/** Argument i as an unsigned 32-bit int. */
export function argU32(m: Machine, i: number): number {
  return Number(BigInt.asUintN(32, m.getX(A0 + i)));
}

/** Argument i as a signed 64-bit number (offsets). */
export function argL(m: Machine, i: number): number {
  return Number(BigInt.asIntN(64, m.getX(A0 + i)));
}

/** Argument i as a raw unsigned 64-bit bigint. */
export function argB(m: Machine, i: number): bigint {
  return BigInt.asUintN(64, m.getX(A0 + i));
}

// ---- guest memory ----

/** Throws EFAULT unless every page of [addr, addr+len) is mapped with all of `prot`. */
export function checkAccess(m: Machine, addr: number, len: number, prot: number): void {
  if (len <= 0) return;
  if (!Number.isSafeInteger(addr) || addr + len > 2 ** 53) fail(EFAULT);
  const first = Math.floor(addr / PAGE_SIZE);
  const last = Math.floor((addr + len - 1) / PAGE_SIZE);
  for (let p = first; p <= last; p++) {
    const pr = m.as.protOf(p);
    if (pr < 0 || (pr & prot) !== prot) fail(EFAULT);
  }
}

/** How many bytes from `addr` (at most `len`) lie on pages mapped with all of `prot`. */
export function accessiblePrefix(m: Machine, addr: number, len: number, prot: number): number {
  if (len <= 0 || !Number.isSafeInteger(addr)) return 0;
  let done = 0;
  while (done < len) {
    const a = addr + done;
    const pr = m.as.protOf(Math.floor(a / PAGE_SIZE));
    if (pr < 0 || (pr & prot) !== prot) break;
    done += PAGE_SIZE - (a % PAGE_SIZE);
  }
  return Math.min(done, len);
}

/** Copies guest memory out (EFAULT via GuestFault when unreadable). */
export function readMem(m: Machine, addr: number, len: number): Uint8Array {
  if (len === 0) return new Uint8Array(0);
  return m.as.read(addr, len);
}

/** Copies bytes into the guest, honouring page protection. */
export function writeMem(m: Machine, addr: number, data: Uint8Array): void {
  if (data.length === 0) return;
  m.as.write(addr, data);
}

export function readU32(m: Machine, addr: number): number {
  const b = m.as.read(addr, 4);
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}

export function readU64(m: Machine, addr: number): bigint {
  return m.as.readU64(addr);
}

export function writeU32(m: Machine, addr: number, v: number): void {
  m.as.writeU32(addr, v);
}

export function writeU64(m: Machine, addr: number, v: bigint | number): void {
  m.as.writeU64(addr, BigInt(v));
}

/** A little-endian struct being built or parsed on the host side. */
export class Struct {
  readonly bytes: Uint8Array;
  readonly dv: DataView;

  constructor(sizeOrBytes: number | Uint8Array) {
    this.bytes = typeof sizeOrBytes === 'number' ? new Uint8Array(sizeOrBytes) : sizeOrBytes;
    this.dv = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  static read(m: Machine, addr: number, size: number): Struct {
    return new Struct(m.as.read(addr, size));
  }

  u8(off: number, v: number): this { this.dv.setUint8(off, v); return this; }
  u16(off: number, v: number): this { this.dv.setUint16(off, v, true); return this; }
  u32(off: number, v: number): this { this.dv.setUint32(off, v >>> 0, true); return this; }
  i32(off: number, v: number): this { this.dv.setInt32(off, v | 0, true); return this; }
  u64(off: number, v: bigint | number): this {
    this.dv.setBigUint64(off, BigInt.asUintN(64, BigInt(typeof v === 'number' ? Math.trunc(v) : v)), true);
    return this;
  }
  str(off: number, s: string, max: number): this {
    const b = Buffer.from(s, 'utf8').subarray(0, max - 1);
    this.bytes.set(b, off);
    this.bytes[off + b.length] = 0;
    return this;
  }

  getU32(off: number): number { return this.dv.getUint32(off, true); }
  getI32(off: number): number { return this.dv.getInt32(off, true); }
  getU64(off: number): bigint { return this.dv.getBigUint64(off, true); }
  getI64(off: number): bigint { return this.dv.getBigInt64(off, true); }

  writeTo(m: Machine, addr: number): void {
    m.as.write(addr, this.bytes);
  }
}

/** struct timespec / timeval from nanoseconds since the epoch of some clock. */
export function timespec(ns: bigint): Struct {
  return new Struct(16).u64(0, ns / 1_000_000_000n).u64(8, ns % 1_000_000_000n);
}

/** Reads a struct timespec; EINVAL (thrown by caller's check) is left to the caller. */
export function readTimespec(m: Machine, addr: number): { sec: bigint; nsec: bigint } {
  const s = Struct.read(m, addr, 16);
  return { sec: s.getI64(0), nsec: s.getI64(8) };
}

// ---- per-machine state and warnings ----

/** The state a module keeps for a machine, created on first use, kept in `m.linux[key]`. */
export function stateOf<T>(m: Machine, key: string, init: () => T): T {
  let s = m.linux[key] as T | undefined;
  if (s === undefined) {
    s = init();
    m.linux[key] = s;
  }
  return s;
}

/** Where warnings and fatal-signal messages go (the host's stderr, synchronously); tests may replace it. */
export const diagnostics = {
  write(line: string): void {
    try {
      writeSync(2, line + '\n');
    } catch {
      // stderr closed: nothing to do.
    }
  },
};

/** Writes one line to the host's stderr. */
export function stderrLine(line: string): void {
  diagnostics.write(line);
}

/** Prints `rvwasm: warning: <msg>` once per machine and key. */
export function warnOnce(m: Machine, key: string, msg: string): void {
  const seen = stateOf(m, 'warned', () => new Set<string>());
  if (seen.has(key)) return;
  seen.add(key);
  stderrLine(`rvwasm: warning: ${msg}`);
}

/** Sleeps the host thread (the guest really waits). */
export function sleepMs(ms: number): void {
  if (!(ms > 0)) return;
  const scratch = new Int32Array(new SharedArrayBuffer(4));
  const end = performance.now() + ms;
  for (;;) {
    const left = end - performance.now();
    if (left <= 0) return;
    Atomics.wait(scratch, 0, 0, left);
  }
}
