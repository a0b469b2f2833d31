//! `rvwasm disasm FILE [--func NAME]`: the listing `riscv64-linux-gnu-objdump -d` prints.
//! Code comes from the executable sections (the executable PT_LOAD segments when the file
//! has no section headers), split into blocks at symbols, with objdump's layout:
//!
//!   0000000000010544 <_start>:
//!      10544:	022000ef          	jal	10566 <load_gp>
//!
//! Symbols are chosen as objdump chooses them (its `compare_symbols` order, same-section
//! preference, `name@plt` PLT entries); `$d` mapping symbols mark data; `# address`
//! comments follow objdump's tracking of lui/auipc results.

import * as fs from 'node:fs';
import { expandCompressed } from '../lifter/compressed.js';
import { decode, type Decoded } from '../lifter/decode.js';
import { disassemble, type PrivSpec } from '../lifter/disasm.js';
import { Op } from '../lifter/opcodes.js';
import { ElfError, parseElf, readSymbols, PF_X, PT_LOAD, type ElfFile } from './elf.js';

const SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_RELA = 4, SHT_DYNSYM = 11, SHT_RISCV_ATTRIBUTES = 0x70000003, SHF_EXECINSTR = 4;
const STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3, STT_FILE = 4, STT_GNU_IFUNC = 10;
const STB_LOCAL = 0, STB_GLOBAL = 1;

interface Section { index: number; name: string; type: number; flags: number; addr: number; offset: number; size: number; link: number; entsize: number }

/** A stretch of code: an executable section (or segment) and the index of its section. */
interface CodeRange { name: string; index: number; vaddr: number; bytes: Buffer }

interface Sym { name: string; value: number; size: number; type: number; bind: number; shndx: number; plt?: boolean }

function cString(data: Buffer, start: number): string {
  const end = data.indexOf(0, start);
  return data.subarray(start, end < 0 ? start : end).toString('latin1');
}

/** The section headers, or [] when they are missing or unusable. */
function readSections(data: Buffer): Section[] {
  try {
    const u64 = (o: number) => Number(data.readBigUInt64LE(o));
    const shoff = u64(40), shentsize = data.readUInt16LE(58), shnum = data.readUInt16LE(60), shstrndx = data.readUInt16LE(62);
    if (shoff === 0 || shentsize < 64 || shstrndx >= shnum || shoff + shnum * shentsize > data.length) return [];
    const sections = Array.from({ length: shnum }, (_, index) => {
      const o = shoff + index * shentsize;
      return {
        index, name: '', nameOff: data.readUInt32LE(o), type: data.readUInt32LE(o + 4), flags: u64(o + 8), addr: u64(o + 16),
        offset: u64(o + 24), size: u64(o + 32), link: data.readUInt32LE(o + 40), entsize: u64(o + 56),
      };
    });
    for (const s of sections) s.name = cString(data, sections[shstrndx].offset + s.nameOff);
    return sections;
  } catch {
    return [];
  }
}

/** The privileged spec the file was built for (its Tag_RISCV_priv_spec attributes), which
 * names CSRs; objdump assumes the newest when the file does not say. */
function privSpec(data: Buffer, sections: Section[]): PrivSpec {
  const attrs = sections.find((s) => s.type === SHT_RISCV_ATTRIBUTES);
  const version = [0, 0, 0];
  if (attrs && data[attrs.offset] === 0x41 /* 'A' */) {
    // 'A', then a "riscv" vendor subsection (u32 length, name) holding a file-scope list
    // (tag 1, u32 length) of tag/value pairs: odd tags have string values, even tags numbers.
    const end = Math.min(attrs.offset + attrs.size, data.length);
    let o = attrs.offset + 1;
    const uleb = () => {
      let v = 0, shift = 0, b: number;
      do { b = data[o++]; v += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80 && o < end);
      return v;
    };
    const skipString = () => { const z = data.indexOf(0, o); o = z < 0 || z >= end ? end : z + 1; };
    if (o + 4 <= end) {
      const vendorEnd = Math.min(o + data.readUInt32LE(o), end);
      o += 4;
      skipString();
      if (data[o] === 1) {
        for (o += 5; o < vendorEnd;) {
          const tag = uleb();
          if (tag % 2) skipString();
          else if (tag >= 8 && tag <= 12) version[(tag - 8) / 2] = uleb();
          else uleb();
        }
      }
    }
  }
  const name = `${version[0]}.${version[1]}${version[2] ? `.${version[2]}` : ''}`;
  return (['1.9.1', '1.10', '1.11', '1.12'] as const).find((v) => v === name) ?? '1.12';
}

function codeRanges(elf: ElfFile, sections: Section[]): CodeRange[] {
  const code = sections.filter((s) => s.type === SHT_PROGBITS && (s.flags & SHF_EXECINSTR) && s.size > 0 &&
    s.offset + s.size <= elf.data.length && s.addr + s.size <= Number.MAX_SAFE_INTEGER);
  if (code.length) return code.map((s) => ({ name: s.name, index: s.index, vaddr: s.addr, bytes: elf.data.subarray(s.offset, s.offset + s.size) }));
  return elf.phdrs.filter((p) => p.type === PT_LOAD && (p.flags & PF_X) && p.filesz > 0)
    .map((p, i) => ({ name: `LOAD${i}`, index: -1, vaddr: p.vaddr, bytes: elf.data.subarray(p.offset, p.offset + p.filesz) }));
}

/** objdump's `compare_symbols`: by address, then functions, objects, globals first, larger first, by name. */
function compareSymbols(a: Sym, b: Sym): number {
  const key = (s: Sym) => [
    /gnu_compiled|gcc2_compiled/.test(s.name), /\.[oa]$/.test(s.name),
    s.type !== STT_FUNC && s.type !== STT_GNU_IFUNC, s.type !== STT_OBJECT, s.bind === STB_LOCAL, s.bind !== STB_GLOBAL,
  ].map(Number);
  if (a.value !== b.value) return a.value - b.value;
  const ka = key(a), kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
  if (a.size !== b.size) return b.size - a.size;
  const dot = Number(a.name.startsWith('.')) - Number(b.name.startsWith('.'));
  return dot || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

const isMappingSymbol = (name: string) => name === '$d' || name === '$x' || name.startsWith('$xrv');

/** Symbols as objdump collects them: defined, named, no files or sections; mapping symbols
 * (`$x`, `$d`) mark code and data but never label anything. PLT entries get `name@plt`. */
function readListingSymbols(data: Buffer, sections: Section[]): Sym[] {
  const symbols = (table: Section | undefined): Sym[] => {
    if (!table || table.entsize < 24 || !sections[table.link]) return [];
    const strtab = sections[table.link].offset;
    const out: Sym[] = [];
    for (let o = table.offset; o + 24 <= Math.min(table.offset + table.size, data.length); o += table.entsize) {
      const info = data[o + 4];
      out.push({
        name: cString(data, strtab + data.readUInt32LE(o)), value: Number(data.readBigUInt64LE(o + 8)),
        size: Number(data.readBigUInt64LE(o + 16)), type: info & 15, bind: info >> 4, shndx: data.readUInt16LE(o + 6),
      });
    }
    return out;
  };
  let out: Sym[];
  try {
    out = symbols(sections.find((s) => s.type === SHT_SYMTAB) ?? sections.find((s) => s.type === SHT_DYNSYM));
  } catch {
    return []; // a corrupt symbol table: list without symbols
  }
  out = out.filter((s) => s.name && s.shndx !== 0 && s.type !== STT_SECTION && s.type !== STT_FILE);
  // bfd's synthetic PLT symbols: entry i of .rela.plt is the i-th 16-byte PLT slot after a 32-byte header.
  const rela = sections.find((s) => s.name === '.rela.plt' && s.type === SHT_RELA);
  const plt = sections.find((s) => s.name === '.plt');
  if (rela && plt && sections[rela.link]) {
    const dynsyms = symbols(sections[rela.link]);
    for (let i = 0, o = rela.offset; o + 24 <= Math.min(rela.offset + rela.size, data.length); i++, o += 24) {
      const sym = dynsyms[Number(data.readBigUInt64LE(o + 8) >> 32n)];
      const addend = data.readBigInt64LE(o + 16);
      if (!sym) continue;
      out.push({ ...sym, name: `${sym.name}${addend ? `+0x${addend.toString(16)}` : ''}@plt`, value: plt.addr + 32 + 16 * i,
        size: 0, bind: sym.bind === STB_LOCAL ? STB_LOCAL : STB_GLOBAL, shndx: plt.index, plt: true });
    }
  }
  return out.sort(compareSymbols);
}

/** Index of the last symbol at or below `vma` (0 if there is none). */
function lastAtOrBelow(vma: number, syms: Sym[]): number {
  let lo = 0, hi = syms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (syms[mid].value <= vma) lo = mid + 1; else hi = mid;
  }
  return Math.max(lo - 1, 0);
}

/** objdump's `find_symbol_for_address`: the first symbol at the nearest address at or below
 * `vma`, preferring section `shndx` (insisting on it when `requireSection`). */
function findSymbol(vma: number, syms: Sym[], shndx: number, requireSection: boolean): Sym | undefined {
  if (!syms.length) return undefined;
  const ok = (s: Sym, inSection: boolean) => !isMappingSymbol(s.name) && (!inSection || s.shndx === shndx);
  let at = lastAtOrBelow(vma, syms);
  while (at > 0 && syms[at - 1].value === syms[at].value) at--;
  let end = at;
  for (; end < syms.length && syms[end].value === syms[at].value; end++) if (ok(syms[end], true)) return syms[end];
  if (ok(syms[at], requireSection)) return syms[at];
  let found: Sym | undefined;
  for (let i = end - 1; i >= 0; i--) {
    if (!ok(syms[i], requireSection)) continue;
    if (found && syms[i].value !== found.value) break;
    found = syms[i];
  }
  // (objdump never settles on a PLT symbol above the address, as its `<.plt>` header shows.)
  return found ?? syms.slice(at + 1).find((s) => ok(s, requireSection) && !s.plt);
}

const hex = (v: number, width = 0) => v.toString(16).padStart(width, '0');

/** `<name+0xoff>` as objdump prints it after an address (64-bit, hence bigint). */
function label(vma: bigint, sym: Sym | undefined, range: CodeRange): string {
  const [name, base] = sym ? [sym.name, BigInt(sym.value)] : [range.name, BigInt(range.vaddr)];
  return `<${name}${vma > base ? `+0x${(vma - base).toString(16)}` : vma < base ? `-0x${(base - vma).toString(16)}` : ''}>`;
}

/** objdump's printing of an address operand or comment: `1040c <main+0x10>`. */
function symbolicAddress(vma: bigint, l: Listing): string {
  vma = BigInt.asUintN(64, vma);
  if (!l.syms.length) return `0x${vma.toString(16)}`;
  return `${vma.toString(16)} ${label(vma, findSymbol(Number(vma), l.syms, l.range.index, false), l.range)}`;
}

/**
 * objdump's `# address` comments: it remembers the value each `lui`/`auipc`/`c.lui` put in
 * a register (for the rest of the listing, until an address operand uses it) and resolves
 * the next `add`/`addw`/load/store/`jalr` offset from that register, or from gp (given
 * `__global_pointer$`), tp or zero.
 */
class AddressTracker {
  private readonly hi = new Array<bigint | undefined>(32);
  private readonly gp: bigint | undefined;
  private pending: bigint | undefined;

  constructor(syms: Sym[]) {
    const gp = syms.filter((s) => s.name === '__global_pointer$').at(-1);
    this.gp = gp && BigInt(gp.value);
  }

  /** binutils' maybe_print_address. */
  private use(base: number, offset: number, wide = false): void {
    let addr: bigint;
    const hi = this.hi[base];
    if (hi !== undefined) {
      addr = (base !== 0 ? hi : 0n) + BigInt(offset);
      this.hi[base] = undefined;
    } else if (base === 3 && this.gp !== undefined) addr = this.gp + BigInt(offset);
    else if (base === 4 || base === 0) addr = BigInt(offset);
    else return;
    this.pending = wide ? BigInt.asIntN(32, addr) : addr;
  }

  /** The address to comment one instruction (already printed as `text`) with, if any. */
  commentFor(inst: number, len: number, d: Decoded, pc: number, text: string): bigint | undefined {
    const mnemonic = text.split('\t')[0];
    this.pending = undefined;
    if (len === 2) {
      const q = inst & 3, f3 = inst >>> 13;
      if (q === 1 && f3 === 3 && d.op === Op.lui) this.hi[d.rd] = BigInt(d.imm);
      else if (q === 1 && f3 === 0 && d.rd !== 0) this.use(d.rd, d.imm);
      else if (q === 1 && f3 === 1 && mnemonic === 'addw') this.use(d.rd, d.imm, true);
    } else if (d.op === Op.lui || d.op === Op.auipc) {
      this.hi[d.rd] = BigInt(d.imm) + (d.op === Op.auipc ? BigInt(pc) : 0n);
    } else if ((d.op >= Op.lb && d.op <= Op.sd) || d.op === Op.flw || d.op === Op.fsw || d.op === Op.fld || d.op === Op.fsd) {
      this.use(d.rs1, d.imm);
    } else if (d.op === Op.jalr && mnemonic !== 'ret') {
      // `imm(rs1)` forms pass the address to maybe_print_address three times, `rs1` forms once.
      for (let i = text.includes('(') ? 3 : 1; i > 0; i--) this.use(d.rs1, d.imm);
    } else if (d.op === Op.addi && mnemonic === 'add' && d.rs1 !== 0) {
      this.use(d.rs1, d.imm);
    } else if (d.op === Op.addiw && mnemonic === 'addw' && d.rs1 !== 0) {
      this.use(d.rs1, d.imm, true);
    }
    return this.pending;
  }
}

/** Instruction length from its first halfword, as binutils' riscv_insn_length. */
function insnLength(h: number): number {
  if ((h & 3) !== 3) return 2;
  if ((h & 0x1f) !== 0x1f) return 4;
  if ((h & 0x3f) === 0x1f) return 6;
  if ((h & 0x7f) === 0x3f) return 8;
  if ((h & 0x7000) !== 0x7000) return 10 + ((h >> 11) & 0xe);
  return 2;
}

const BYTES_PER_LINE = 8;

/** The raw-bytes column: halfword or word chunks, padded to a fixed width. */
function rawColumn(bytes: Buffer, chunk: number, perLine = BYTES_PER_LINE): string {
  let s = '';
  for (let i = 0; i < perLine; i += chunk) {
    s += i + chunk <= bytes.length ? hex(bytes.readUIntLE(i, chunk), chunk * 2) + ' ' : ' '.repeat(chunk * 2 + 1);
  }
  return s;
}

interface Listing { range: CodeRange; syms: Sym[]; maps: Sym[]; spec: PrivSpec; addrWidth: number; tracker: AddressTracker; out: (line: string) => void }

/** Bytes of data at `pc` when a `$d` mapping symbol governs it (up to 4, to the next mapping
 * symbol or the section end, 3 rounded to 2, as binutils' riscv_data_length), else 0. */
function dataLength(l: Listing, pc: number): number {
  const i = lastAtOrBelow(pc, l.maps);
  if (!l.maps.length || l.maps[i].value > pc || l.maps[i].name !== '$d') return 0;
  const next = l.maps[i + 1]?.value ?? l.range.vaddr + l.range.bytes.length;
  const len = Math.min(4, next - pc);
  return len === 3 ? 2 : len;
}

const DATA_DIRECTIVE: Record<number, string> = { 1: '.byte', 2: '.short', 4: '.word' };

/** Lists [start, stop) of a range, as objdump's disassemble_bytes. */
function listBlock(l: Listing, start: number, stop: number): void {
  const { bytes, vaddr } = l.range;
  const addrText = (a: number) => hex(a).padStart(l.addrWidth, ' ');
  let off = start - vaddr;
  const end = stop - vaddr;
  while (off < end) {
    // Runs of zero bytes, at least 8 long or fewer than 3 at the end, print as `...`.
    let z = off;
    while (z < end && bytes[z] === 0) z++;
    if (z - off >= 8 || (z === end && z > off && z - off < 3)) {
      off = z === end ? z : off + ((z - off) & ~3);
      l.out('\t...');
      continue;
    }
    const pc = vaddr + off;
    const dataLen = dataLength(l, pc);
    if (dataLen) {
      const value = bytes.readUIntLE(off, dataLen);
      l.out(`${addrText(pc)}:\t${rawColumn(bytes.subarray(off, off + dataLen), dataLen, dataLen === 1 ? 6 : 8)}\t${DATA_DIRECTIVE[dataLen]}\t0x${hex(value, dataLen * 2)}`);
      off += dataLen;
      continue;
    }
    const h = off + 2 <= bytes.length ? bytes.readUInt16LE(off) : bytes[off];
    const len = Math.min(insnLength(h), bytes.length - off);
    const raw = bytes.subarray(off, off + len);
    let text: string;
    if (len === 2 || len === 4) {
      const inst = len === 4 ? raw.readUInt32LE(0) : h;
      text = disassemble(inst, pc, len, l.spec);
      const d = decode(len === 4 ? inst : expandCompressed(inst));
      if (d.op === Op.jal || (d.op >= Op.beq && d.op <= Op.bgeu)) {
        text = text.replace(/[0-9a-f]+$/, '') + symbolicAddress(BigInt(pc + d.imm), l);
      }
      const addr = l.tracker.commentFor(inst, len, d, pc, text);
      if (addr !== undefined) text += ' # ' + symbolicAddress(addr, l);
    } else if (len === 8) {
      text = `.8byte\t0x${raw.readBigUInt64LE(0).toString(16)}`;
    } else {
      text = `.byte\t${[...raw].map((b) => '0x' + hex(b, 2)).join(', ')}`;
    }
    const chunk = len % 4 === 0 ? 4 : 2;
    l.out(`${addrText(pc)}:\t${rawColumn(raw.subarray(0, BYTES_PER_LINE), chunk)}\t${text}`);
    for (let more = BYTES_PER_LINE; more < len; more += BYTES_PER_LINE) {
      l.out(`${addrText(pc + more)}:\t${rawColumn(raw.subarray(more, more + BYTES_PER_LINE), chunk).trimEnd()} `);
    }
    off += len;
  }
}

/** Width of the address column: the section end address without its leading zero nibbles,
 * rounded as objdump does. */
function addressWidth(range: CodeRange): number {
  const zeros = /^0*/.exec(hex(range.vaddr + range.bytes.length, 16))![0].length;
  return 16 - (zeros > 0 ? (zeros - 1) & ~3 : 0);
}

/** Prints the listing of `file` (or only of its function `func`); returns the exit status. */
export function disasmCommand(file: string, func: string | undefined, out: (line: string) => void): number {
  let elf: ElfFile;
  try {
    elf = parseElf(fs.readFileSync(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = e instanceof ElfError ? e.message : code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    process.stderr.write(`rvwasm: ${file}: ${why}\n`);
    return 1;
  }
  const sections = readSections(elf.data);
  const syms = readListingSymbols(elf.data, sections);
  let start = -Infinity, stop = Infinity;
  if (func !== undefined) {
    // A function symbol, or else a label in code (assembly often leaves `_start` untyped).
    const sym = readSymbols(elf.data).find((s) => s.name === func && s.type === STT_FUNC) ??
      syms.find((s) => s.name === func && !s.plt && sections[s.shndx]?.flags & SHF_EXECINSTR);
    if (!sym) {
      process.stderr.write(`rvwasm: no function ${func} in ${file}\n`);
      return 1;
    }
    start = sym.value;
    stop = sym.size ? sym.value + sym.size : syms.find((s) => s.value > sym.value && !isMappingSymbol(s.name))?.value ?? Infinity;
  }
  const tracker = new AddressTracker(syms);
  const spec = privSpec(elf.data, sections);
  out('');
  out(`${file}:     file format elf64-littleriscv`);
  out('');
  for (const range of codeRanges(elf, sections)) {
    const from = Math.max(range.vaddr, start), to = Math.min(range.vaddr + range.bytes.length, stop);
    if (from >= to) continue;
    out('');
    out(`Disassembly of section ${range.name}:`);
    const maps = syms.filter((s) => s.shndx === range.index && isMappingSymbol(s.name));
    const listing: Listing = { range, syms, maps, spec, addrWidth: addressWidth(range), tracker, out };
    // One block per symbol: a header, then the code up to the next symbol of the section.
    const cuts = syms.filter((s) => s.shndx === range.index && !isMappingSymbol(s.name) && s.value > from && s.value < to).map((s) => s.value);
    const bounds = [...new Set([from, ...cuts, to])];
    for (let i = 0; i + 1 < bounds.length; i++) {
      out('');
      out(`${hex(bounds[i], 16)} ${label(BigInt(bounds[i]), findSymbol(bounds[i], syms, range.index, true), range)}:`);
      listBlock(listing, bounds[i], bounds[i + 1]);
    }
  }
  return 0;
}
