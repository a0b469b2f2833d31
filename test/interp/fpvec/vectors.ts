// The FP test vectors recorded from qemu-riscv64 (gen.c, vectors.txt): their parser, shared
// by the interpreter's test (test/interp/fp.test.ts) and the JIT's (test/jit/fp-vectors.test.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MNEMONICS } from '../../../lifter/encoding.js';

const M64 = (1n << 64n) - 1n;

export function opOf(name: string): number {
  const op = MNEMONICS.indexOf(name);
  if (op < 0) throw new Error(`unknown mnemonic ${name}`);
  return op;
}

export interface Shape { f32src: boolean; f32dst: boolean; intSrc: boolean; xDst: boolean }
export function shape(name: string): Shape {
  const parts = name.split('.');
  const last = parts[parts.length - 1];
  let intSrc = false, xDst = false, f32src = last === 's', f32dst = last === 's';
  if (name.startsWith('fcvt.')) {
    const [, to, from] = parts;
    intSrc = ['w', 'wu', 'l', 'lu'].includes(from);
    xDst = ['w', 'wu', 'l', 'lu'].includes(to);
    f32src = from === 's';
    f32dst = to === 's';
  } else if (name === 'fmv.x.w' || name === 'fmv.x.d') { xDst = true; f32src = name === 'fmv.x.w'; }
  else if (name === 'fmv.w.x' || name === 'fmv.d.x') { intSrc = true; f32dst = name === 'fmv.w.x'; }
  else if (/^(fclass|feq|flt|fle)\./.test(name)) xDst = true;
  return { f32src, f32dst, intSrc, xDst };
}

/** A value as printed by gen.c: f32 register values are 8 hex digits when boxed, 'u' + 64 bits when not. */
export function parseVal(tok: string, f32: boolean): bigint {
  if (tok.startsWith('u')) return BigInt('0x' + tok.slice(1));
  const x = BigInt('0x' + tok);
  return f32 ? x | 0xffffffff00000000n : x;
}

export interface Vec { line: string; name: string; op: number; sh: Shape; src: bigint[]; res: bigint[]; fl: number[] }

export function loadVectors(): Vec[] {
  // FP_VECTORS=/path/to/other.txt checks another set (e.g. gen.c run with another seed)
  const path = process.env.FP_VECTORS ?? fileURLToPath(new URL('./vectors.txt', import.meta.url));
  const out: Vec[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    const t = line.split(' ');
    const name = t[0];
    const sh = shape(name);
    let k = 1;
    const src: bigint[] = [];
    while (!t[k].includes(':')) src.push(parseVal(t[k++], sh.f32src && !sh.intSrc));
    const res: bigint[] = [], fl: number[] = [];
    const f32res = sh.f32dst && !sh.xDst;
    for (; k < t.length; k++) {
      const [r, f] = t[k].split(':');
      let x: bigint;
      if (res.length === 0) x = parseVal(r, f32res);
      else if (r === '=') x = res[0];
      else if (r[0] === '+' || r[0] === '-') x = (res[0] + BigInt(r)) & M64;
      else x = parseVal(r, f32res);
      res.push(x);
      fl.push(parseInt(f, 16));
    }
    out.push({ line, name, op: opOf(name), sh, src, res, fl });
  }
  return out;
}
