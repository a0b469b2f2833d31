//! Syscalls that wait: nanosleep, clock_nanosleep, rt_sigsuspend, rt_sigtimedwait, ppoll.
//! The host thread really sleeps; the only thing that can end a wait early is our own
//! ITIMER_REAL (SIGALRM), since the guest is one thread. A wait nothing could ever end
//! (pause() with no timer, poll on an empty pipe we hold the writer of) returns EINTR with
//! a one-time warning instead of hanging forever.

import type { Machine } from '../machine.js';
import { argI, argU, readTimespec, sleepMs, Struct, timespec, warnOnce } from './abi.js';
import { EAGAIN, EFAULT, EINTR, EINVAL, fail } from './errno.js';
import { fdTable } from './fdtable.js';
import { PipeEnd } from './pipes.js';
import { encodeSiginfo, pendingDeliverable, suspendMask, takePending } from './signals.js';
import { CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, clockNs } from './time.js';
import { checkTimers, realTimerDeadline } from './timers.js';

const NS = 1_000_000_000n;
const mono = (): bigint => process.hrtime.bigint();

/**
 * Sleeps until monotonic time `end` (null: until a signal), firing our timer on the way.
 * Returns true if a signal that must be acted on interrupted the wait.
 */
function waitUntil(m: Machine, end: bigint | null, what: string): boolean {
  for (;;) {
    checkTimers(m);
    if (pendingDeliverable(m)) return true;
    const now = mono();
    if (end !== null && now >= end) return false;
    const timer = realTimerDeadline(m);
    const until = timer !== null && (end === null || timer < end) ? timer : end;
    if (until === null) {
      warnOnce(m, `forever:${what}`, `${what} would wait forever (nothing can wake a single-threaded guest); returning EINTR`);
      return true;
    }
    sleepMs(Number(until - now) / 1e6);
  }
}

function readDuration(m: Machine, addr: number): bigint {
  if (addr === 0) fail(EFAULT);
  const { sec, nsec } = readTimespec(m, addr);
  if (sec < 0n || nsec < 0n || nsec >= NS) fail(EINVAL);
  return sec * NS + nsec;
}

/** Relative sleep; on interruption writes the remaining time to `rem` and fails with EINTR. */
function sleepFor(m: Machine, ns: bigint, rem: number): number {
  const end = mono() + ns;
  if (!waitUntil(m, end, 'sleep')) return 0;
  if (rem !== 0) {
    const left = end - mono();
    timespec(left > 0n ? left : 0n).writeTo(m, rem);
  }
  return -EINTR;
}

export function sysNanosleep(m: Machine): number {
  return sleepFor(m, readDuration(m, argU(m, 0)), argU(m, 1));
}

const TIMER_ABSTIME = 1;

export function sysClockNanosleep(m: Machine): number {
  const clock = argI(m, 0);
  const flags = argI(m, 1);
  const now = clockNs(clock);
  // CPU-time clocks don't advance while we sleep: refuse rather than never waking.
  if (now === undefined || clock === CLOCK_THREAD_CPUTIME_ID || clock === CLOCK_PROCESS_CPUTIME_ID || clock < 0) {
    fail(EINVAL);
  }
  const t = readDuration(m, argU(m, 2));
  if (flags & TIMER_ABSTIME) {
    const r = sleepFor(m, t - now > 0n ? t - now : 0n, 0);
    return r;
  }
  return sleepFor(m, t, argU(m, 3));
}

export function sysRtSigsuspend(m: Machine): number {
  if (argU(m, 1) !== 8) fail(EINVAL);
  const mask = Struct.read(m, argU(m, 0), 8).getU64(0);
  suspendMask(m, mask);
  waitUntil(m, null, 'sigsuspend');
  // The dispatcher delivers the signal with the old mask saved in the frame (or restores it).
  return -EINTR;
}

export function sysRtSigtimedwait(m: Machine): number {
  const set = Struct.read(m, argU(m, 0), 8).getU64(0);
  const infoAddr = argU(m, 1);
  const timeout = argU(m, 2);
  if (argU(m, 3) !== 8) fail(EINVAL);
  const end = timeout === 0 ? null : mono() + readDuration(m, timeout);
  for (;;) {
    checkTimers(m);
    const info = takePending(m, set);
    if (info !== undefined) {
      if (infoAddr !== 0) encodeSiginfo(info).writeTo(m, infoAddr);
      return info.signo;
    }
    if (pendingDeliverable(m)) return -EINTR;
    const now = mono();
    if (end !== null && now >= end) return -EAGAIN;
    const timer = realTimerDeadline(m);
    const until = timer !== null && (end === null || timer < end) ? timer : end;
    if (until === null) {
      warnOnce(m, 'forever:sigtimedwait', 'sigtimedwait would wait forever; returning EINTR');
      return -EINTR;
    }
    sleepMs(Number(until - now) / 1e6);
  }
}

// ---- ppoll ----

const POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20;
const POLLRDNORM = 0x40, POLLWRNORM = 0x100;

function pollOne(m: Machine, fd: number, events: number): number {
  if (fd < 0) return 0;
  const t = fdTable(m);
  if (!t.has(fd)) return POLLNVAL;
  const d = t.desc(fd);
  let r = 0;
  if (d instanceof PipeEnd) {
    if (d.isWriteEnd) r = d.pipe.readers > 0 ? POLLOUT | POLLWRNORM : POLLERR;
    else {
      if (d.pipe.size > 0) r |= POLLIN | POLLRDNORM;
      if (d.pipe.writers === 0) r |= POLLHUP;
    }
  } else {
    // Files, directories, ttys: report ready (a tty read then waits for input, which is fine).
    if (d.readable) r |= POLLIN | POLLRDNORM;
    if (d.writable) r |= POLLOUT | POLLWRNORM;
  }
  return r & (events | POLLERR | POLLHUP | POLLNVAL) & ~POLLPRI;
}

export function sysPpoll(m: Machine): number {
  const fdsAddr = argU(m, 0);
  const nfds = argU(m, 1);
  const tmo = argU(m, 2);
  const sigmask = argU(m, 3);
  if (nfds > fdTable(m).limit) fail(EINVAL);
  if (sigmask !== 0 && argU(m, 4) !== 8) fail(EINVAL);
  const fds = nfds > 0 ? Struct.read(m, fdsAddr, 8 * nfds) : new Struct(0);
  const end = tmo === 0 ? null : mono() + readDuration(m, tmo);
  if (sigmask !== 0) suspendMask(m, Struct.read(m, sigmask, 8).getU64(0));
  for (;;) {
    let ready = 0;
    for (let i = 0; i < nfds; i++) {
      const r = pollOne(m, fds.getI32(8 * i), fds.dv.getInt16(8 * i + 4, true));
      fds.dv.setInt16(8 * i + 6, r, true);
      if (r !== 0) ready++;
    }
    if (ready > 0 || (end !== null && mono() >= end)) {
      if (nfds > 0) fds.writeTo(m, fdsAddr);
      return ready;
    }
    // Nothing ready: only our own timer could change that (or end the timeout).
    if (waitUntil(m, end, 'poll')) return -EINTR;
  }
}
