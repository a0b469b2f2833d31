//! ELF64 little-endian RISC-V reader: file header, program headers, and the symbol
//! table (our own, because `elfy` mis-reads some ELF64 fields and knows no symbols).
//! Every malformed input becomes an ElfError with one line saying what is wrong.

export class ElfError extends Error {}

export const PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6;
export const PF_X = 1, PF_W = 2, PF_R = 4;
export const ET_EXEC = 2, ET_DYN = 3;
export const EM_RISCV = 243;

export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** STT_FUNC = 2, STT_OBJECT = 1, ... */
  type: number;
}

export interface ElfFile {
  type: number;
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  phdrs: ProgramHeader[];
  interp?: string;
  data: Buffer;
}

const MACHINES: Record<number, string> = { 3: 'x86', 40: 'ARM', 62: 'x86-64', 183: 'AArch64', 8: 'MIPS', 21: 'PowerPC64' };

/** Largest total size of loadable segments we accept (the guest space is 4 GiB of frames). */
const MAX_IMAGE = 0xf000_0000;
/** User addresses end below 2^47, as on Linux with 4-level paging. */
const USER_TOP = 2 ** 47;

function u64(b: Buffer, off: number): number {
  const v = b.readBigUInt64LE(off);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError('field out of range (corrupt ELF header)');
  return Number(v);
}

export function parseElf(data: Buffer): ElfFile {
  if (data.length < 4 || data.readUInt32BE(0) !== 0x7f454c46) throw new ElfError('not an ELF file');
  if (data.length < 16) throw new ElfError('truncated ELF header');
  if (data[4] === 1) throw new ElfError('32-bit ELF is not supported (rvwasm runs RV64 programs)');
  if (data[4] !== 2) throw new ElfError('unknown ELF class');
  if (data[5] !== 1) throw new ElfError('big-endian ELF is not supported');
  if (data.length < 64) throw new ElfError('truncated ELF header');
  const type = data.readUInt16LE(16);
  const machine = data.readUInt16LE(18);
  if (machine !== EM_RISCV) {
    throw new ElfError(`not a RISC-V program (machine: ${MACHINES[machine] ?? `e_machine ${machine}`})`);
  }
  if (type !== ET_EXEC && type !== ET_DYN) throw new ElfError(`not an executable (ELF type ${type})`);
  const entry = u64(data, 24);
  const phoff = u64(data, 32);
  const phentsize = data.readUInt16LE(54);
  const phnum = data.readUInt16LE(56);
  if (phnum === 0) throw new ElfError('no program headers');
  if (phentsize < 56) throw new ElfError('bad program header size');
  if (phoff + phnum * phentsize > data.length) throw new ElfError('truncated: program headers lie beyond the end of the file');
  const phdrs: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    phdrs.push({
      type: data.readUInt32LE(o), flags: data.readUInt32LE(o + 4), offset: u64(data, o + 8),
      vaddr: u64(data, o + 16), filesz: u64(data, o + 32), memsz: u64(data, o + 40), align: u64(data, o + 48),
    });
  }
  checkSegments(phdrs, data.length);
  let interp: string | undefined;
  const pi = phdrs.find((p) => p.type === PT_INTERP);
  if (pi) {
    if (pi.offset + pi.filesz > data.length) throw new ElfError('truncated: PT_INTERP lies beyond the end of the file');
    interp = data.subarray(pi.offset, pi.offset + pi.filesz).toString('latin1').replace(/\0.*$/s, '');
  }
  return { type, entry, phoff, phentsize, phnum, phdrs, interp, data };
}

function checkSegments(phdrs: ProgramHeader[], fileSize: number): void {
  const loads = phdrs.filter((p) => p.type === PT_LOAD);
  if (loads.length === 0) throw new ElfError('no loadable segments');
  let total = 0;
  for (const p of loads) {
    if (p.filesz > p.memsz) throw new ElfError('segment file size exceeds its memory size');
    if (p.offset + p.filesz > fileSize) throw new ElfError('truncated: a segment lies beyond the end of the file');
    if (p.vaddr + p.memsz > USER_TOP) throw new ElfError('segment lies outside the user address space');
    if ((p.vaddr - p.offset) % 4096 !== 0) throw new ElfError('segment offset and address are not congruent modulo the page size');
    total += p.memsz;
    if (total > MAX_IMAGE) throw new ElfError(`segments are absurdly large (${total} bytes)`);
  }
  const sorted = [...loads].sort((a, b) => a.vaddr - b.vaddr);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].vaddr < sorted[i - 1].vaddr + sorted[i - 1].memsz) throw new ElfError('loadable segments overlap');
  }
}

/** Reads .symtab (or .dynsym) function and object symbols; empty if the file is stripped. */
export function readSymbols(data: Buffer): ElfSymbol[] {
  try {
    const shoff = u64(data, 40);
    const shentsize = data.readUInt16LE(58);
    const shnum = data.readUInt16LE(60);
    if (shoff === 0 || shnum === 0 || shoff + shnum * shentsize > data.length) return [];
    const sec = (i: number) => {
      const o = shoff + i * shentsize;
      return { type: data.readUInt32LE(o + 4), offset: u64(data, o + 24), size: u64(data, o + 32), link: data.readUInt32LE(o + 40), entsize: u64(data, o + 56) };
    };
    const sections = Array.from({ length: shnum }, (_, i) => sec(i));
    const symtab = sections.find((s) => s.type === 2) ?? sections.find((s) => s.type === 11);
    if (!symtab || symtab.entsize < 24) return [];
    const strtab = sections[symtab.link];
    const out: ElfSymbol[] = [];
    for (let o = symtab.offset; o + 24 <= symtab.offset + symtab.size && o + 24 <= data.length; o += symtab.entsize) {
      const nameOff = data.readUInt32LE(o);
      const info = data[o + 4];
      const value = u64(data, o + 8);
      const size = u64(data, o + 16);
      const type = info & 0xf;
      if ((type !== 1 && type !== 2) || value === 0) continue;
      const start = strtab.offset + nameOff;
      const end = data.indexOf(0, start);
      out.push({ name: data.subarray(start, end < 0 ? start : end).toString('latin1'), value, size, type });
    }
    return out;
  } catch {
    return [];
  }
}
