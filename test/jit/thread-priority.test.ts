// Compile workers' priority: a thread started inside startLowered is born at WORKER_NICE
// where the caller may raise itself back afterwards (and the caller is back at its own
// priority after); mayRaiseTo reads the rlimit, the capability and the user namespace;
// the worker's entry lowers its thread to the same value. (The entry runs from dist/.)
import { spawnSync } from 'node:child_process';
import { getPriority } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { mayRaiseTo, startLowered, WORKER_NICE } from '../../runtime/jit/thread-priority.js';
import { ROOT } from '../helpers.js';

const LIMITS_NONE = 'Limit                     Soft Limit           Hard Limit           Units\nMax nice priority         0                    0\n';
const LIMITS_40 = 'Max nice priority         40                   40\n';
const CAPS_ALL = 'Name:\tnode\nCapEff:\t000001ffffffffff\n';
const CAPS_NO_NICE = `Name:\tnode\nCapEff:\t${(0x1ffffffffffn & ~(1n << 23n)).toString(16).padStart(16, '0')}\n`;
const INIT_NS = '         0          0 4294967295\n';
const USER_NS = '         0       1000          1\n';

function files(limits: string, status: string, uidMap: string): (file: string) => string {
  return (file) => {
    if (file === '/proc/self/limits') return limits;
    if (file === '/proc/self/status') return status;
    if (file === '/proc/self/uid_map') return uidMap;
    throw new Error(`ENOENT: ${file}`);
  };
}

describe('mayRaiseTo', () => {
  it('allows what RLIMIT_NICE allows: nice values down to 20 minus its soft limit', () => {
    expect(mayRaiseTo(-20, files(LIMITS_40, CAPS_NO_NICE, USER_NS))).toBe(true);
    expect(mayRaiseTo(0, files('Max nice priority         20                   20\n', CAPS_NO_NICE, USER_NS))).toBe(true);
    expect(mayRaiseTo(0, files('Max nice priority         19                   20\n', CAPS_NO_NICE, USER_NS))).toBe(false);
  });

  it('allows CAP_SYS_NICE only in the initial user namespace', () => {
    expect(mayRaiseTo(0, files(LIMITS_NONE, CAPS_ALL, INIT_NS))).toBe(true);
    expect(mayRaiseTo(0, files(LIMITS_NONE, CAPS_ALL, USER_NS))).toBe(false);
    expect(mayRaiseTo(0, files(LIMITS_NONE, CAPS_NO_NICE, INIT_NS))).toBe(false);
  });

  it('says no when it cannot read them', () => {
    expect(mayRaiseTo(0, () => { throw new Error('EACCES'); })).toBe(false);
    expect(mayRaiseTo(0, files(LIMITS_NONE, 'Name:\tnode\n', INIT_NS))).toBe(false);
  });
});

/** The priority a new worker thread finds itself at when its code first runs. */
function bornAt(): { worker: Worker; nice: Promise<number> } {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads'); parentPort.postMessage(require('node:os').getPriority(0));`,
    { eval: true },
  );
  const nice = new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { worker, nice };
}

describe.runIf(process.platform === 'linux')('startLowered', () => {
  it('starts threads at WORKER_NICE where this thread may raise itself back, and is back after', async () => {
    const own = getPriority(0);
    const lowered = own < WORKER_NICE && mayRaiseTo(own);
    let inside = NaN;
    const { worker, nice } = startLowered(() => {
      inside = getPriority(0);
      return bornAt();
    });
    expect(getPriority(0)).toBe(own);
    expect(inside).toBe(lowered ? WORKER_NICE : own);
    try {
      expect(await nice).toBe(lowered ? WORKER_NICE : own);
    } finally {
      await worker.terminate();
    }
  });

  it('gives back what start returns, and what it throws', () => {
    expect(startLowered(() => 42)).toBe(42);
    const own = getPriority(0);
    expect(() => startLowered(() => { throw new Error('no thread'); })).toThrow('no thread');
    expect(getPriority(0)).toBe(own);
  });
});

describe.runIf(process.platform === 'linux')("the compile worker's entry", () => {
  it('lowers the thread it runs on to WORKER_NICE', () => {
    const entry = path.join(ROOT, 'dist/runtime/jit/compile-worker-entry.cjs');
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(entry)}); process.stdout.write(String(require('node:os').getPriority(0)))`], { encoding: 'utf8' });
    expect(r.stdout).toBe(String(WORKER_NICE));
  });
});
