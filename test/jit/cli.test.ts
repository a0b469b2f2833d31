// The JIT tier from the command line: --stats figures, --dump-ir files named by symbol,
// usage errors, and V8 compiling JIT code without Liftoff.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GUESTS, ROOT, runCli } from '../helpers.js';

const HELLO = path.join(GUESTS, 'hello');

describe('rvwasm run --tier jit', () => {
  it('prints the JIT figures with --stats', () => {
    const r = runCli(['run', '--tier', 'jit', '--stats', HELLO]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Hello, world!\n');
    expect(r.stderr).toMatch(/stats: tier jit, \d+ guest instructions/);
    expect(r.stderr).toMatch(/jit: \d+ regions compiled, \d+ guest instructions translated/);
    expect(r.stderr).toMatch(/compile time: lift \d+ ms, optimize \d+ ms, emit \d+ ms, V8 compile \d+ ms/);
    expect(r.stderr).toMatch(/code cache: \d+ regions, \d+ KiB, 0 invalidated, 0 flushes/);
    const tlb = /TLB: (\d+) guest accesses, (\d+) lookups \([\d.]+ per access\), (\d+) translations reused, (\d+) misses/.exec(r.stderr);
    expect(tlb, r.stderr).not.toBeNull();
    const [accesses, lookups, reused, misses] = tlb!.slice(1).map(Number);
    expect(accesses).toBeGreaterThan(lookups);
    expect(reused).toBe(accesses - lookups);
    expect(lookups).toBeGreaterThan(misses);
    expect(misses).toBeGreaterThan(0);
  });

  it('dumps IR, wasm text and a CFG per region, named by symbol', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rvwasm-dump-'));
    try {
      const r = runCli(['run', '--tier', 'jit', '--dump-ir', dir, HELLO]);
      expect(r.status).toBe(0);
      const files = fs.readdirSync(dir);
      expect(files).toContain('main+0x0.lifted.ir');
      expect(files).toContain('main+0x0.wat');
      expect(files).toContain('main+0x0.dot');
      expect(fs.readFileSync(path.join(dir, 'main+0x0.lifted.ir'), 'utf8')).toMatch(/^region @0x[0-9a-f]+ \{/);
      expect(fs.readFileSync(path.join(dir, 'main+0x0.wat'), 'utf8')).toMatch(/\(func \$region/);
      expect(fs.readFileSync(path.join(dir, 'main+0x0.dot'), 'utf8')).toMatch(/^digraph /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects what is not implemented with a usage error', () => {
    let r = runCli(['run', '--tier', 'jit', '--mmu', 'paged', HELLO]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown MMU mode 'paged'/);
    r = runCli(['run', '--dump-ir', '/tmp/x', HELLO]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--dump-ir needs --tier jit, or --tier auto with --sync/);
  });

  it('compiles JIT code with TurboFan, not Liftoff', () => {
    // V8 in Node 20 never moves a running wasm loop from Liftoff to optimized code.
    const script = `
      const { prepareJit } = await import(${JSON.stringify(path.join(ROOT, 'dist/runtime/jit/index.js'))});
      const { emitRegion } = await import(${JSON.stringify(path.join(ROOT, 'dist/backend-wasm/emit.js'))});
      const { parseRegion } = await import(${JSON.stringify(path.join(ROOT, 'dist/ir/parse.js'))});
      await prepareJit({ emitter: 'direct' });
      const region = parseRegion('region @0x1000 {\\nblock0:\\n    exit 0x1000\\n}');
      const { binary } = emitRegion(region, { slotFor: () => 0 });
      const memory = new WebAssembly.Memory({ initial: 65535, maximum: 65535, shared: true });
      const table = new WebAssembly.Table({ initial: 1, element: 'anyfunc' });
      const f = new WebAssembly.Instance(new WebAssembly.Module(binary), { env: { memory, table } }).exports.region;
      const liftoff = new Function('f', 'return %IsLiftoffFunction(f)');
      const turbofan = new Function('f', 'return %IsTurboFanFunction(f)');
      console.log(JSON.stringify({ liftoff: liftoff(f), turbofan: turbofan(f) }));`;
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ liftoff: false, turbofan: true });
  });
});
