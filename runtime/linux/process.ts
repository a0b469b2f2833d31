//! The process and its (single) thread: exit, ids, set_tid_address, robust lists, rseq,
//! futex (one thread: nobody else can wake us), membarrier, prctl, priorities, and the
//! riscv-specific icache flush and hwprobe.

import type { Machine } from '../machine.js';
import { ProcessExit } from '../machine.js';
import { argI, argU, readTimespec, readU32, sleepMs, stateOf, Struct, writeU32 } from './abi.js';
import { EAGAIN, EINVAL, ENOSYS, EPERM, ESRCH, ETIMEDOUT, fail } from './errno.js';
import { clockNs, CLOCK_MONOTONIC, CLOCK_REALTIME } from './time.js';

export function sysExit(m: Machine): never {
  throw new ProcessExit(argI(m, 0) & 0xff);
}

export function sysGetpid(): number { return process.pid; }
let ppid: number | undefined;
/** process.ppid asks the OS each time: ask once. */
export function sysGetppid(): number { return (ppid ??= process.ppid); }
export function sysGettid(): number { return process.pid; }
export function sysGetuid(): number { return process.getuid?.() ?? 0; }
export function sysGeteuid(): number { return process.geteuid?.() ?? 0; }
export function sysGetgid(): number { return process.getgid?.() ?? 0; }
export function sysGetegid(): number { return process.getegid?.() ?? 0; }

function ids3(m: Machine, v: number): number {
  for (let i = 0; i < 3; i++) writeU32(m, argU(m, i), v);
  return 0;
}

export function sysGetresuid(m: Machine): number { return ids3(m, sysGetuid()); }
export function sysGetresgid(m: Machine): number { return ids3(m, sysGetgid()); }

export function sysGetgroups(m: Machine): number {
  if (argI(m, 0) < 0) fail(EINVAL);
  return 0;
}

/** setuid: only "changing" to what we already are is allowed. */
export function sysSetuid(m: Machine): number {
  if (argI(m, 0) !== sysGetuid()) fail(EPERM);
  return 0;
}

export function sysSetgid(m: Machine): number {
  if (argI(m, 0) !== sysGetgid()) fail(EPERM);
  return 0;
}

function checkPid(p: number): void {
  if (p !== 0 && p !== process.pid) fail(ESRCH);
}

export function sysGetpgid(m: Machine): number {
  checkPid(argI(m, 0));
  return process.pid;
}

export function sysGetsid(m: Machine): number {
  checkPid(argI(m, 0));
  return process.pid;
}

export function sysSetpgid(m: Machine): number {
  checkPid(argI(m, 0));
  const pg = argI(m, 1);
  if (pg < 0) fail(EINVAL);
  if (pg !== 0 && pg !== process.pid) fail(EPERM);
  return 0;
}

export function sysSetsid(): number {
  return fail(EPERM); // already a process group leader
}

export function sysGetpriority(m: Machine): number {
  const which = argI(m, 0);
  if (which < 0 || which > 2) fail(EINVAL);
  return 20; // 20 - nice, with nice 0
}

export function sysSetpriority(m: Machine): number {
  const which = argI(m, 0);
  if (which < 0 || which > 2) fail(EINVAL);
  if (argI(m, 2) < 0) fail(EPERM);
  return 0;
}

interface ThreadState {
  clearChildTid: number;
  robustList: number;
  name: string;
}

function threadState(m: Machine): ThreadState {
  return stateOf(m, 'thread', () => ({
    clearChildTid: 0,
    robustList: 0,
    name: (m.options.programPath.split('/').pop() ?? 'rvwasm').slice(0, 15),
  }));
}

export function sysSetTidAddress(m: Machine): number {
  threadState(m).clearChildTid = argU(m, 0);
  return process.pid;
}

export function sysSetRobustList(m: Machine): number {
  if (argU(m, 1) !== 24) fail(EINVAL);
  threadState(m).robustList = argU(m, 0);
  return 0;
}

export function sysGetRobustList(m: Machine): number {
  checkPid(argI(m, 0));
  new Struct(8).u64(0, threadState(m).robustList).writeTo(m, argU(m, 1));
  new Struct(8).u64(0, 24).writeTo(m, argU(m, 2));
  return 0;
}

/** Known syscalls we deliberately don't provide (the libc copes): -ENOSYS, no warning. */
export function sysNotProvided(): number {
  return -ENOSYS;
}

// ---- futex ----

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;

function sext12(x: number): number {
  return (x << 20) >> 20;
}

export function sysFutex(m: Machine): number {
  const uaddr = argU(m, 0);
  const opFull = argI(m, 1);
  const op = opFull & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  const val = argI(m, 2) >>> 0;
  const timeout = argU(m, 3);
  if (uaddr % 4 !== 0) fail(EINVAL);
  switch (op) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
      if (op === FUTEX_WAIT_BITSET && argI(m, 5) === 0) fail(EINVAL);
      if (readU32(m, uaddr) !== val) fail(EAGAIN);
      // Only another thread could wake us; with a timeout we sleep it out, without one a
      // real kernel would hang forever: report a (permitted) spurious wakeup instead.
      if (timeout === 0) return 0;
      const { sec, nsec } = readTimespec(m, timeout);
      if (sec < 0n || nsec < 0n || nsec >= 1_000_000_000n) fail(EINVAL);
      let ns = sec * 1_000_000_000n + nsec;
      if (op === FUTEX_WAIT_BITSET) {
        // Absolute, against CLOCK_MONOTONIC unless FUTEX_CLOCK_REALTIME.
        ns -= clockNs(opFull & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC)!;
      }
      if (ns > 0n) sleepMs(Number(ns) / 1e6);
      return fail(ETIMEDOUT);
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
      if (op === FUTEX_WAKE_BITSET && argI(m, 5) === 0) fail(EINVAL);
      return 0;
    case FUTEX_REQUEUE:
      return 0;
    case FUTEX_CMP_REQUEUE:
      if (readU32(m, uaddr) !== argI(m, 5) >>> 0) fail(EAGAIN);
      return 0;
    case FUTEX_WAKE_OP: {
      const uaddr2 = argU(m, 4);
      const enc = argI(m, 5);
      const wop = (enc >>> 28) & 7;
      const cmp = (enc >>> 24) & 15;
      let oparg = sext12((enc >>> 12) & 0xfff);
      if ((enc >>> 28) & 8) oparg = 1 << (oparg & 31);
      // The comparison (cmp, cmparg) only decides whether waiters on uaddr2 wake: there are none.
      if (cmp > 5) fail(ENOSYS);
      const old = readU32(m, uaddr2) | 0;
      let nv: number;
      switch (wop) {
        case 0: nv = oparg; break;
        case 1: nv = old + oparg; break;
        case 2: nv = old | oparg; break;
        case 3: nv = old & ~oparg; break;
        case 4: nv = old ^ oparg; break;
        default: return fail(ENOSYS);
      }
      writeU32(m, uaddr2, nv);
      return 0;
    }
    default:
      return fail(ENOSYS);
  }
}

// ---- prctl ----

const PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4;
const PR_SET_NAME = 15, PR_GET_NAME = 16, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
const PR_SET_VMA = 0x53564d41;

export function sysPrctl(m: Machine): number {
  const option = argI(m, 0);
  const st = threadState(m);
  switch (option) {
    case PR_SET_NAME: st.name = m.as.readCString(argU(m, 1), 16).slice(0, 15); return 0;
    case PR_GET_NAME: new Struct(16).str(0, st.name, 16).writeTo(m, argU(m, 1)); return 0;
    case PR_SET_PDEATHSIG: case PR_SET_DUMPABLE: case PR_SET_NO_NEW_PRIVS: case PR_SET_VMA: return 0;
    case PR_GET_PDEATHSIG: new Struct(4).writeTo(m, argU(m, 1)); return 0;
    case PR_GET_DUMPABLE: return 1;
    case PR_GET_NO_NEW_PRIVS: return 0;
    default: return fail(EINVAL);
  }
}

// ---- riscv ----

/** riscv_flush_icache: every write to a code page already invalidates translations. */
export function sysRiscvFlushIcache(m: Machine): number {
  if (argU(m, 2) & ~1) fail(EINVAL);
  return 0;
}
