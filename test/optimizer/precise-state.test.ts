// Guest state stays exact where the guest can observe it, with the default pipeline: at
// a fault after a register write that a later write replaces, and around helper calls
// that read registers written just before them and write registers read just after.
// The JIT must agree with the interpreter on the pc, every register and the signal.
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../layout/layout.js';
import { DEFAULT_PIPELINE } from '../../optimizer/pipeline.js';
import type { Machine } from '../../runtime/machine.js';
import { PROT_READ, PROT_WRITE } from '../../runtime/memory.js';
import { CODE, runCode } from '../jit/run-code.js';

const DATA = 0x200000;
const VERIFIED = { passes: DEFAULT_PIPELINE, verifyIr: true };

/** li a0,7 / ld t0,0(a1) / li a0,8 / ecall (exit), with a1 unmapped: SIGSEGV at the load. */
const FAULT = [0x00700513, 0x0005b283, 0x00800513, 0x00000073];
/** li a2,5 / amoadd.d a0,a2,(a1) / addi a0,a0,1 / fcvt.l.d a3,f0 / addi a3,a3,2 / ecall (exit). */
const HELPERS = [0x00500613, 0x00c5b52f, 0x00150513, 0xc22076d3, 0x00268693, 0x00000073];

function setup(m: Machine, a1: number): void {
  m.as.mapPages(DATA / PAGE_SIZE, 1, PROT_READ | PROT_WRITE);
  m.as.writeU64(DATA, 100n);
  m.setX(10, 0x1111n);
  m.setX(11, BigInt(a1));
  m.setX(17, 93n); // exit
  m.setF(0, 0x4008000000000000n); // 3.0
}

/** Runs under both tiers; the results must agree (but for the pc after an exit, which
 * neither tier keeps up to date: the guest cannot see it). */
function both(words: readonly number[], a1: number) {
  const { engine: _, ...want } = runCode('interp', words, (m) => setup(m, a1));
  const { engine, ...got } = runCode('jit', words, (m) => setup(m, a1), VERIFIED);
  expect(engine!.stats.regionsCompiled).toBeGreaterThan(0);
  if (want.status < 128) got.pc = want.pc;
  expect(got).toEqual(want);
  return want;
}

describe('precise guest state with the default pipeline', () => {
  it('a fault sees a write that a later write would replace', () => {
    const r = both(FAULT, DATA + 16 * PAGE_SIZE);
    expect(r.status).toBe(128 + 11);
    expect(r.pc).toBe(CODE + 4);
    expect(r.x[10]).toBe(7n);
  });

  it('helper calls read the registers written before them and write those read after', () => {
    const r = both(HELPERS, DATA);
    expect(r.status).toBe(101);
    expect(r.x[10]).toBe(101n);
    expect(r.x[13]).toBe(5n);
  });
});
