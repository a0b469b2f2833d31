// Register promotion gives loop headers block parameters; the backend must still test the
// interrupt word on their back-edges (chained code never returns to JavaScript otherwise)
// and leave the region there with exact guest state, as it does for a loop without any.
import { describe, expect, it } from 'vitest';
import { INTERRUPT_OFF } from '../../layout/layout.js';
import { parseRegion } from '../../ir/parse.js';
import { printRegion } from '../../ir/print.js';
import { DEFAULT_PIPELINE, runPipeline } from '../../optimizer/pipeline.js';
import { Harness } from '../backend/harness.js';

// x10 counts down from 1000 while x11 sums it; `raise` sets the interrupt word once, the
// way another thread would, before the loop starts: only a back-edge check sees it.
const LOOP = `region @0x3000 {
block0:
    call @raise() @0x3000
    br block1
block1:
    v1:i64 = getreg x10
    v2:i64 = iconst.i64 -1
    v3:i64 = add.i64 v1, v2
    setreg x10, v3
    v4:i64 = getreg x11
    v5:i64 = add.i64 v4, v1
    setreg x11, v5
    v6:i64 = iconst.i64 0
    v7:i32 = icmp ne v3, v6
    condbr v7, block1, block2
block2:
    exit 0x3010
}`;

function optimized(): string {
  const region = parseRegion(LOOP);
  runPipeline(region, DEFAULT_PIPELINE, { verify: true });
  return printRegion(region);
}

describe('interrupts in optimized loops', () => {
  const raiseOnce = (h: () => Harness) => () => Atomics.store(h().m.v.i32, INTERRUPT_OFF >> 2, 1);

  it('promotes the loop registers to block parameters', () => {
    expect(optimized()).toMatch(/^block1\(v\d+:i64, v\d+:i64\):$/m);
  });

  it('leaves at the loop header with exact registers, and resumes there', () => {
    const h: Harness = new Harness('direct', { raise: raiseOnce(() => h) });
    const loop = h.compile(optimized(), { blockPc: (b) => (b === 1 ? 0x3004 : undefined) });
    h.setX(10, 1000);
    h.setX(11, 5);
    h.run(loop);
    expect(h.pc).toBe(0x3004);
    expect(h.x(10)).toBe(999n);
    expect(h.x(11)).toBe(1005n);
    Atomics.store(h.m.v.i32, INTERRUPT_OFF >> 2, 0);
    // Going on from there: the loop without the raise, as the engine would next run it.
    const rest = h.compile(optimized().replace('    call @raise() @0x3000\n', ''), { blockPc: (b) => (b === 1 ? 0x3004 : undefined) });
    h.run(rest);
    expect(h.pc).toBe(0x3010);
    expect(h.x(10)).toBe(0n);
    expect(h.x(11)).toBe(5n + 1000n * 1001n / 2n);
  });

  it('runs to the end when the header is no guest block start (no check to see it)', () => {
    const h: Harness = new Harness('direct', { raise: raiseOnce(() => h) });
    const loop = h.compile(optimized());
    h.setX(10, 1000);
    h.setX(11, 0);
    h.run(loop);
    Atomics.store(h.m.v.i32, INTERRUPT_OFF >> 2, 0);
    expect(h.pc).toBe(0x3010);
    expect(h.x(11)).toBe(1000n * 1001n / 2n);
  });
});
