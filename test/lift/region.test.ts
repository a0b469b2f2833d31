// Region discovery and the lifter's edges, on hand-encoded code: budgets, unfetchable
// pcs, overlapping instructions, loops at the entry, and an instruction with no rule.
import { describe, expect, it } from 'vitest';
import type { Region } from '../../ir/function.js';
import { printRegion } from '../../ir/print.js';
import { verifyOrThrow } from '../../ir/verify.js';
import * as layout from '../../layout/layout.js';
import { decode } from '../../lifter/decode.js';
import { liftAt, liftInstruction, liftRegion, LiftError, hasLiftRule } from '../../lifter/lift.js';
import { MNEMONICS } from '../../lifter/encoding.js';
import { Op } from '../../lifter/opcodes.js';
import { discoverRegion, RegionError, type FetchFn } from '../../lifter/region.js';
import { HELPER_AMO, HELPER_CSR, HELPER_FP, LiftContext } from '../../lifter/shapes.js';
import { Builder } from '../../ir/builder.js';
import { fetchFromBytes } from './fetch.js';

const BASE = 0x10000;

// Encoders for the few instructions these tests need.
const addi = (rd: number, rs1: number, imm: number) => (((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13) >>> 0;
const beq = (rs1: number, rs2: number, off: number) =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) |
    (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63) >>> 0;
const jal = (rd: number, off: number) =>
  ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) | (off & 0xff000) | (rd << 7) | 0x6f) >>> 0;
const RET = 0x00008067;
const FENCE_I = 0x0000100f;

/** Code from 32-bit words and 16-bit halves laid out from BASE. */
function code(...parts: (number | { half: number })[]): FetchFn {
  const bytes: number[] = [];
  for (const p of parts) {
    const v = typeof p === 'number' ? p : p.half;
    const n = typeof p === 'number' ? 4 : 2;
    for (let i = 0; i < n; i++) bytes.push((v >>> (8 * i)) & 0xff);
  }
  return fetchFromBytes(Uint8Array.from(bytes), BASE);
}

function lift(fetch: FetchFn, pc = BASE, limits = {}): Region {
  const region = liftAt(fetch, pc, limits);
  verifyOrThrow(region);
  return region;
}

describe('region discovery', () => {
  it('ends a straight path at the instruction budget with an exit to the next pc', () => {
    const fetch = code(...Array.from({ length: 300 }, () => addi(10, 10, 1)));
    const cfg = discoverRegion(fetch, BASE);
    expect(cfg.blocks).toHaveLength(1);
    expect(cfg.blocks[0].insts).toHaveLength(256);
    expect(cfg.blocks[0].next).toBe(BASE + 256 * 4);
    expect(printRegion(lift(fetch))).toMatch(/exit 0x10400\n}\n$/);
  });

  it('ends a path that runs into unfetchable memory with an exit to it', () => {
    const region = lift(code(addi(10, 10, 1), addi(10, 10, 2)));
    expect(printRegion(region)).toMatch(/exit 0x10008\n}\n$/);
  });

  it('keeps to the block budget, leaving the rest through exits', () => {
    // 40 diamonds: a beq over an addi; each adds two blocks.
    const words = Array.from({ length: 40 }, () => [beq(10, 11, 8), addi(12, 12, 1)]).flat();
    const fetch = code(...words, RET);
    for (const maxBlocks of [1, 2, 3, 10, 64]) {
      const cfg = discoverRegion(fetch, BASE, { maxBlocks });
      expect(cfg.blocks.length).toBeLessThanOrEqual(maxBlocks);
      verifyOrThrow(liftRegion(cfg));
    }
    expect(discoverRegion(fetch, BASE).blocks).toHaveLength(64);
    expect(discoverRegion(fetch, BASE, { maxBlocks: 1000 }).blocks).toHaveLength(81);
  });

  it('throws a RegionError for an unfetchable entry', () => {
    expect(() => discoverRegion(code(RET), BASE + 4)).toThrow(RegionError);
    expect(() => discoverRegion(code(RET), BASE + 4)).toThrow(/0x10004 is not executable/);
  });

  it('exits to branch targets outside the fetchable code, through one small block each', () => {
    const region = lift(code(beq(10, 11, 0x100), beq(10, 12, 0xfc), RET));
    const text = printRegion(region);
    expect(text.match(/exit 0x10100/g)).toHaveLength(1);
    expect(text).toMatch(/condbr v\d+, block(\d+), block\d+\n[^]*condbr v\d+, block\1, block\d+/);
  });

  it('splits blocks at targets inside an instruction (overlapping decodings)', () => {
    // beq to BASE+6, the upper half of the addi at BASE+4, which is c.nop (0x0001).
    const fetch = code(beq(10, 0, 6), addi(0, 2, 0) | 0x00010000, RET);
    const cfg = discoverRegion(fetch, BASE);
    expect(cfg.blocks.map((b) => b.start)).toEqual([BASE, BASE + 4, BASE + 6]);
    expect(cfg.blocks[2].insts.map((i) => i.len)).toEqual([2, 4]);
    expect(cfg.blocks[1].insts.map((i) => i.pc)).toEqual([BASE + 4, BASE + 8]);
    verifyOrThrow(liftRegion(cfg));
  });

  it('gives a loop at the entry a separate entry block', () => {
    const region = lift(code(addi(10, 10, -1), beq(10, 0, 8), jal(0, -8), RET));
    expect(region.blocks[0].insts.map((i) => i.op)).toEqual(['br']);
    expect(printRegion(lift(code(jal(0, 0))))).toBe(`region @0x10000 {
block0:
    br block1
block1:
    br block1
}
`);
  });

  it('leaves the region at the pcs stopAt names, by branch or by falling through, but not at its entry', () => {
    // BASE: addi; BASE+4: beq to BASE+12; BASE+8: addi; BASE+12: addi; BASE+16: jal x0 back to BASE.
    const fetch = code(addi(10, 10, 1), beq(10, 11, 8), addi(10, 10, 2), addi(10, 10, 3), jal(0, -16));
    const all = discoverRegion(fetch, BASE);
    expect(all.blocks.map((b) => b.start)).toEqual([BASE, BASE + 8, BASE + 12]);
    const stopped = discoverRegion(fetch, BASE, {}, (pc) => pc === BASE + 12 || pc === BASE);
    expect(stopped.blocks.map((b) => b.start)).toEqual([BASE, BASE + 8]);
    // Both ways into BASE+12 now leave the region there.
    expect(stopped.blocks[0].succs).toEqual([BASE + 8]);
    expect(stopped.blocks[1]).toMatchObject({ next: BASE + 12, succs: [] });
    const text = printRegion(lift(fetch));
    expect(text).not.toMatch(/exit 0x1000c/);
    const stoppedText = printRegion(liftRegion(stopped));
    expect(stoppedText.match(/exit 0x1000c/g)).toHaveLength(2);
    // Entered at a stop pc, the region is itself: the loop back to BASE stays inside.
    expect(discoverRegion(fetch, BASE + 12, {}, (pc) => pc === BASE + 12).blocks.map((b) => b.start))
      .toEqual([BASE + 12, BASE, BASE + 8]);
  });

  it('ends the region at fence.i and does not follow calls', () => {
    const cfg = discoverRegion(code(addi(10, 10, 1), FENCE_I, addi(10, 10, 2)), BASE);
    expect(cfg.blocks[0].insts.map((i) => MNEMONICS[i.d.op])).toEqual(['addi', 'fence.i']);
    const call = discoverRegion(code(jal(1, 8), addi(10, 10, 1), RET), BASE);
    expect(call.blocks).toHaveLength(1);
    expect(printRegion(liftRegion(call))).toMatch(/setreg x1, v\d+\n    exit 0x10008\n/);
  });
});

describe('lifting rules', () => {
  it('has a rule for every decodable instruction', () => {
    const missing = MNEMONICS.filter((_, op) => !hasLiftRule(op as Op));
    expect(missing).toEqual([]);
  });

  it('names an instruction it has no rule for', () => {
    const c = new LiftContext(new Builder(BASE), () => undefined);
    const d = { ...decode(RET), op: Op.COUNT };
    expect(() => liftInstruction(c, { pc: BASE, len: 4, inst: RET, d })).toThrow(LiftError);
    expect(() => liftInstruction(c, { pc: BASE, len: 4, inst: RET, d })).toThrow(/no rule for 'op \d+' \(0x8067\) at 0x10000/);
  });

  it('calls the helpers the layout names', () => {
    expect(HELPER_FP).toBe(layout.HELPER_FP);
    expect(HELPER_CSR).toBe(layout.HELPER_CSR);
    expect(HELPER_AMO).toBe((layout as Record<string, unknown>).HELPER_AMO ?? 'amo');
  });
});
