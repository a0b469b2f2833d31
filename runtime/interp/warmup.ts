//! The interpreter's warm-up: type feedback for its loop before the guest starts, and no
//! optimizing compiler until the guest has run a little.
//!
//! V8 optimizes `runSlice` (one large switch) with TurboFan once it is hot, from the
//! feedback its baseline code gathered; a case that had not run yet by then deoptimizes
//! the whole loop the first time it runs ("insufficient type feedback"), and the loop
//! runs in baseline code until TurboFan has compiled it again (50-200 ms of a background
//! thread each time, several times per run). Running every instruction of the encoding
//! table, on a scratch machine, before the guest starts, gives TurboFan feedback for every
//! case at its first try (the feedback is per function: the scratch machine's run serves
//! the guest's interpreter too, and touches nothing of the guest's machine).
//!
//! That run would also make the loop hot sooner. But a process exits only once V8's
//! background compile jobs are done, so a program as short as hello would wait at its
//! exit for a TurboFan compile it never uses (40-100 ms here). So TurboFan is off for
//! JavaScript until the guest has retired WARM_UP_INSTS instructions (the interpreter
//! runs in V8's baseline code meanwhile, about a hundredth of a second).

import * as v8 from 'node:v8';
import { PAGE_SIZE } from '../../layout/layout.js';
import { Machine } from '../machine.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory.js';
import { Interpreter } from './interpreter.js';
import { BASE, CODE, D_SRC, D_VALUES, DATA, program, S_SRC, S_VALUES, X_SRC } from '../warmup-program.js';

/** Guest instructions before V8's optimizing compiler is turned on again. */
export const WARM_UP_INSTS = 50_000;

let programsRun = false;
let optimizerOff = false;

/** Before the guest starts: TurboFan off, and the warm-up programs run (once per
 * process). */
export function beginWarmUp(): void {
  if (!optimizerOff) {
    v8.setFlagsFromString('--no-turbofan');
    optimizerOff = true;
  }
  if (programsRun) return;
  programsRun = true;
  try {
    warmUpOn(new Machine({ env: [], argv: ['warmup'], programPath: '/warmup' }));
  } catch {
    // Only a speed-up: whatever went wrong here, the guest runs as it would without it.
  }
}

/** TurboFan on again (after WARM_UP_INSTS guest instructions, or when the guest ends). */
export function endWarmUp(): void {
  if (!optimizerOff) return;
  v8.setFlagsFromString('--turbofan');
  optimizerOff = false;
}

/** Runs the warm-up programs on `m`, a scratch machine (its pages at CODE and DATA get
 * mapped); true if each run reached the program's end. */
export function warmUpOn(m: Machine): boolean {
  const programs = [program(0), program(1)];
  m.as.mapPages(CODE / PAGE_SIZE, Math.ceil((programs[0].length * 4) / PAGE_SIZE), PROT_READ | PROT_WRITE | PROT_EXEC);
  m.as.mapPages(DATA / PAGE_SIZE, 1, PROT_READ | PROT_WRITE);
  // V8 gives a function its feedback vector only after it has run a little: the first
  // run may go unrecorded. Then branches taken and not taken, dynamic and static
  // rounding modes.
  let ok = true;
  for (const pass of [1, 0, 1]) ok = runOnce(m, pass, programs[pass]) && ok;
  return ok;
}

/** One run of `code` (`program(pass)`); `pass` 0 makes branch operands equal, 1 unequal. */
function runOnce(m: Machine, pass: number, code: number[]): boolean {
  m.as.write(CODE, new Uint8Array(new Uint32Array(code).buffer), true);
  for (const [k, r] of X_SRC.entries()) m.setX(r, BigInt(pass === 0 ? 5 : 3 + 2 * k));
  m.setX(BASE, BigInt(DATA + 64));
  for (const [k, r] of S_SRC.entries()) m.setF(r, S_VALUES[k]);
  for (const [k, r] of D_SRC.entries()) m.setF(r, D_VALUES[k]);
  m.pc = CODE;
  // Ends after `budget` blocks; the program's last block loops on itself until then.
  const interp = new Interpreter(m, { onEvent: () => -1 });
  interp.runSlice(code.length + 2);
  // And a return into the loop where it left off (the tiered engine's way back from the
  // event loop), which reads what it saved on leaving.
  interp.runSlice(0);
  return m.pc === CODE + 4 * (code.length - 1);
}
