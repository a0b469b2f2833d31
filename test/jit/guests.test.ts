// The JIT against the interpreter on the same machine code, in process: a region that
// faults part-way through a loop (a load from an unmapped page on the 4th iteration)
// must leave the pc, every register and the signal exactly as the interpreter does.
// (Every guest of guests/ also runs under `--tier jit` in test/guests.test.ts.)
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../layout/layout.js';
import type { Machine } from '../../runtime/machine.js';
import { PROT_READ, PROT_WRITE } from '../../runtime/memory.js';
import { CODE, runCode } from './run-code.js';

const DATA = 0x200000;
/** riscv64-linux-gnu-as, .option norvc:
 *      li   a1, 0
 *   1: ld   t0, 0(a0)
 *      add  a1, a1, t0
 *      addi a2, a2, 1
 *      add  a0, a0, a3
 *      bne  a0, a4, 1b
 *      ecall */
const LOOP = [0x00000593, 0x00053283, 0x005585b3, 0x00160613, 0x00d50533, 0xfee518e3, 0x00000073];

function setup(m: Machine): void {
  m.as.mapPages(DATA / PAGE_SIZE, 3, PROT_READ | PROT_WRITE);
  for (let p = 0; p < 3; p++) m.as.writeU64(DATA + p * PAGE_SIZE + 8, BigInt(1000 + p));
  m.setX(10, BigInt(DATA + 8));
  m.setX(12, 100n);
  m.setX(13, BigInt(PAGE_SIZE));
  m.setX(14, BigInt(DATA + 8 + 10 * PAGE_SIZE));
  m.setX(7, 0x7777n);
}

const runLoop = (tier: 'interp' | 'jit') => {
  const { engine: _, ...outcome } = runCode(tier, LOOP, setup);
  return outcome;
};

describe('a fault in the middle of a translated loop', () => {
  it('reports the pc, registers and signal the interpreter reports', () => {
    const want = runLoop('interp');
    expect(want.status).toBe(128 + 11);
    expect(want.pc).toBe(CODE + 4);
    expect(want.x[12]).toBe(103n);
    expect(want.x[11]).toBe(3003n);
    expect(want.message.join('\n')).toMatch(/signal 11 \(SIGSEGV.*pc 0x10004, address 0x203008/);
    const got = runLoop('jit');
    expect(got).toEqual(want);
  });
});
