// The interpreter's warm-up (runtime/interp/warmup.ts): its programs hold every
// instruction of the encoding table but the three that leave the program (ecall, ebreak,
// illegal), and run to their end on a scratch machine without a trap or a word on stderr;
// the interpreter ends the warm-up once the guest has run the instructions it was given.
import { describe, expect, it } from 'vitest';
import { decode } from '../../lifter/decode.js';
import { MNEMONICS } from '../../lifter/encoding.js';
import { diagnostics } from '../../runtime/linux/abi.js';
import { Machine } from '../../runtime/machine.js';
import { Interpreter } from '../../runtime/interp/interpreter.js';
import { warmUpOn } from '../../runtime/interp/warmup.js';
import { program } from '../../runtime/warmup-program.js';
import { loopMachine, runToExit } from './loop.js';

describe('the interpreter warm-up', () => {
  it('runs every instruction of the table but ecall, ebreak and illegal', () => {
    for (const pass of [0, 1]) {
      const ran = new Set(program(pass).map((inst) => MNEMONICS[decode(inst).op]));
      const missing = MNEMONICS.filter((name) => !ran.has(name));
      expect(missing.sort()).toEqual(['ebreak', 'ecall', 'illegal']);
    }
  });

  it('reaches the end of each run, silently', () => {
    const saved = diagnostics.write;
    const written: string[] = [];
    diagnostics.write = (s: string) => void written.push(s);
    try {
      expect(warmUpOn(new Machine({ env: [], argv: ['warmup'], programPath: '/warmup' }))).toBe(true);
    } finally {
      diagnostics.write = saved;
    }
    expect(written).toEqual([]);
  });

  it('ends once the guest has run the given instructions, and not before', () => {
    const ends = (iterations: number) => {
      let calls = 0;
      runToExit(new Interpreter(loopMachine(iterations), { warmUp: { insts: 20_000, end: () => calls++ } }));
      return calls;
    };
    expect(ends(100)).toBe(0); // about 200 instructions
    expect(ends(50_000)).toBe(1); // about 100,000
  });
});
