// The JIT's view of a lifted region: the IR block of each guest block (liftRegion creates
// them in cfg order, after an entry block when the entry pc is a loop header), the code
// pages to watch, and the fetch fault at a region's entry.
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../layout/layout.js';
import { liftGuestRegion } from '../../runtime/jit/region-source.js';
import { Machine } from '../../runtime/machine.js';
import { GuestFault, PROT_EXEC, PROT_READ } from '../../runtime/memory.js';

const CODE = 0x10000;
/** li a1, 0 / 1: ld t0, 0(a0) / add a1, a1, t0 / addi a2, a2, 1 / add a0, a0, a3 / bne a0, a4, 1b / ecall */
const LOOP = [0x00000593, 0x00053283, 0x005585b3, 0x00160613, 0x00d50533, 0xfee518e3, 0x00000073];

function machine(words: readonly number[], at = CODE, pages = 2): Machine {
  const m = new Machine({ env: [], argv: ['x'], programPath: '/x' });
  m.as.mapPages(Math.floor(at / PAGE_SIZE), pages, PROT_READ | PROT_EXEC);
  m.as.write(at, new Uint8Array(new Uint32Array(words).buffer), true);
  return m;
}

describe('liftGuestRegion', () => {
  it('maps each guest block to its IR block', () => {
    for (const entry of [CODE, CODE + 4]) { // entry at the loop header: an extra entry block
      const lifted = liftGuestRegion(machine(LOOP).as, entry);
      expect(lifted.blockPc.size).toBe(lifted.cfg.blocks.length);
      for (const g of lifted.cfg.blocks) {
        const id = [...lifted.blockPc].find(([, pc]) => pc === g.start)![0];
        const block = lifted.region.blocks.find((b) => b.id === id)!;
        expect(lifted.blockInsts.get(id)).toBe(g.insts.length);
        // Every pc an IR instruction of the block carries lies in the guest block.
        for (const inst of block.insts) {
          if (inst.pc !== undefined) {
            expect(inst.pc).toBeGreaterThanOrEqual(g.start);
            expect(inst.pc).toBeLessThan(g.next);
          }
        }
      }
      expect(lifted.pages).toEqual([CODE / PAGE_SIZE]);
    }
  });

  it('raises the interpreter\'s fetch fault at the entry', () => {
    const m = machine(LOOP);
    expect(() => liftGuestRegion(m.as, 0x900000)).toThrow(GuestFault);
    // A 4-byte instruction whose second half is on an unmapped page faults there.
    const edge = machine([], CODE + PAGE_SIZE - 2, 1);
    edge.as.write(CODE + PAGE_SIZE - 2, Uint8Array.from([0x93, 0x05]), true);
    try {
      liftGuestRegion(edge.as, CODE + PAGE_SIZE - 2);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GuestFault);
      expect((e as GuestFault).addr).toBe(BigInt(CODE + PAGE_SIZE));
    }
  });
});
