//! Clocks: clock_gettime, clock_getres, gettimeofday, times, getrusage (sleeping is in wait.ts).

import type { Machine } from '../machine.js';
import { argI, argU, Struct, timespec } from './abi.js';
import { EINVAL, fail } from './errno.js';

export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;
export const CLOCK_PROCESS_CPUTIME_ID = 2;
export const CLOCK_THREAD_CPUTIME_ID = 3;
export const CLOCK_MONOTONIC_RAW = 4;
export const CLOCK_REALTIME_COARSE = 5;
export const CLOCK_MONOTONIC_COARSE = 6;
export const CLOCK_BOOTTIME = 7;
export const CLOCK_REALTIME_ALARM = 8;
export const CLOCK_BOOTTIME_ALARM = 9;
export const CLOCK_TAI = 11;

const COARSE_NS = 4_000_000n;

/** Realtime = monotonic + this offset (ns), fixed at first use so the two agree. */
let realtimeOffset: bigint | undefined;

function monotonicNs(): bigint {
  return process.hrtime.bigint();
}

function realtimeNs(): bigint {
  if (realtimeOffset === undefined) realtimeOffset = BigInt(Date.now()) * 1_000_000n - monotonicNs();
  return monotonicNs() + realtimeOffset;
}

function cpuNs(): bigint {
  const u = process.cpuUsage();
  return BigInt(u.user + u.system) * 1000n;
}

/** The clock's current value in ns, or undefined for an unknown clock id. */
export function clockNs(clock: number): bigint | undefined {
  switch (clock) {
    case CLOCK_REALTIME: case CLOCK_REALTIME_ALARM: return realtimeNs();
    case CLOCK_TAI: return realtimeNs() + 37_000_000_000n;
    case CLOCK_REALTIME_COARSE: return (realtimeNs() / COARSE_NS) * COARSE_NS;
    case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_BOOTTIME: case CLOCK_BOOTTIME_ALARM:
      return monotonicNs();
    case CLOCK_MONOTONIC_COARSE: return (monotonicNs() / COARSE_NS) * COARSE_NS;
    case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID: return cpuNs();
    default:
      // Dynamic CPU clocks (clock_getcpuclockid/pthread_getcpuclockid of ourselves).
      if (clock < 0) return cpuNs();
      return undefined;
  }
}

export function sysClockGettime(m: Machine): number {
  const ns = clockNs(argI(m, 0));
  if (ns === undefined) fail(EINVAL);
  timespec(ns).writeTo(m, argU(m, 1));
  return 0;
}

export function sysClockGetres(m: Machine): number {
  const clock = argI(m, 0);
  if (clockNs(clock) === undefined) fail(EINVAL);
  const addr = argU(m, 1);
  const coarse = clock === CLOCK_REALTIME_COARSE || clock === CLOCK_MONOTONIC_COARSE;
  if (addr !== 0) timespec(coarse ? COARSE_NS : 1n).writeTo(m, addr);
  return 0;
}

export function sysGettimeofday(m: Machine): number {
  const tv = argU(m, 0);
  const tz = argU(m, 1);
  if (tv !== 0) {
    const ns = realtimeNs();
    new Struct(16).u64(0, ns / 1_000_000_000n).u64(8, (ns % 1_000_000_000n) / 1000n).writeTo(m, tv);
  }
  if (tz !== 0) new Struct(8).writeTo(m, tz);
  return 0;
}

const TICKS_PER_SEC = 100n;

export function sysTimes(m: Machine): number {
  const addr = argU(m, 0);
  if (addr !== 0) {
    const u = process.cpuUsage();
    const ticks = (us: number) => (BigInt(us) * TICKS_PER_SEC) / 1_000_000n;
    new Struct(32).u64(0, ticks(u.user)).u64(8, ticks(u.system)).writeTo(m, addr);
  }
  return Number((monotonicNs() * TICKS_PER_SEC) / 1_000_000_000n);
}

const RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;

export function sysGetrusage(m: Machine): number {
  const who = argI(m, 0);
  if (who !== RUSAGE_SELF && who !== RUSAGE_CHILDREN && who !== RUSAGE_THREAD) fail(EINVAL);
  const r = new Struct(144);
  if (who !== RUSAGE_CHILDREN) {
    const u = process.cpuUsage();
    r.u64(0, Math.floor(u.user / 1e6)).u64(8, u.user % 1e6).u64(16, Math.floor(u.system / 1e6)).u64(24, u.system % 1e6);
    r.u64(32, m.as.framesInUse * 4); // ru_maxrss in KiB: guest pages currently in use
  }
  r.writeTo(m, argU(m, 1));
  return 0;
}
