// The compile worker pool: modules compiled in a worker come back through the channel and
// run on the main thread (compiled by TurboFan, not Liftoff); a job that throws fails alone;
// a worker that dies fails the job it was running, the jobs it held go to its replacement.
// (Workers run the built dist/ code: `npm test` builds first.)
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INTERRUPT_OFF, PC_OFF } from '../../layout/layout.js';
import type { CompileJob, JobDone, JobFailed } from '../../runtime/jit/compile-job.js';
import { CompilePool } from '../../runtime/jit/pool.js';
import { ROOT } from '../helpers.js';

export const WORKER_FILE = path.join(ROOT, 'dist/runtime/jit/compile-worker-entry.cjs');

const memory = new WebAssembly.Memory({ initial: 65535, maximum: 65535, shared: true });
/** Guest page 1 (pc 0x1000) lives in the host frame at CODE_FRAME and holds one
 * instruction, `jal ra, 0x1800`: a region that leaves at once, through its one exit. */
const CODE_FRAME = 0x400000;
const JAL_RA_0X800 = 0x001000ef;
new DataView(memory.buffer).setUint32(CODE_FRAME, JAL_RA_0X800, true);

/** A job for that region, with two spare table slots (1 and 2) for its exits. */
function job(id: number, fault?: CompileJob['fault']): CompileJob {
  return {
    id, pc: 0x1000, window: { vpns: [1], hosts: [CODE_FRAME] }, slots: [1, 2], options: { passes: [], flat: false }, fault,
  };
}

/** Polls until `n` replies came back (the event loop turns in between, for piscina). */
async function replies(pool: CompilePool, n: number): Promise<(JobDone | JobFailed)[]> {
  const got: (JobDone | JobFailed)[] = [];
  const deadline = performance.now() + 60_000;
  while (got.length < n) {
    if (performance.now() > deadline) throw new Error(`only ${got.length} of ${n} replies`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    got.push(...pool.poll());
  }
  return got.sort((a, b) => a.id - b.id);
}

describe('the compile pool', () => {
  let pool: CompilePool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('compiles in a worker a module the main thread can run', async () => {
    pool = CompilePool.start({ jobs: 1, emitter: 'direct', memory: memory.buffer as unknown as SharedArrayBuffer, workerFile: WORKER_FILE });
    pool.submit(job(1));
    const [reply] = await replies(pool, 1);
    expect(reply.kind).toBe('done');
    const done = reply as JobDone;
    expect(done.module).toBeInstanceOf(WebAssembly.Module);
    expect(done.bytes).toBeGreaterThan(0);
    // The worker lifted the region from the code window, and numbered its exit from the
    // spare slots.
    expect({ pages: done.pages, guestInsts: done.guestInsts, exits: done.exits }).toEqual({ pages: [1], guestInsts: 1, exits: [{ pc: 0x1800, slot: 1 }] });
    const table = new WebAssembly.Table({ initial: 2, element: 'anyfunc' });
    const stub = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([
      0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 0x66, 0, 0, 0x0a, 4, 1, 2, 0, 0x0b,
    ]))).exports.f;
    table.set(1, stub as WebAssembly.ExportValue);
    // The worker set the interrupt word (so that chained guest code returns and the
    // dispatcher polls); regions return at once while it is set.
    const i32 = new Int32Array(memory.buffer);
    expect(Atomics.load(i32, INTERRUPT_OFF >> 2)).toBe(1);
    Atomics.store(i32, INTERRUPT_OFF >> 2, 0);
    const fn = new WebAssembly.Instance(done.module, { env: { memory, table } }).exports.region as () => void;
    fn();
    // The region stored its exit pc in the state block.
    expect(new DataView(memory.buffer).getUint32(PC_OFF, true)).toBe(0x1800);
    expect(pool.queued).toBe(0);
  });

  it('fails a job that throws, and goes on with the same worker', async () => {
    pool = CompilePool.start({ jobs: 1, emitter: 'direct', memory: memory.buffer as unknown as SharedArrayBuffer, workerFile: WORKER_FILE });
    pool.submit(job(1, 'throw'));
    pool.submit(job(2));
    const [failed, done] = await replies(pool, 2);
    expect(failed).toMatchObject({ kind: 'failed', id: 1, message: 'injected compile fault' });
    expect(done).toMatchObject({ kind: 'done', id: 2 });
    expect(pool.resent).toBe(0);
  });

  it('fails the job a dying worker ran, and resends the jobs it held', async () => {
    pool = CompilePool.start({ jobs: 1, emitter: 'direct', memory: memory.buffer as unknown as SharedArrayBuffer, workerFile: WORKER_FILE });
    pool.submit(job(1, 'exit'));
    pool.submit(job(2));
    pool.submit(job(3));
    const [died, second, third] = await replies(pool, 3);
    expect(died.kind).toBe('failed');
    expect((died as JobFailed).message).toMatch(/the compile worker died/);
    expect(second).toMatchObject({ kind: 'done', id: 2 });
    expect(third).toMatchObject({ kind: 'done', id: 3 });
    expect(pool.resent).toBe(2);
  });

  it('asks for a turn of the event loop only while a worker may have died', async () => {
    pool = CompilePool.start({ jobs: 1, emitter: 'direct', memory: memory.buffer as unknown as SharedArrayBuffer, workerFile: WORKER_FILE });
    const now = performance.now();
    expect(pool.needsTurn(now + 60_000, now)).toBe(false); // no job out
    pool.submit(job(1));
    const sent = performance.now();
    expect(pool.needsTurn(sent, sent)).toBe(false);
    // No word from the worker for a second (a worker boots in well under that): it may
    // have died before it started the job.
    expect(pool.needsTurn(sent + 1001, sent)).toBe(true);
    expect((await replies(pool, 1))[0].kind).toBe('done');
    expect(pool.needsTurn(performance.now() + 60_000, sent)).toBe(false); // answered
  });

  it('gives piscina a CommonJS worker file, so that require() never instantiates the ESM graph', () => {
    // piscina tries require() first; require() of an ES module is instantiated synchronously,
    // and a worker terminated there aborts the process (see compile-worker-entry.cts).
    const script = `
      const { WORKER_ENTRY } = await import(${JSON.stringify(path.join(ROOT, 'dist/runtime/jit/pool.js'))});
      const { createRequire } = await import('node:module');
      const loaded = createRequire(import.meta.url)(WORKER_ENTRY);
      console.log(JSON.stringify({ entry: WORKER_ENTRY, handler: typeof loaded }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ entry: path.join(ROOT, 'dist/runtime/jit/compile-worker-entry.cjs'), handler: 'function' });
  });

  it('lets the process exit while its workers are still loading', () => {
    for (const delayMs of [0, 20, 40, 60, 80, 120]) {
      const script = `
        const { CompilePool } = await import(${JSON.stringify(path.join(ROOT, 'dist/runtime/jit/pool.js'))});
        const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
        CompilePool.start({ jobs: 3, emitter: 'direct', memory: memory.buffer });
        setTimeout(() => process.exit(3), ${delayMs});`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      expect({ delayMs, status: r.status, stderr: r.stderr }).toEqual({ delayMs, status: 3, stderr: '' });
    }
  });

  it('compiles with TurboFan in the worker, not Liftoff', () => {
    // The V8 flags are process-wide: set on the main thread, they hold in the workers.
    const script = `
      const { CompilePool } = await import(${JSON.stringify(path.join(ROOT, 'dist/runtime/jit/pool.js'))});
      const memory = new WebAssembly.Memory({ initial: 65535, maximum: 65535, shared: true });
      new DataView(memory.buffer).setUint32(${CODE_FRAME}, ${JAL_RA_0X800}, true);
      const pool = CompilePool.start({ jobs: 1, emitter: 'direct', memory: memory.buffer });
      pool.submit({ id: 1, pc: 0x1000, window: { vpns: [1], hosts: [${CODE_FRAME}] }, slots: [0], options: { passes: [], flat: false } });
      let replies = [];
      while (replies.length === 0) { await new Promise((r) => setTimeout(r, 5)); replies = pool.poll(); }
      const table = new WebAssembly.Table({ initial: 1, element: 'anyfunc' });
      const f = new WebAssembly.Instance(replies[0].module, { env: { memory, table } }).exports.region;
      const liftoff = new Function('f', 'return %IsLiftoffFunction(f)');
      const turbofan = new Function('f', 'return %IsTurboFanFunction(f)');
      console.log(JSON.stringify({ liftoff: liftoff(f), turbofan: turbofan(f) }));
      await pool.close();`;
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ liftoff: false, turbofan: true });
  });
});
