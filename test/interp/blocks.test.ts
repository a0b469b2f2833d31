// The interpreter's profile for the tiered engine: which blocks count as region entries,
// and when they get hot.
import { describe, expect, it } from 'vitest';
import { Interpreter } from '../../runtime/interp/interpreter.js';
import { HEADER, loopMachine, runToExit } from './loop.js';

/** Runs the loop `iterations` times with hot threshold `hot`; the pcs that got hot. */
function hotPcs(iterations: number, hot: number): number[] {
  const m = loopMachine(iterations);
  const hotAt: number[] = [];
  const interp = new Interpreter(m, {
    hot: { threshold: hot },
    onHot: (b) => {
      hotAt.push(b.pc);
      return false;
    },
  });
  runToExit(interp);
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
