// Translated code that outlives a change of the mapping: a random sequence (randgen.ts,
// with loops over the data pages) runs twice on one machine, and between the runs a data
// page is made read-only, replaced by a fresh page (another frame: another host address),
// or unmapped. Under the JIT the second run reuses the code compiled by the first, with
// its translation cache slots and hoisted TLB fills; it must end exactly as the
// interpreter does: registers, memory, pc, status and fault message.
import { describe, expect, it } from 'vitest';
import { GUEST_ACCESSES_OFF, PAGE_SIZE, TLB_LOOKUPS_OFF } from '../../layout/layout.js';
import { DEFAULT_PIPELINE } from '../../optimizer/pipeline.js';
import { JitEngine } from '../../runtime/jit/engine.js';
import { Machine } from '../../runtime/machine.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../../runtime/memory.js';
import { BASE, BASE_VALUE, DATA, DATA_PAGES, Generator, Rng, SP, SP_VALUE, encode } from './randgen.js';
import { CODE, runTier } from './run-code.js';

type Change = 'read-only page 0' | 'read-only page 1' | 'fresh page 1' | 'unmapped page 0' | 'unmapped page 1';
const CHANGES: readonly Change[] = ['read-only page 0', 'read-only page 1', 'fresh page 1', 'unmapped page 0', 'unmapped page 1'];

function change(m: Machine, c: Change): void {
  const vpn = DATA / PAGE_SIZE + (c.endsWith('1') ? 1 : 0);
  if (c.startsWith('read-only')) m.as.protectPages(vpn, 1, PROT_READ);
  else if (c.startsWith('unmapped')) m.as.unmapPages(vpn, 1);
  else {
    // A fresh frame: map a scratch page first so that the freed frame is not reused at once.
    m.as.unmapPages(vpn, 1);
    m.as.mapPages(0x7000, 1, PROT_READ | PROT_WRITE);
    m.as.mapPages(vpn, 1, PROT_READ | PROT_WRITE);
    m.as.write(vpn * PAGE_SIZE, Uint8Array.from({ length: PAGE_SIZE }, (_, i) => (i * 7) & 0xff), true);
  }
}

interface End {
  status: number;
  pc: number;
  message: string[];
  x: bigint[];
  data: (number | undefined)[];
}

function runTwice(tier: 'interp' | 'jit', code: Uint8Array, seed: number, c: Change): End[] {
  const rng = new Rng(seed * 7919);
  const m = new Machine({ env: [], argv: ['remap'], programPath: '/remap' });
  m.as.mapPages(CODE / PAGE_SIZE, Math.ceil(code.length / PAGE_SIZE), PROT_READ | PROT_EXEC);
  m.as.write(CODE, code, true);
  m.as.mapPages(DATA / PAGE_SIZE, DATA_PAGES, PROT_READ | PROT_WRITE);
  m.as.write(DATA, Uint8Array.from({ length: DATA_PAGES * PAGE_SIZE }, () => rng.int(0, 255)), true);
  const x = Array.from({ length: 32 }, (_, r) => (r === 0 ? 0n : BigInt(rng.int(-50, 50)) & 0xffffffffffffffffn));
  x[SP] = BigInt(SP_VALUE);
  x[BASE] = BigInt(BASE_VALUE);
  const engine = tier === 'jit' ? new JitEngine(m, { passes: DEFAULT_PIPELINE, verifyIr: true, countLookups: true }) : undefined;
  const ends: End[] = [];
  for (let run = 0; run < 2; run++) {
    if (run === 1) change(m, c);
    for (let r = 1; r < 32; r++) m.setX(r, x[r]!);
    m.pc = CODE;
    const { status, message } = runTier(m, tier, {}, engine);
    const data: (number | undefined)[] = [];
    for (let p = 0; p < DATA_PAGES; p++) {
      const mapped = m.as.protOf(DATA / PAGE_SIZE + p) >= 0;
      for (let k = 0; k < PAGE_SIZE; k += 8) data.push(mapped ? Number(m.as.readU64(DATA + p * PAGE_SIZE + k) & 0xffffffffn) : undefined);
    }
    ends.push({ status, pc: m.pc, message, x: Array.from({ length: 32 }, (_, r) => m.getX(r)), data });
  }
  if (tier === 'jit') reused += m.v.dv.getBigUint64(GUEST_ACCESSES_OFF, true) - m.v.dv.getBigUint64(TLB_LOOKUPS_OFF, true);
  return ends;
}

/** Guest accesses of the JIT runs that reused a translation (slots, hoisting). */
let reused = 0n;

describe('compiled code across mapping changes', () => {
  const count = Number(process.env.LOCKSTEP_COUNT ?? 150);
  it(`${count} sequences, each run twice around a change of a data page`, () => {
    const failures: string[] = [];
    let faulted = 0;
    for (let k = 0; k < count; k++) {
      const seed = 9_000_000 + k;
      const insts = new Generator(new Rng(seed)).sequence({ length: 80, loops: 0.7 });
      const code = encode(insts);
      const c = CHANGES[k % CHANGES.length]!;
      const want = runTwice('interp', code, seed, c);
      const got = runTwice('jit', code, seed, c);
      if (want[1]!.status !== 128 + 5) faulted++;
      for (let run = 0; run < 2; run++) {
        const a = want[run]!, b = got[run]!;
        const what = a.status !== b.status ? `status ${a.status} vs ${b.status}` : a.pc !== b.pc ? `pc 0x${a.pc.toString(16)} vs 0x${b.pc.toString(16)}`
          : a.message.join() !== b.message.join() ? `message ${a.message} vs ${b.message}`
            : a.x.some((v, r) => v !== b.x[r]) ? `x${a.x.findIndex((v, r) => v !== b.x[r])}`
              : a.data.some((v, i) => v !== b.data[i]) ? `data word ${a.data.findIndex((v, i) => v !== b.data[i])}` : undefined;
        if (what !== undefined) failures.push(`seed ${seed} (${c}), run ${run + 1}: ${what}`);
      }
    }
    expect(failures).toEqual([]);
    // The changes matter: some second runs fault where the first did not.
    expect(faulted).toBeGreaterThan(count / 10);
    // And the translated code did reuse translations.
    expect(reused).toBeGreaterThan(BigInt(count));
  });
});
