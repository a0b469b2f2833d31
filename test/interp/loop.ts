// A guest loop for the interpreter's tests: its header is first reached by falling
// through an untaken branch, then by back edges; it ends in ebreak after a1 iterations.
import { PAGE_SIZE } from '../../layout/layout.js';
import type { Interpreter } from '../../runtime/interp/interpreter.js';
import { diagnostics } from '../../runtime/linux/abi.js';
import { Machine, ProcessExit } from '../../runtime/machine.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../../runtime/memory.js';

export const CODE = 0x10000;
/** riscv64-linux-gnu-as, .option norvc:
 *      li a0, 0;  beq a0, a1, 2f;  1: addi a0, a0, 1;  bne a0, a1, 1b;  2: ebreak */
const FALLTHROUGH_LOOP = [0x00000513, 0x00b50663, 0x00150513, 0xfeb51ee3, 0x00100073];
/** The loop header (1:). */
export const HEADER = CODE + 8;

/** A machine at the loop's first instruction, set for `iterations` iterations. */
export function loopMachine(iterations: number): Machine {
  return codeMachine(FALLTHROUGH_LOOP, iterations);
}

/** A machine at the first of `code` (32-bit instructions at CODE, in a writable page, so
 * that the guest could rewrite it), with a1 = `a1`. */
export function codeMachine(code: readonly number[], a1: number): Machine {
  const m = new Machine({ env: [], argv: ['loop'], programPath: '/loop' });
  m.as.mapPages(CODE / PAGE_SIZE, 1, PROT_READ | PROT_WRITE | PROT_EXEC);
  m.as.write(CODE, new Uint8Array(new Uint32Array(code).buffer));
  m.setX(11, BigInt(a1));
  m.pc = CODE;
  return m;
}

/** Runs the interpreter until the guest ends (the ebreak's SIGTRAP), silently. */
export function runToExit(interp: Interpreter): void {
  const saved = diagnostics.write;
  diagnostics.write = () => {};
  try {
    interp.run();
  } catch (e) {
    if (!(e instanceof ProcessExit)) throw e;
  } finally {
    diagnostics.write = saved;
  }
}
