// The interpreter's profile for the tiered engine: which blocks count as region entries,
// and when they get hot.
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../layout/layout.js';
import { Interpreter } from '../../runtime/interp/interpreter.js';
import { Machine, ProcessExit } from '../../runtime/machine.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../../runtime/memory.js';
import { diagnostics } from '../../runtime/linux/abi.js';

const CODE = 0x10000;
/** riscv64-linux-gnu-as, .option norvc:
 *      li a0, 0;  beq a0, a1, 2f;  1: addi a0, a0, 1;  bne a0, a1, 1b;  2: ebreak
 * The loop header (1:) is first reached by falling through the untaken beq. */
const FALLTHROUGH_LOOP = [0x00000513, 0x00b50663, 0x00150513, 0xfeb51ee3, 0x00100073];
const HEADER = CODE + 8;

/** Runs the loop `iterations` times with hot threshold `hot`; the pcs that got hot. */
function hotPcs(iterations: number, hot: number): number[] {
  const m = new Machine({ env: [], argv: ['loop'], programPath: '/loop' });
  m.as.mapPages(CODE / PAGE_SIZE, 1, PROT_READ | PROT_WRITE | PROT_EXEC);
  m.as.write(CODE, new Uint8Array(new Uint32Array(FALLTHROUGH_LOOP).buffer));
  m.setX(11, BigInt(iterations));
  m.pc = CODE;
  const hotAt: number[] = [];
  const interp = new Interpreter(m, {
    hot: { threshold: hot },
    onHot: (b) => {
      hotAt.push(b.pc);
      return false;
    },
  });
  const saved = diagnostics.write;
  diagnostics.write = () => {};
  try {
    interp.run();
  } catch (e) {
    if (!(e instanceof ProcessExit)) throw e;
  } finally {
    diagnostics.write = saved;
  }
  expect(m.getX(10)).toBe(BigInt(iterations));
  return hotAt;
}

describe('region entries of the block cache', () => {
  it('a loop header first reached by falling through gets hot once it loops', () => {
    // Entered once by the fall-through, then by 99 back edges: hot at the 10th of those.
    expect(hotPcs(100, 10)).toContain(HEADER);
  });

  it('a loop header does not get hot before its threshold', () => {
    expect(hotPcs(5, 10)).not.toContain(HEADER);
  });
});
