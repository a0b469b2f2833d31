// The ELF loader, checked against riscv64-linux-gnu-readelf where it is installed, and
// the initial stack a new process gets.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf, PT_LOAD, readSymbols } from '../../runtime/elf.js';
import { loadProgram } from '../../runtime/loader.js';
import { Machine } from '../../runtime/machine.js';
import { GUESTS, hasTool, runHost } from '../helpers.js';

const readelf = hasTool('riscv64-linux-gnu-readelf');

/** LOAD rows of `readelf -lW`: [offset, vaddr, filesz, memsz, flags]. */
function readelfLoads(file: string): string[][] {
  const out = runHost('riscv64-linux-gnu-readelf', ['-lW', file]).stdout;
  return out.split('\n').filter((l) => /^\s+LOAD\s/.test(l)).map((l) => {
    const f = l.trim().split(/\s+/);
    return [f[1], f[2], f[4], f[5], f.slice(6, -1).join('')];
  });
}

describe('ELF loader', () => {
  for (const name of ['hello', 'hello-pie', 'hello-dyn']) {
    it.skipIf(!readelf)(`reads the program headers of ${name} as readelf does`, () => {
      const file = path.join(GUESTS, name);
      const elf = parseElf(fs.readFileSync(file));
      const ours = elf.phdrs.filter((p) => p.type === PT_LOAD).map((p) => [
        `0x${p.offset.toString(16).padStart(6, '0')}`, `0x${p.vaddr.toString(16).padStart(16, '0')}`,
        `0x${p.filesz.toString(16).padStart(6, '0')}`, `0x${p.memsz.toString(16).padStart(6, '0')}`,
        `${p.flags & 4 ? 'R' : ''}${p.flags & 2 ? 'W' : ''}${p.flags & 1 ? 'E' : ''}`,
      ]);
      expect(ours).toEqual(readelfLoads(file));
    });
  }

  it('finds the symbols readelf lists', () => {
    const syms = readSymbols(fs.readFileSync(path.join(GUESTS, 'hello')));
    const main = syms.find((s) => s.name === 'main');
    expect(main?.type).toBe(2);
    if (readelf) {
      const line = runHost('riscv64-linux-gnu-readelf', ['-sW', path.join(GUESTS, 'hello')]).stdout
        .split('\n').find((l) => / main$/.test(l))!;
      expect(parseInt(line.trim().split(/\s+/)[1], 16)).toBe(main!.value);
    }
  });

  it('maps segments with the file bytes and builds argc, argv, envp and auxv', () => {
    const file = path.join(GUESTS, 'hello');
    const m = new Machine({ env: ['A=1', 'B=two'], argv: ['hello', 'x y'], programPath: file });
    const r = loadProgram(m, file, 'hello');
    const text = r.elf.phdrs.find((p) => p.type === PT_LOAD)!;
    expect(Buffer.from(m.as.read(text.vaddr, 64))).toEqual(r.elf.data.subarray(text.offset, text.offset + 64));
    expect(m.pc).toBe(r.elf.entry);
    const sp = m.getXNumber(2);
    expect(sp % 16).toBe(0);
    const word = (i: number) => Number(m.as.readU64(sp + 8 * i));
    expect(word(0)).toBe(2);
    expect(m.as.readCString(word(1))).toBe('hello');
    expect(m.as.readCString(word(2))).toBe('x y');
    expect(word(3)).toBe(0);
    expect(m.as.readCString(word(4))).toBe('A=1');
    expect(m.as.readCString(word(5))).toBe('B=two');
    expect(word(6)).toBe(0);
    const aux = new Map<number, number>();
    for (let i = 7; word(i) !== 0; i += 2) aux.set(word(i), word(i + 1));
    expect(aux.get(6)).toBe(4096); // AT_PAGESZ
    expect(aux.get(9)).toBe(r.elf.entry); // AT_ENTRY
    expect(aux.get(5)).toBe(r.elf.phnum); // AT_PHNUM
    expect(aux.get(4)).toBe(56); // AT_PHENT
    expect(m.as.readCString(aux.get(31)!)).toBe('hello'); // AT_EXECFN
    expect(aux.get(25)).toBeGreaterThan(0); // AT_RANDOM
    expect(aux.get(16)! & 0x112d).toBe(0x112d); // AT_HWCAP: I M A F D C
    const phdr = aux.get(3)!;
    expect(Number(m.as.readU64(phdr + 16))).toBe(r.elf.phdrs[0].vaddr); // AT_PHDR points at the headers
  });
});
