// The tiered engine in process. The compiler never installs a result whose guest code was
// written while it compiled (even with the same bytes: what counts is that a write
// happened), installs one whose code stayed put and links it to the interpreter's block,
// and drops it when its code is written later. The engine hands the guest
// between the tiers with the state and the instruction count intact.
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Interpreter } from '../../runtime/interp/interpreter.js';
import { CompilePool } from '../../runtime/jit/pool.js';
import { type Machine, ProcessExit } from '../../runtime/machine.js';
import { AutoEngine } from '../../runtime/tier/auto.js';
import { type CompilerOptions, TierCompiler } from '../../runtime/tier/compiler.js';
import { hotRegion } from '../../runtime/tier/hot-region.js';
import { diagnostics } from '../../runtime/linux/abi.js';
import { ROOT } from '../helpers.js';
import { CODE, codeMachine } from '../interp/loop.js';

const WORKER_FILE = path.join(ROOT, 'dist/runtime/jit/compile-worker-entry.cjs');
const EBREAK = 0x00100073;
/** riscv64-linux-gnu-as, .option norvc:  li a0, 0;  1: addi a0, a0, 1;  bne a0, a1, 1b;  ebreak */
const LOOP = [0x00000513, 0x00150513, 0xfeb51ee3, EBREAK];

const OPTIONS: CompilerOptions = { hot: 1, jobs: 1, sync: false, faultRate: 0, exitRate: 0, jit: { emitter: 'direct' }, workerFile: WORKER_FILE };

/** A machine with LOOP in a writable code page (so that the guest could rewrite it). */
const machine = (iterations: number): Machine => codeMachine(LOOP, iterations);

/** Waits (turning the event loop) until no job is out. */
async function settle(c: TierCompiler): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (c.queued > 0) {
    if (performance.now() > deadline) throw new Error('compile jobs did not come back');
    await new Promise((resolve) => setTimeout(resolve, 5));
    c.poll();
  }
}

describe('the tiered compiler', () => {
  let pool: CompilePool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('never installs a result whose code was written while it compiled', async () => {
    const m = machine(10);
    const interp = new Interpreter(m);
    pool = CompilePool.start({ jobs: 1, emitter: 'direct', memory: m.as.memory.buffer as unknown as SharedArrayBuffer, workerFile: WORKER_FILE });
    const c = await TierCompiler.create(m, interp, OPTIONS, performance.now(), pool);

    const block = interp.cache.enter(CODE);
    expect(c.request(hotRegion(block))).toBe(false);
    expect(c.queued).toBe(1);
    // A store to the code page while the job is out, the way a guest store lands.
    m.as.writeU32(CODE + 12, EBREAK);
    await settle(c);
    expect(c.stats).toMatchObject({ sent: 1, stale: 1, installed: 0 });
    expect(c.lookup(CODE)).toBeUndefined();
    expect(block.heat).not.toBe(1);

    // Asked again with nothing written meanwhile: installed, and linked to the block.
    const again = interp.cache.enter(CODE);
    expect(again).not.toBe(block); // the write invalidated the decoded block too
    c.request(hotRegion(again));
    await settle(c);
    expect(c.stats).toMatchObject({ sent: 2, stale: 1, installed: 1 });
    expect(c.lookup(CODE)).toBeDefined();
    expect(again.heat).toBe(1); // every entry hands over to the compiled region

    // Written once more: gone from the cache, and the block with it.
    m.as.writeU32(CODE + 12, EBREAK);
    expect(c.lookup(CODE)).toBeUndefined();
    expect(again.valid).toBe(false);
    expect(interp.cache.peek(CODE)).toBeUndefined();
  });

  it('hands the guest between the tiers with its state and instruction count', async () => {
    const run = async (engine: 'interp' | 'auto') => {
      const m = machine(100_000);
      const saved = diagnostics.write;
      diagnostics.write = () => {};
      let status = -1;
      let auto: AutoEngine | undefined;
      try {
        if (engine === 'interp') new Interpreter(m).run();
        auto = new AutoEngine(m, { ...OPTIONS, sync: true, hot: 2 });
        await auto.run();
      } catch (e) {
        if (!(e instanceof ProcessExit)) throw e;
        status = e.status;
      } finally {
        diagnostics.write = saved;
      }
      return { status, pc: m.pc, a0: m.getX(10), instret: m.instret, compiled: auto?.compiledInsts ?? 0 };
    };
    const want = await run('interp');
    expect(want).toMatchObject({ status: 128 + 5, pc: CODE + 12, a0: 100_000n });
    const got = await run('auto');
    expect({ ...got, instret: 0, compiled: 0 }).toEqual({ ...want, instret: 0, compiled: 0 });
    expect(got.compiled).toBeGreaterThan(100_000);
    // Compiled code counts a block when it starts: the trapping ebreak is the one extra.
    expect(got.instret - want.instret).toBeGreaterThanOrEqual(0);
    expect(got.instret - want.instret).toBeLessThanOrEqual(1);
  });

  it('lifts a region only up to the entries of regions already compiled or on their way', async () => {
    const m = machine(10);
    const interp = new Interpreter(m);
    pool = CompilePool.start({ jobs: 1, emitter: 'direct', memory: m.as.memory.buffer as unknown as SharedArrayBuffer, workerFile: WORKER_FILE });
    const c = await TierCompiler.create(m, interp, OPTIONS, performance.now(), pool);
    // The loop first: li a0, 0 at CODE falls through into it, at CODE + 4.
    c.request(hotRegion(interp.cache.enter(CODE + 4)));
    c.request(hotRegion(interp.cache.enter(CODE)));
    await settle(c);
    expect(c.lookup(CODE + 4)?.guestInsts).toBe(3); // addi, bne, ebreak
    expect(c.lookup(CODE)?.guestInsts).toBe(1); // li, then an exit to the loop's region
  });

  it('sends hot regions entered lately, and drops those gone cold', async () => {
    const m = machine(10);
    const interp = new Interpreter(m, { hot: { threshold: 50 } });
    pool = CompilePool.start({ jobs: 1, emitter: 'direct', memory: m.as.memory.buffer as unknown as SharedArrayBuffer, workerFile: WORKER_FILE });
    const c = await TierCompiler.create(m, interp, { ...OPTIONS, hot: 50 }, performance.now(), pool);

    // Two hot regions: the loop, entered just now, and start-up code last entered a
    // second ago (as when both got hot before the compiler was loaded).
    const loop = interp.cache.enter(CODE + 4);
    const startup = interp.cache.enter(CODE);
    loop.heat = startup.heat = -1000;
    const now = performance.now();
    const stale = hotRegion(startup, now - 2000);
    stale.seenAt = now - 1000;
    c.requestAll([stale, hotRegion(loop, now - 10)]);
    expect(c.stats.sent).toBe(1);
    await settle(c);
    expect(c.lookup(CODE + 4)).toBeDefined();
    expect(c.lookup(CODE)).toBeUndefined();
    // The cold one left the queue, and counts its entries again from the threshold.
    expect(c.queued).toBe(0);
    expect(startup.heat).toBe(50);
  });
});
