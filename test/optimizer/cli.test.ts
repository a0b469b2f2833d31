// The optimizer on the command line: --passes (a list, empty for none, a usage error for
// an unknown name), --verify-ir, and the IR after each pass in --dump-ir.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE, parsePasses, passNames, PipelineError } from '../../optimizer/pipeline.js';
import { parseElf } from '../../runtime/elf.js';
import { GUESTS, runCli } from '../helpers.js';

const HELLO = path.join(GUESTS, 'hello');
/** A small guest without symbols: its first region is named by its entry pc. */
const SMALL = path.join(GUESTS, 'csr');
const ENTRY = `0x${parseElf(fs.readFileSync(SMALL)).entry.toString(16)}`;

/** The dump files of the small guest's first region (`<entry>.*`), sorted. */
function dumpFiles(args: string[]): { files: string[]; dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rvwasm-passes-'));
  const r = runCli(['run', '--tier', 'jit', '--dump-ir', dir, ...args, SMALL]);
  expect(r.status, r.stderr).toBe(0);
  const files = fs.readdirSync(dir).filter((f) => f.startsWith(`${ENTRY}.`)).map((f) => f.slice(ENTRY.length + 1)).sort();
  return { files, dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe('--passes', () => {
  it('parses a list, allows repeats, and names the passes on an unknown one', () => {
    expect(parsePasses('')).toEqual([]);
    expect(parsePasses('dce, gvn,dce')).toEqual(['dce', 'gvn', 'dce']);
    expect(() => parsePasses('gvn,nope')).toThrow(PipelineError);
    expect(() => parsePasses('nope')).toThrow(`unknown pass 'nope' (passes: ${passNames().join(', ')})`);
  });

  it('rejects an unknown pass, and the optimizer options without the JIT, with one line', () => {
    let r = runCli(['run', '--tier', 'jit', '--passes', 'regpromote,nope', HELLO]);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`rvwasm: --passes: unknown pass 'nope' (passes: ${passNames().join(', ')})`);
    r = runCli(['run', '--tier', 'interp', '--passes', 'dce', HELLO]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^rvwasm: --passes needs --tier jit or auto\n/);
    r = runCli(['run', '--tier', 'interp', '--verify-ir', HELLO]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^rvwasm: --verify-ir needs --tier jit or auto\n/);
    r = runCli(['run', '--passes', 'dce', '--verify-ir', HELLO]); // auto, the default tier
    expect(r.status).toBe(0);
  });

  it('--help lists the passes and the default pipeline', () => {
    const r = runCli(['--help']);
    for (const p of passNames()) expect(r.stdout).toContain(p);
    expect(r.stdout).toMatch(/--verify-ir/);
  });

  it('dumps the IR after each pass of the pipeline, numbered', () => {
    const d = dumpFiles(['--passes', 'regpromote,dce,dce', '--verify-ir']);
    try {
      expect(d.files).toEqual(['1-regpromote.ir', '2-dce.ir', '3-dce.ir', 'dot', 'lifted.ir', 'wat']);
      const read = (f: string) => fs.readFileSync(path.join(d.dir, `${ENTRY}.${f}`), 'utf8');
      // The lifted IR is written before the passes change the region in place.
      expect((read('lifted.ir').match(/getreg/g) ?? []).length)
        .toBeGreaterThan((read('1-regpromote.ir').match(/getreg/g) ?? []).length);
    } finally {
      d.cleanup();
    }
  });

  it('runs the default pipeline without --passes, and none with an empty list', () => {
    const d = dumpFiles([]);
    const e = dumpFiles(['--passes=']);
    try {
      expect(d.files).toEqual([...DEFAULT_PIPELINE.map((p, i) => `${i + 1}-${p}.ir`), 'dot', 'lifted.ir', 'wat']);
      expect(e.files).toEqual(['dot', 'lifted.ir', 'wat']);
    } finally {
      d.cleanup();
      e.cleanup();
    }
  });
});
