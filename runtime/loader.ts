//! Loads an ELF64 RISC-V executable (static, static-PIE or dynamically linked, whose
//! PT_INTERP comes from the sysroot) into a Machine and builds the initial stack that
//! Linux gives a new process: argc, argv, envp, auxv, and the strings they point to.

import { randomFillSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PAGE_SIZE } from '../layout/layout.js';
import { ElfError, ET_DYN, parseElf, PF_R, PF_W, PF_X, PT_LOAD, PT_PHDR, type ElfFile } from './elf.js';
import { GuestError, type Machine } from './machine.js';
import { OutOfMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from './memory.js';

/** Where a process's pieces go: a position-independent main program (like Linux's
 * ELF_ET_DYN_BASE), the dynamic linker, the top of mmap's downward search, the stack. */
export interface ProcessLayout {
  pieBase: number;
  interpBase: number;
  mmapBase: number;
  stackTop: number;
}

/** The usual layout, in a 39-bit (Sv39-sized) address space. */
export const LAYOUT: ProcessLayout = {
  pieBase: 0x2a_aaaa_a000, interpBase: 0x3f_f700_0000, mmapBase: 0x3f_f000_0000, stackTop: 0x3f_ffff_f000,
};
/** --mmu flat: everything below FLAT_LIMIT (4 GiB less the runtime area). */
export const FLAT_LAYOUT: ProcessLayout = {
  pieBase: 0x5555_0000, interpBase: 0xe700_0000, mmapBase: 0xe000_0000, stackTop: 0xefff_f000,
};
export const STACK_SIZE = 8 << 20;

const AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
  AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
  AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31;

/** ISA letters I M A F D C as the kernel reports them in AT_HWCAP (bit = letter - 'A'). */
const HWCAP_RV64GC = [..."IMAFDC"].reduce((m, c) => m | (1 << (c.charCodeAt(0) - 65)), 0);

export interface LoadResult {
  entry: number;
  sp: number;
  /** Load bias of the main program (0 unless PIE). */
  bias: number;
  elf: ElfFile;
}

/** Reads an executable, mapping host errors to the messages and statuses a shell gives. */
export function readExecutable(hostPath: string, shownPath: string): ElfFile {
  let data: Buffer;
  try {
    data = fs.readFileSync(hostPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new GuestError(`${shownPath}: No such file or directory`, 127);
    if (code === 'EISDIR') throw new GuestError(`${shownPath}: Is a directory`, 126);
    if (code === 'EACCES') throw new GuestError(`${shownPath}: Permission denied`, 126);
    throw new GuestError(`${shownPath}: cannot read: ${(e as Error).message}`, 126);
  }
  try {
    return parseElf(data);
  } catch (e) {
    if (e instanceof ElfError) throw new GuestError(`${shownPath}: ${e.message}`, 126);
    if (e instanceof RangeError) throw new GuestError(`${shownPath}: truncated or corrupt ELF file`, 126);
    throw e;
  }
}

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/** Maps the PT_LOAD segments of `elf` at `bias`; returns the end of the highest one. */
function mapSegments(m: Machine, elf: ElfFile, bias: number): number {
  let top = 0;
  for (const p of elf.phdrs) {
    if (p.type !== PT_LOAD || p.memsz === 0) continue;
    const start = bias + p.vaddr;
    const first = Math.floor(start / PAGE_SIZE);
    const last = Math.ceil((start + p.memsz) / PAGE_SIZE);
    const prot = protOf(p.flags);
    for (let vpn = first; vpn < last; vpn++) {
      // A page shared with the previous segment keeps its bytes and gets both permissions.
      if (m.as.isMapped(vpn)) m.as.protectPages(vpn, 1, m.as.protOf(vpn) | prot);
      else m.as.mapPages(vpn, 1, prot);
    }
    m.as.write(start, elf.data.subarray(p.offset, p.offset + p.filesz), true);
    const bssEnd = Math.min(start + p.memsz, Math.ceil((start + p.filesz) / PAGE_SIZE) * PAGE_SIZE);
    if (bssEnd > start + p.filesz) m.as.write(start + p.filesz, new Uint8Array(bssEnd - start - p.filesz), true);
    top = Math.max(top, start + p.memsz);
  }
  return top;
}

function phdrAddress(elf: ElfFile, bias: number): number {
  const phdr = elf.phdrs.find((p) => p.type === PT_PHDR);
  if (phdr) return bias + phdr.vaddr;
  const seg = elf.phdrs.find((p) => p.type === PT_LOAD && p.offset <= elf.phoff && elf.phoff < p.offset + p.filesz);
  return seg ? bias + seg.vaddr + (elf.phoff - seg.offset) : 0;
}

/** The host path of the dynamic linker named by PT_INTERP, looked up in the sysroot. */
function interpreterPath(m: Machine, interp: string): string {
  const sysroot = m.options.sysroot;
  if (!sysroot) throw new GuestError(`${m.options.programPath}: dynamically linked (needs ${interp}); give --sysroot DIR`, 127);
  return path.join(sysroot, interp);
}

/**
 * Loads the program (and its dynamic linker), maps the stack, and sets pc, sp and the
 * heap. `hostPath` is the file to read, `guestPath` what the guest sees as its name.
 */
export function loadProgram(m: Machine, hostPath: string, guestPath: string): LoadResult {
  const elf = readExecutable(hostPath, guestPath);
  try {
    const layout = m.as.flat ? FLAT_LAYOUT : LAYOUT;
    const bias = elf.type === ET_DYN ? layout.pieBase : 0;
    const top = mapSegments(m, elf, bias);
    m.brkStart = m.brkEnd = Math.ceil(top / PAGE_SIZE) * PAGE_SIZE;
    m.mmapBase = layout.mmapBase;
    let entry = bias + elf.entry;
    let interpBase = 0;
    if (elf.interp) {
      const interpFile = interpreterPath(m, elf.interp);
      const ld = readExecutable(interpFile, elf.interp);
      interpBase = ld.type === ET_DYN ? layout.interpBase : 0;
      mapSegments(m, ld, interpBase);
      entry = interpBase + ld.entry;
    }
    m.as.mapPages((layout.stackTop - STACK_SIZE) / PAGE_SIZE, STACK_SIZE / PAGE_SIZE, PROT_READ | PROT_WRITE);
    const auxv: [number, number][] = [
      [AT_PHDR, phdrAddress(elf, bias)], [AT_PHENT, elf.phentsize], [AT_PHNUM, elf.phnum],
      [AT_PAGESZ, PAGE_SIZE], [AT_BASE, interpBase], [AT_FLAGS, 0], [AT_ENTRY, bias + elf.entry],
      [AT_UID, process.getuid?.() ?? 0], [AT_EUID, process.geteuid?.() ?? 0],
      [AT_GID, process.getgid?.() ?? 0], [AT_EGID, process.getegid?.() ?? 0],
      [AT_HWCAP, HWCAP_RV64GC], [AT_HWCAP2, 0], [AT_CLKTCK, 100], [AT_SECURE, 0],
    ];
    const sp = buildStack(m, layout.stackTop, m.options.argv, m.options.env, guestPath, auxv);
    m.setX(2, BigInt(sp));
    m.pc = entry;
    return { entry, sp, bias, elf };
  } catch (e) {
    if (e instanceof OutOfMemory) throw new GuestError(`${guestPath}: not enough memory to load the program`, 1);
    throw e;
  }
}

/** Guest addresses exceed 32 bits, so no bitwise masking. */
const alignDown16 = (a: number) => Math.floor(a / 16) * 16;

/** Writes strings and the argc/argv/envp/auxv vector below the stack top; returns sp. */
function buildStack(m: Machine, stackTop: number, argv: string[], env: string[], execfn: string, auxv: [number, number][]): number {
  let at = stackTop;
  const pushBytes = (bytes: Uint8Array): number => {
    at -= bytes.length;
    m.as.write(at, bytes, true);
    return at;
  };
  const pushString = (s: string) => pushBytes(Buffer.from(s + '\0', 'utf8'));
  const execfnAddr = pushString(execfn);
  const envAddrs = env.map(pushString);
  const argvAddrs = argv.map(pushString);
  const platform = pushString('riscv64');
  at = alignDown16(at);
  const random = pushBytes(randomFillSync(new Uint8Array(16)));
  const fullAux: [number, number][] = [...auxv, [AT_RANDOM, random], [AT_EXECFN, execfnAddr], [AT_PLATFORM, platform], [AT_NULL, 0]];
  const words: number[] = [argv.length, ...argvAddrs, 0, ...envAddrs, 0, ...fullAux.flat()];
  at = alignDown16(at - words.length * 8);
  const buf = Buffer.alloc(words.length * 8);
  words.forEach((w, i) => buf.writeBigUInt64LE(BigInt(w), i * 8));
  m.as.write(at, buf, true);
  return at;
}
