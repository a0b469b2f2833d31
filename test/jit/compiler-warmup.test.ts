// The compile worker's warm-up compiles the whole warm-up program: every instruction of
// the encoding table goes through the lifter, the optimizer and the backend once.
import { describe, expect, it } from 'vitest';
import { warmUpCompiler } from '../../runtime/jit/compiler-warmup.js';

describe('compiler warm-up', () => {
  it('lifts and compiles every instruction of the warm-up program', () => {
    const result = warmUpCompiler('direct');
    expect(result.regions).toBeGreaterThan(1);
    expect(result.programInsts).toBeGreaterThan(100);
    expect(result.insts).toBe(result.programInsts);
  });
});
