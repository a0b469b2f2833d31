// The code cache under pressure: with room for only two regions, every new region
// flushes the cache (slots back to the dispatcher stub), and the guest still computes
// what the interpreter computes.
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../layout/layout.js';
import { CODE, runCode } from './run-code.js';

/** riscv64-linux-gnu-as, .option norvc: five rounds of four calls (each `jal ra` ends a
 * region), a0 counting, then ebreak.
 *          li a1, 5
 *   outer: addi a0, a0, 1;  jal ra, r1
 *   r1:    addi a0, a0, 1;  jal ra, r2
 *   r2:    addi a0, a0, 1;  jal ra, r3
 *   r3:    addi a0, a0, 1;  jal ra, r4
 *   r4:    addi a1, a1, -1; bnez a1, outer
 *          ebreak */
const CALLS = [0x00500593, 0x00150513, 0x004000ef, 0x00150513, 0x004000ef, 0x00150513, 0x004000ef, 0x00150513,
  0x004000ef, 0xfff58593, 0xfc059ee3, 0x00100073];

describe('code cache eviction', () => {
  it('flushes when full and stays correct', () => {
    const want = runCode('interp', CALLS);
    expect(want.status).toBe(128 + 5);
    expect(want.x[10]).toBe(20n);
    const { engine, ...got } = runCode('jit', CALLS, undefined, { cacheLimits: { maxRegions: 2, maxBytes: 1 << 20 } });
    expect(got).toEqual(want);
    expect(engine!.cache.flushes).toBeGreaterThanOrEqual(10);
    expect(engine!.cache.size).toBeLessThanOrEqual(2);
  });

  it('chains without flushes when there is room', () => {
    const { engine, ...got } = runCode('jit', CALLS);
    expect(got.x[10]).toBe(20n);
    expect(engine!.cache.flushes).toBe(0);
    expect(engine!.stats.regionsCompiled).toBe(5);
  });

  it('names the entries of its regions on given pages', () => {
    const { engine } = runCode('jit', CALLS);
    const page = CODE / PAGE_SIZE;
    const entries = engine!.cache.entriesOn(new Set([page]));
    // A region at CODE and one after each call (the jal ra at CODE + 8, + 16, + 24, + 32).
    expect([...entries].sort((a, b) => a - b)).toEqual([CODE, CODE + 12, CODE + 20, CODE + 28, CODE + 36]);
    for (const pc of entries) expect(engine!.cache.lookup(pc)).toBeDefined();
    expect(engine!.cache.entriesOn(new Set([page + 1])).size).toBe(0);
  });
});
