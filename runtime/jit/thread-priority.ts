//! The compile workers' scheduling priority. On a machine with few cores a compile worker,
//! V8's background threads (which optimize the interpreter, and collect garbage) and the
//! guest's thread compete; the guest's side must win, for an interpreter slowed down costs
//! more than code compiled a little later wins. So a worker runs at the lowest priority
//! (nice 19). On Linux, setpriority() of pid 0 applies to the calling thread only, and a
//! new thread is born with its creator's priority; elsewhere it would lower the whole
//! process, so priorities are left alone there.
//!
//! The worker's entry (`compile-worker-entry.cts`), CommonJS, which cannot load this
//! module synchronously, lowers its thread itself, to the same WORKER_NICE.

import { readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

export const WORKER_NICE = 19;

const onLinux = process.platform === 'linux';

/** Runs `start`, which starts worker threads, with the calling thread lowered to
 * WORKER_NICE, so that they are born at it: a worker that lowers itself only once its
 * code runs has booted Node (~50 ms of CPU) at the guest's priority by then, and that
 * boot delayed V8's optimizing of the interpreter, on the other core, enough to cost the
 * guest ~30 ms (7% of a 0.6 s run). Only where the calling thread may raise itself back
 * afterwards (a thread may always lower itself, but raising needs privilege); elsewhere
 * the workers lower themselves as they start. */
export function startLowered<T>(start: () => T): T {
  if (!onLinux) return start();
  const own = getPriority(0);
  if (own >= WORKER_NICE || !mayRaiseTo(own)) return start();
  try {
    setPriority(0, WORKER_NICE);
  } catch {
    return start();
  }
  try {
    return start();
  } finally {
    try {
      setPriority(0, own);
    } catch {
      // mayRaiseTo said it would work; if it did not, this thread stays lowered.
    }
  }
}

/** Whether this thread, once lowered, may set its nice value back to `nice`: with
 * CAP_SYS_NICE (outside a user namespace, where capabilities do not reach global
 * priorities), or within RLIMIT_NICE (nice values down to 20 - its soft limit). */
export function mayRaiseTo(nice: number, read: (file: string) => string = (f) => readFileSync(f, 'latin1')): boolean {
  try {
    const limit = /^Max nice priority\s+(\d+)/m.exec(read('/proc/self/limits'));
    if (limit !== null && nice >= 20 - Number(limit[1])) return true;
    const caps = /^CapEff:\s*([0-9a-f]+)/m.exec(read('/proc/self/status'));
    const CAP_SYS_NICE = 23n;
    if (caps === null || ((BigInt(`0x${caps[1]}`) >> CAP_SYS_NICE) & 1n) === 0n) return false;
    // The initial user namespace maps every uid to itself, all 2^32 of them.
    const map = read('/proc/self/uid_map').trim().split(/\s+/);
    return map.length === 3 && map[0] === '0' && map[1] === '0' && map[2] === '4294967295';
  } catch {
    return false;
  }
}
