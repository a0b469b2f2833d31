// The opcode table is self-consistent: syntax and operands agree, effects follow the
// documented rules, every row has a doc.
import { describe, expect, it } from 'vitest';
import { immediateFields } from '../../ir/function.js';
import { OPCODE_NAMES, OPCODES } from '../../ir/opcodes.js';

describe('opcode table', () => {
  for (const op of OPCODE_NAMES) {
    const info = OPCODES[op];
    it(op, () => {
      expect(info.doc.length).toBeGreaterThan(3);
      expect(info.doc).not.toContain('\n');
      if (!info.variadic) expect(info.syntax.filter((p) => p === 'arg')).toHaveLength(info.operands.length);
      else expect(info.syntax).not.toContain('arg');
      if (info.mayTrap || info.terminator || info.writes.length > 0) expect(info.sideEffects).toBe(true);
      if (info.mayTrap) expect(info.reads).toContain('state');
      if (info.result === 'none') expect(info.types).toEqual([]);
      if (info.result === 'ctrl') expect(info.types.length).toBeGreaterThan(0);
      const hasTargets = info.syntax.includes('block') || info.syntax.includes('default');
      expect(hasTargets).toBe(immediateFields(op).has('targets'));
      if (hasTargets) expect(info.terminator).toBe(true);
    });
  }

  it('has the required opcodes', () => {
    expect(OPCODE_NAMES).toEqual(expect.arrayContaining([
      'iconst', 'fconst', 'getreg', 'setreg', 'getfreg', 'setfreg', 'getcsr', 'setcsr', 'loadg', 'storeg',
      'translate', 'loadh', 'storeh', 'add', 'sub', 'mul', 'mulhs', 'mulhu', 'mulhsu', 'divs', 'divu', 'rems',
      'remu', 'and', 'or', 'xor', 'shl', 'shrs', 'shru', 'icmp', 'select', 'sext', 'zext', 'trunc', 'extend',
      'fadd', 'fsub', 'fmul', 'fdiv', 'fsqrt', 'fmin', 'fmax', 'fneg', 'fabs', 'fcopysign', 'fma', 'fcmp',
      'fcvt_to_sint', 'fcvt_to_uint', 'fcvt_from_sint', 'fcvt_from_uint', 'fpromote', 'fdemote', 'bitcast',
      'call', 'br', 'condbr', 'switch', 'exit', 'exitind', 'trap',
    ]));
  });
});
