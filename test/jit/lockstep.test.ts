// Lockstep differential test: random RV64GC sequences (randgen.ts), straight-line and
// with counted loops, run from identical state under the interpreter and the JIT; the
// x and f registers, fflags, frm, pc, exit status and the data pages must agree. The JIT
// runs the default optimizer pipeline with the verifier after every pass; a quarter of
// the seeds also run without any pass (the backend alone).
//
//   LOCKSTEP_COUNT=N   N sequences per case instead of the defaults below (N/10 for the
//                      long sequences, which are ten times longer)
//   LOCKSTEP_SEED=S    run only the sequence with seed S (prints its disassembly)
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../layout/layout.js';
import { expandCompressed } from '../../lifter/compressed.js';
import { decode } from '../../lifter/decode.js';
import { disassemble } from '../../lifter/disasm.js';
import { Op } from '../../lifter/opcodes.js';
import { DEFAULT_PIPELINE } from '../../optimizer/pipeline.js';
import type { JitOptions } from '../../runtime/jit/engine.js';
import { Machine } from '../../runtime/machine.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../../runtime/memory.js';
import {
  ADDR, BASE, BASE_VALUE, COUNTER, DATA, DATA_PAGES, Generator, type GenOptions, type Inst, Rng, SP, SP_VALUE,
  encode,
} from './randgen.js';
import { CODE, runTier } from './run-code.js';

interface State {
  x: bigint[];
  f: bigint[];
  fflags: number;
  frm: number;
  data: Uint8Array;
}

interface Result extends State {
  status: number;
  pc: number;
  message: string[];
  /** Guest instructions the JIT translated (not compared). */
  translated: number;
}

const SINGLES = [0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00000,
  0xffc00001, 0x00000001, 0x807fffff, 0x7f7fffff, 0x4f000000, 0xcf000000, 0x5f000000, 0x3effffff];
const DOUBLES = [0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n,
  0xfff0000000000000n, 0x7ff8000000000000n, 0x7ff4000000000000n, 0xfff8000000000001n, 1n, 0x000fffffffffffffn,
  0x7fefffffffffffffn, 0x41e0000000000000n, 0xc1e0000000000000n, 0x43e0000000000000n, 0x3fe0000000000001n,
  0x4330000000000000n];
const INTS = [0n, 1n, -1n, 2n, 0x7fffffffn, -0x80000000n, 0x80000000n, 0xffffffffn, 0x7fffffffffffffffn,
  -0x8000000000000000n, 31n, 63n, 64n, -2n];

function initialState(rng: Rng): State {
  const x = Array.from({ length: 32 }, (_, r): bigint => {
    if (r === 0) return 0n;
    const k = rng.int(0, 9);
    if (k < 3) return BigInt.asUintN(64, rng.pick(INTS));
    if (k < 5) return BigInt(rng.int(-100, 100)) & 0xffffffffffffffffn;
    if (k < 6) return BigInt.asUintN(64, BigInt.asIntN(32, BigInt(rng.u32())));
    return rng.u64();
  });
  x[SP] = BigInt(SP_VALUE);
  x[BASE] = BigInt(BASE_VALUE);
  x[COUNTER] = 0n;
  x[ADDR] = BigInt(SP_VALUE);
  const f = Array.from({ length: 32 }, (): bigint => {
    const k = rng.int(0, 9);
    if (k < 3) return 0xffffffff00000000n | BigInt(k < 2 ? rng.pick(SINGLES) : rng.u32()); // NaN-boxed single
    if (k < 6) return rng.pick(DOUBLES) | (rng.chance(0.3) ? 0x8000000000000000n : 0n);
    if (k < 7) return BigInt(rng.u32()); // improperly boxed single
    return rng.u64();
  });
  const data = new Uint8Array(DATA_PAGES * PAGE_SIZE);
  for (let k = 0; k < data.length; k += 4) new DataView(data.buffer).setUint32(k, rng.u32(), true);
  const dv = new DataView(data.buffer);
  for (let n = rng.int(0, 40); n > 0; n--) { // special values where FP loads may find them
    const at = rng.int(0, data.length / 8 - 1) * 8;
    if (rng.chance(0.5)) dv.setBigUint64(at, rng.pick(DOUBLES), true);
    else dv.setUint32(at + 4 * rng.int(0, 1), rng.pick(SINGLES), true);
  }
  return { x, f, fflags: rng.int(0, 31), frm: rng.int(0, 4), data };
}

/** The JIT configurations compared with the interpreter. */
const OPTIMIZED: JitOptions = { passes: DEFAULT_PIPELINE, verifyIr: true };
const UNOPTIMIZED: JitOptions = { passes: [] };

function run(tier: 'interp' | 'jit', code: Uint8Array, init: State, jit: JitOptions = OPTIMIZED): Result {
  const m = new Machine({ env: [], argv: ['lockstep'], programPath: '/lockstep' });
  const codePages = Math.ceil(code.length / PAGE_SIZE);
  m.as.mapPages(CODE / PAGE_SIZE, codePages, PROT_READ | PROT_EXEC);
  m.as.write(CODE, code, true);
  m.as.mapPages(DATA / PAGE_SIZE, DATA_PAGES, PROT_READ | PROT_WRITE);
  m.as.write(DATA, init.data, true);
  for (let r = 1; r < 32; r++) m.setX(r, init.x[r]!);
  for (let r = 0; r < 32; r++) m.setF(r, init.f[r]!);
  m.fflags = init.fflags;
  m.frm = init.frm;
  m.pc = CODE;
  const { status, message, engine } = runTier(m, tier, jit);
  return {
    status, pc: m.pc, message, translated: engine?.stats.guestInstsTranslated ?? 0,
    x: Array.from({ length: 32 }, (_, r) => m.getX(r)),
    f: Array.from({ length: 32 }, (_, r) => m.getF(r)),
    fflags: m.fflags, frm: m.frm,
    data: m.as.read(DATA, DATA_PAGES * PAGE_SIZE),
  };
}

function listing(insts: readonly Inst[]): string {
  let pc = CODE;
  const lines: string[] = [];
  for (const x of insts) {
    const hex = x.len === 2 ? x.bits.toString(16).padStart(4, '0') : x.bits.toString(16).padStart(8, '0');
    lines.push(`  ${pc.toString(16)}: ${hex.padEnd(8)}  ${disassemble(x.bits, pc, x.len)}`);
    pc += x.len;
  }
  return lines.join('\n');
}

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

/** The first difference between the two results, or undefined. */
function difference(want: Result, got: Result): string | undefined {
  if (want.status !== got.status) return `status: interp ${want.status}, jit ${got.status}`;
  if (want.pc !== got.pc) return `pc: interp ${hex(want.pc)}, jit ${hex(got.pc)}`;
  for (let r = 0; r < 32; r++) {
    if (want.x[r] !== got.x[r]) return `x${r}: interp ${hex(want.x[r]!)}, jit ${hex(got.x[r]!)}`;
  }
  for (let r = 0; r < 32; r++) {
    if (want.f[r] !== got.f[r]) return `f${r}: interp ${hex(want.f[r]!)}, jit ${hex(got.f[r]!)}`;
  }
  if (want.fflags !== got.fflags) return `fflags: interp ${hex(want.fflags)}, jit ${hex(got.fflags)}`;
  if (want.frm !== got.frm) return `frm: interp ${want.frm}, jit ${got.frm}`;
  for (let k = 0; k < want.data.length; k++) {
    if (want.data[k] !== got.data[k]) {
      return `memory ${hex(DATA + k)}: interp ${hex(want.data[k]!)}, jit ${hex(got.data[k]!)}`;
    }
  }
  if (want.message.join('\n') !== got.message.join('\n')) {
    return `message: interp ${JSON.stringify(want.message)}, jit ${JSON.stringify(got.message)}`;
  }
  return undefined;
}

function checkLegal(insts: readonly Inst[]): void {
  for (const x of insts) {
    const d = decode(x.len === 2 ? expandCompressed(x.bits) : x.bits);
    if (d.op === Op.illegal) throw new Error(`generator emitted an illegal instruction ${hex(x.bits)}`);
  }
}

interface Case {
  name: string;
  /** Seeds are base + index, so LOCKSTEP_SEED reproduces one sequence. */
  base: number;
  count: number;
  gen: GenOptions;
  /** The case runs LOCKSTEP_COUNT / divisor sequences. */
  divisor?: number;
}

const scale = process.env.LOCKSTEP_COUNT !== undefined ? Number(process.env.LOCKSTEP_COUNT) : undefined;
const only = process.env.LOCKSTEP_SEED !== undefined ? Number(process.env.LOCKSTEP_SEED) : undefined;

const CASES: Case[] = [
  { name: 'straight-line', base: 1_000_000, count: 600, gen: { length: 120, loops: 0 } },
  { name: 'loops', base: 2_000_000, count: 500, gen: { length: 80, loops: 0.6 } },
  { name: 'floating point', base: 4_000_000, count: 400, gen: { length: 100, loops: 0.3, fpHeavy: true } },
  { name: 'long mixed', base: 3_000_000, count: 60, gen: { length: 1000, loops: 0.3 }, divisor: 10 },
];

/** Seeds known to disagree (reported to the lead), skipped until fixed: seed -> reason. */
const KNOWN: Map<number, string> = new Map();

interface Failure { seed: number; report: string }

/** Sequences that ran to their final ebreak (the rest stopped early, identically in both tiers). */
let completed = 0;

function runSeed(c: Case, seed: number, jit: JitOptions): Failure | undefined {
  const rng = new Rng(seed);
  const insts = new Generator(rng).sequence(c.gen);
  checkLegal(insts);
  const init = initialState(rng);
  const code = encode(insts);
  const want = run('interp', code, init);
  const got = run('jit', code, init, jit);
  const diff = difference(want, got);
  if (want.status === 128 + 5 && want.pc === CODE + code.length - 4) completed++;
  else if (process.env.LOCKSTEP_VERBOSE) console.log(seed, want.status, hex(want.pc), want.message);
  if (only === seed) console.log(`seed ${seed} (${c.name}):\n${listing(insts)}\n${diff ?? 'agree'}`);
  if (diff === undefined) return undefined;
  return { seed, report: `lockstep mismatch, LOCKSTEP_SEED=${seed} (${c.name}): ${diff}\n${listing(insts)}` };
}

/** The JIT configurations, each with the share of every case's seeds it runs. */
const VARIANTS: { label: string; jit: JitOptions; share: number }[] = [
  { label: 'default passes, verified', jit: OPTIMIZED, share: 1 },
  { label: 'no passes', jit: UNOPTIMIZED, share: 0.25 },
];

describe.each(VARIANTS)('lockstep: JIT ($label) vs interpreter on random sequences', ({ jit, share }) => {
  for (const c of CASES) {
    const seeds: number[] = [];
    if (only !== undefined) {
      if (only >= c.base && only < c.base + 1_000_000) seeds.push(only);
    } else {
      const n = Math.ceil(share * (scale === undefined ? c.count : Math.ceil(scale / (c.divisor ?? 1))));
      for (let k = 0; k < n; k++) seeds.push(c.base + k);
    }
    if (seeds.length === 0) continue;
    it(c.name, () => {
      completed = 0;
      const failures: Failure[] = [];
      for (const seed of seeds) {
        if (KNOWN.has(seed) && only === undefined) continue;
        const f = runSeed(c, seed, jit);
        if (f !== undefined) failures.push(f);
      }
      if (failures.length > 0) {
        console.error(failures[0]!.report);
        console.error(`${failures.length} of ${seeds.length} seeds disagree: ${failures.map((f) => f.seed).join(' ')}`);
      }
      expect(failures.map((f) => f.seed)).toEqual([]);
      // The generator makes nothing that traps: every sequence reaches its ebreak.
      expect(completed).toBe(seeds.filter((s) => !KNOWN.has(s) || only !== undefined).length);
    });
  }

  // Every instruction the generator makes is legal, sequences end at the ebreak, the JIT
  // really translates them, and the comparison notices a difference.
  it('generator and comparison sanity', () => {
    const rng = new Rng(7);
    const insts = new Generator(rng).sequence({ length: 300, loops: 0.5 });
    checkLegal(insts);
    const code = encode(insts);
    const init = initialState(rng);
    const want = run('interp', code, init);
    expect(want.status).toBe(128 + 5); // SIGTRAP
    expect(want.pc).toBe(CODE + code.length - 4);
    const got = run('jit', code, init, jit);
    expect(got.translated).toBeGreaterThan(insts.length / 2);
    expect(difference(want, got)).toBeUndefined();
    got.f[3] = got.f[3]! ^ 1n;
    expect(difference(want, got)).toMatch(/^f3: /);
    got.f[3] = got.f[3]! ^ 1n;
    got.data[0x1000] = got.data[0x1000]! ^ 0x80;
    expect(difference(want, got)).toMatch(/^memory 0x21000: /);
  });
});
