//! System information and resource limits: uname, sysinfo, prlimit64/getrlimit/setrlimit,
//! getrandom, and the scheduler queries (one CPU).

import { randomFillSync } from 'node:crypto';
import { loadavg, uptime } from 'node:os';
import { FRAMES_BASE, MEMORY_BYTES, PAGE_SIZE } from '../../layout/layout.js';
import type { Machine } from '../machine.js';
import { argI, argU, stateOf, Struct } from './abi.js';
import { EINVAL, EPERM, ESRCH, fail } from './errno.js';
import { fdTable } from './fdtable.js';

export const UNAME = {
  sysname: 'Linux',
  nodename: 'rvwasm',
  release: '6.1.0',
  version: '#1 SMP PREEMPT_DYNAMIC rvwasm',
  machine: 'riscv64',
  domainname: '(none)',
};

export function sysUname(m: Machine): number {
  const u = new Struct(6 * 65);
  [UNAME.sysname, UNAME.nodename, UNAME.release, UNAME.version, UNAME.machine, UNAME.domainname]
    .forEach((s, i) => u.str(65 * i, s, 65));
  u.writeTo(m, argU(m, 0));
  return 0;
}

export function sysSysinfo(m: Machine): number {
  const total = MEMORY_BYTES - FRAMES_BASE;
  const free = Math.max(0, total - m.as.framesInUse * PAGE_SIZE);
  const s = new Struct(112);
  s.u64(0, Math.floor(uptime()));
  loadavg().forEach((l, i) => s.u64(8 + 8 * i, Math.round(l * 65536)));
  s.u64(32, total).u64(40, free).u16(80, 1).u32(104, 1);
  s.writeTo(m, argU(m, 0));
  return 0;
}

// ---- resource limits ----

const INF = (1n << 64n) - 1n;
export const RLIMIT_STACK = 3;
export const RLIMIT_NOFILE = 7;
const RLIM_NLIMITS = 16;

interface Limit { cur: bigint; max: bigint }

function limits(m: Machine): Limit[] {
  return stateOf(m, 'rlimits', () => {
    const l: Limit[] = Array.from({ length: RLIM_NLIMITS }, () => ({ cur: INF, max: INF }));
    l[RLIMIT_STACK] = { cur: 8n << 20n, max: INF };
    l[4] = { cur: 0n, max: INF }; // CORE
    l[6] = { cur: 63_000n, max: 63_000n }; // NPROC
    l[RLIMIT_NOFILE] = { cur: 1024n, max: 4096n };
    l[8] = { cur: 8n << 20n, max: 8n << 20n }; // MEMLOCK
    l[10] = { cur: INF, max: INF }; // LOCKS
    l[11] = { cur: 63_000n, max: 63_000n }; // SIGPENDING
    l[12] = { cur: 819_200n, max: 819_200n }; // MSGQUEUE
    l[13] = { cur: 0n, max: 0n }; // NICE
    l[14] = { cur: 0n, max: 0n }; // RTPRIO
    return l;
  });
}

/** The current soft limit of a resource. */
export function softLimit(m: Machine, resource: number): bigint {
  return limits(m)[resource].cur;
}

function getSet(m: Machine, resource: number, newAddr: number, oldAddr: number): number {
  if (resource < 0 || resource >= RLIM_NLIMITS) fail(EINVAL);
  const l = limits(m);
  let next: Limit | undefined;
  if (newAddr !== 0) {
    const s = Struct.read(m, newAddr, 16);
    next = { cur: s.getU64(0), max: s.getU64(8) };
    if (next.cur > next.max) fail(EINVAL);
    if (next.max > l[resource].max) fail(EPERM);
    if (resource === RLIMIT_NOFILE && next.max > 1048576n) fail(EPERM);
  }
  if (oldAddr !== 0) new Struct(16).u64(0, l[resource].cur).u64(8, l[resource].max).writeTo(m, oldAddr);
  if (next !== undefined) {
    l[resource] = next;
    if (resource === RLIMIT_NOFILE) fdTable(m).limit = Number(next.cur);
  }
  return 0;
}

export function sysPrlimit64(m: Machine): number {
  const pid = argI(m, 0);
  if (pid !== 0 && pid !== process.pid) fail(ESRCH);
  return getSet(m, argI(m, 1), argU(m, 2), argU(m, 3));
}

export function sysGetrlimit(m: Machine): number {
  return getSet(m, argI(m, 0), 0, argU(m, 1));
}

export function sysSetrlimit(m: Machine): number {
  return getSet(m, argI(m, 0), argU(m, 1), 0);
}

// ---- randomness ----

const GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

export function sysGetrandom(m: Machine): number {
  const addr = argU(m, 0);
  const len = Math.min(argU(m, 1), 33554431);
  const flags = argI(m, 2);
  if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) fail(EINVAL);
  if (flags & GRND_INSECURE && flags & GRND_RANDOM) fail(EINVAL);
  if (len === 0) return 0;
  m.as.write(addr, randomFillSync(new Uint8Array(len)));
  return len;
}

// ---- scheduler ----

function checkSelf(pid: number): void {
  if (pid !== 0 && pid !== process.pid) fail(ESRCH);
}

export function sysSchedGetaffinity(m: Machine): number {
  checkSelf(argI(m, 0));
  const len = argU(m, 1);
  if (len < 8 || len % 8 !== 0) fail(EINVAL);
  new Struct(8).u64(0, 1).writeTo(m, argU(m, 2));
  return 8;
}

export function sysSchedSetaffinity(m: Machine): number {
  checkSelf(argI(m, 0));
  const len = argU(m, 1);
  const mask = Struct.read(m, argU(m, 2), Math.min(len, 8));
  if (len === 0 || (mask.bytes[0] & 1) === 0) fail(EINVAL);
  return 0;
}

export function sysGetcpu(m: Machine): number {
  const cpu = argU(m, 0);
  const node = argU(m, 1);
  if (cpu !== 0) new Struct(4).writeTo(m, cpu);
  if (node !== 0) new Struct(4).writeTo(m, node);
  return 0;
}

export function sysSchedGetscheduler(m: Machine): number {
  checkSelf(argI(m, 0));
  return 0; // SCHED_OTHER
}

export function sysSchedGetparam(m: Machine): number {
  checkSelf(argI(m, 0));
  new Struct(4).writeTo(m, argU(m, 1));
  return 0;
}

const SCHED_FIFO = 1, SCHED_RR = 2;

function schedPolicy(m: Machine): number {
  const policy = argI(m, 0);
  if (policy < 0 || policy > 6 || policy === 4) fail(EINVAL);
  return policy;
}

export function sysSchedGetPriorityMax(m: Machine): number {
  const p = schedPolicy(m);
  return p === SCHED_FIFO || p === SCHED_RR ? 99 : 0;
}

export function sysSchedGetPriorityMin(m: Machine): number {
  const p = schedPolicy(m);
  return p === SCHED_FIFO || p === SCHED_RR ? 1 : 0;
}
