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
import { ENCODINGS, type Encoding } from '../../lifter/encoding.js';
import { Machine } from '../machine.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory.js';
import { Interpreter } from './interpreter.js';

const CODE = 0x10000;
const DATA = 0x20000;
/** x9: base register of every load, store and AMO (8-aligned, 8 below the access). */
const BASE = 9;
/** x28: holds the jalr's own target (set by an auipc just before it). */
const LINK = 28;
/** Registers the operands name: x6..x8 hold small integers, f6..f8 single-precision
 * values (NaN-boxed), f16..f18 double-precision ones. */
const X_SRC = [6, 7, 8];
const S_SRC = [6, 7, 8];
const D_SRC = [16, 17, 18];
/** Their values: 1.5f, 2.5f, 3.5f (NaN-boxed) and 2.25, 3.25, 4.25. */
const S_VALUES = [0xffffffff3fc00000n, 0xffffffff40200000n, 0xffffffff40600000n];
const D_VALUES = [0x4002000000000000n, 0x400a000000000000n, 0x4011000000000000n];
const RD = 5;
/** CSRs read (csrrs, csrrc with x0): fflags, frm, fcsr, cycle, time, instret; and
 * written (csrrw with x0: zero): fflags, frm, fcsr. */
const CSRS_READ = [0x001, 0x002, 0x003, 0xc00, 0xc01, 0xc02];
const CSRS_WRITE = [0x001, 0x002, 0x003];
const FCSR = 0x003;

const SKIP = new Set(['illegal', 'ecall', 'ebreak']);
const LOADS = new Set([0b0000011, 0b0000111]);

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
  return m.pc === CODE + 4 * (code.length - 1);
}

/** Every instruction of the table once (with an auipc before each jalr), then a
 * jump-to-self. */
export function program(pass: number): number[] {
  const out: number[] = [];
  const rm = pass === 0 ? 7 : 0;
  for (const e of ENCODINGS) {
    if (SKIP.has(e.mnemonic)) continue;
    if (e.mnemonic === 'jalr') out.push(encodeU(0b0010111, LINK, 0)); // auipc x28, 0
    if (e.format === 'CSR') {
      for (const csr of e.mnemonic === 'csrrw' ? CSRS_WRITE : CSRS_READ) out.push(fill(e, RD, 0, 0, csr << 20));
      continue;
    }
    out.push(encode(e, rm));
  }
  out.push(0x0000006f); // jal x0, 0
  return out;
}

/** The instruction for encoding `e` with the operands above. */
function encode(e: Encoding, rm: number): number {
  const opcode = e.match & 0x7f;
  const source = sourceRegs(e.mnemonic);
  const [rs1, rs2, rs3] = source;
  switch (e.format) {
    case 'I':
      if (e.mnemonic === 'jalr') return fill(e, RD, LINK, 0, 8 << 20);
      if (LOADS.has(opcode)) return fill(e, RD, BASE, 0, 8 << 20);
      return fill(e, RD, rs1, 0, 3 << 20);
    case 'S': // store at 8(x9)
      return fill(e, 0, BASE, rs2, 8 << 7);
    case 'B': // to the next instruction, taken or not
      return fill(e, 0, rs1, rs2, 2 << 8);
    case 'U':
      return fill(e, RD, 0, 0, 0x12345 << 12);
    case 'J': // jal to the next instruction
      return fill(e, RD, 0, 0, 2 << 21);
    case 'SH':
    case 'SHW':
      return fill(e, RD, rs1, 0, 3 << 20);
    case 'AMO':
      return fill(e, RD, BASE, rs2, 0);
    case 'R4': // rounding mode in f3
      return fill(e, RD, rs1, rs2, (rs3 << 27) | (rm << 12));
    case 'CSRI':
      return fill(e, RD, 0, 0, FCSR << 20);
    case 'R': // f3 is the rounding mode where the table leaves it free
      return fill(e, RD, rs1, rs2, rm << 12);
    default: // FENCE
      return fill(e, RD, rs1, rs2, 0);
  }
}

/** The encoding's fixed bits, and the operand fields where the encoding leaves them
 * free (so an `rs2=00000` or `f3=000` of the table stays as it is). */
function fill(e: Encoding, rd: number, rs1: number, rs2: number, extra: number): number {
  const operands = (rd << 7) | (rs1 << 15) | (rs2 << 20) | extra;
  return (e.match | (operands & ~e.mask)) >>> 0;
}

function encodeU(opcode: number, rd: number, imm20: number): number {
  return ((imm20 << 12) | (rd << 7) | opcode) >>> 0;
}

/** The source registers of an instruction: by the type of its (last-named) source. */
function sourceRegs(mnemonic: string): number[] {
  if (mnemonic.endsWith('.s') && mnemonic.startsWith('f')) return S_SRC;
  if (mnemonic.endsWith('.d') && mnemonic.startsWith('f')) return D_SRC;
  return X_SRC;
}
