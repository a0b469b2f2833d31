//! Runs raw RV64 machine code in process under the interpreter or the JIT engine, and
//! returns how it ended: exit status, pc, registers and the fatal-signal message.

import { PAGE_SIZE } from '../../layout/layout.js';
import { Interpreter } from '../../runtime/interp/interpreter.js';
import { JitEngine, type JitOptions } from '../../runtime/jit/engine.js';
import { diagnostics } from '../../runtime/linux/abi.js';
import { Machine, ProcessExit } from '../../runtime/machine.js';
import { PROT_EXEC, PROT_READ } from '../../runtime/memory.js';

export const CODE = 0x10000;

export interface Outcome {
  status: number;
  pc: number;
  x: bigint[];
  message: string[];
}

/** Maps `words` at CODE (r-x), lets `setup` prepare the machine, runs from CODE. */
export function runCode(tier: 'interp' | 'jit', words: readonly number[], setup: (m: Machine) => void = () => {},
  jitOptions: JitOptions = {}): Outcome & { engine?: JitEngine } {
  const m = new Machine({ env: [], argv: ['code'], programPath: '/code' });
  m.as.mapPages(CODE / PAGE_SIZE, 1, PROT_READ | PROT_EXEC);
  m.as.write(CODE, new Uint8Array(new Uint32Array(words).buffer), true);
  setup(m);
  m.pc = CODE;
  const { status, message, engine } = runTier(m, tier, jitOptions);
  return { status, pc: m.pc, x: Array.from({ length: 32 }, (_, r) => m.getX(r)), message, engine };
}

/** Runs a prepared machine from its pc in one tier until the guest exits; returns the exit
 * status and the lines the runtime printed (fatal-signal messages). Under the JIT, `reuse`
 * runs an engine made before (with the code it compiled then) instead of a new one. */
export function runTier(m: Machine, tier: 'interp' | 'jit', jitOptions: JitOptions = {}, reuse?: JitEngine):
  { status: number; message: string[]; engine?: JitEngine } {
  const message: string[] = [];
  const saved = diagnostics.write;
  diagnostics.write = (line) => { message.push(line); };
  let status = -1;
  const engine = tier === 'jit' ? reuse ?? new JitEngine(m, jitOptions) : undefined;
  try {
    if (engine !== undefined) engine.run();
    else new Interpreter(m).run();
  } catch (e) {
    if (!(e instanceof ProcessExit)) throw e;
    status = e.status;
  } finally {
    diagnostics.write = saved;
  }
  return { status, message, engine };
}
