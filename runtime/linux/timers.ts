//! Interval timers (setitimer/getitimer; glibc's alarm() uses ITIMER_REAL). ITIMER_REAL
//! raises SIGALRM when it expires; we notice expiry whenever a syscall returns and while a
//! guest waits in a syscall. ITIMER_VIRTUAL and ITIMER_PROF are remembered but never fire.

import type { Machine } from '../machine.js';
import { argI, argU, stateOf, Struct } from './abi.js';
import { EINVAL, fail } from './errno.js';
import { SI_KERNEL, SIGALRM, sendSignal } from './signals.js';

const ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
const US = 1000n;
const S = 1_000_000_000n;

interface Timer {
  /** Monotonic ns at which it fires next (null: disarmed); for the virtual timers, the value. */
  deadline: bigint | null;
  interval: bigint;
}

interface TimerState {
  timers: Timer[];
}

function timerState(m: Machine): TimerState {
  return stateOf(m, 'timers', () => ({
    timers: [0, 1, 2].map(() => ({ deadline: null, interval: 0n })),
  }));
}

const now = (): bigint => process.hrtime.bigint();

/** Fires ITIMER_REAL if it has expired (SIGALRM becomes pending). Cheap when no timer is armed. */
export function checkTimers(m: Machine): void {
  const st = m.linux.timers as TimerState | undefined;
  const t = st?.timers[ITIMER_REAL];
  if (t === undefined || t.deadline === null) return;
  const n = now();
  if (n < t.deadline) return;
  if (t.interval > 0n) {
    const missed = (n - t.deadline) / t.interval + 1n;
    t.deadline += missed * t.interval;
  } else {
    t.deadline = null;
  }
  sendSignal(m, { signo: SIGALRM, code: SI_KERNEL });
}

/** When ITIMER_REAL fires next (monotonic ns), or null. */
export function realTimerDeadline(m: Machine): bigint | null {
  const st = m.linux.timers as TimerState | undefined;
  return st?.timers[ITIMER_REAL].deadline ?? null;
}

function readTimeval(s: Struct, off: number): bigint {
  const sec = s.getI64(off);
  const usec = s.getI64(off + 8);
  if (sec < 0n || usec < 0n || usec >= 1_000_000n) fail(EINVAL);
  return sec * S + usec * US;
}

function encodeItimerval(t: Timer, which: number): Struct {
  let value = 0n;
  if (t.deadline !== null) value = which === ITIMER_REAL ? t.deadline - now() : t.deadline;
  if (value < 0n) value = 0n;
  // A running timer never reads as exactly zero.
  if (t.deadline !== null && value < US) value = US;
  const s = new Struct(32);
  s.u64(0, t.interval / S).u64(8, (t.interval % S) / US).u64(16, value / S).u64(24, (value % S) / US);
  return s;
}

function checkWhich(which: number): void {
  if (which !== ITIMER_REAL && which !== ITIMER_VIRTUAL && which !== ITIMER_PROF) fail(EINVAL);
}

export function sysGetitimer(m: Machine): number {
  const which = argI(m, 0);
  checkWhich(which);
  encodeItimerval(timerState(m).timers[which], which).writeTo(m, argU(m, 1));
  return 0;
}

export function sysSetitimer(m: Machine): number {
  const which = argI(m, 0);
  const newAddr = argU(m, 1);
  const oldAddr = argU(m, 2);
  checkWhich(which);
  const t = timerState(m).timers[which];
  let next: Timer | undefined;
  if (newAddr !== 0) {
    const s = Struct.read(m, newAddr, 32);
    const interval = readTimeval(s, 0);
    const value = readTimeval(s, 16);
    next = { deadline: value === 0n ? null : which === ITIMER_REAL ? now() + value : value, interval };
  }
  if (oldAddr !== 0) encodeItimerval(t, which).writeTo(m, oldAddr);
  if (next !== undefined) timerState(m).timers[which] = next;
  return 0;
}
