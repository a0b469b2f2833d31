//! The few /proc and /sys entries a guest must see about itself rather than about the
//! host process running it: /proc/self/exe (the program's path as the guest sees it),
//! /proc/self/fd/N, /proc/self/cwd, /proc/self/maps (from our page table),
//! /proc/self/cmdline, /proc/cpuinfo and the cpu online/possible lists. These are looked
//! up by their lexically normalised absolute guest path, before any host access.

import { PAGE_SIZE } from '../../layout/layout.js';
import type { Machine } from '../machine.js';
import { Description, type StatInfo, syntheticStat } from './description.js';
import { EINVAL, fail } from './errno.js';
import { fdTable } from './fdtable.js';
import { O_RDONLY, S_IFREG } from './flags.js';
import { SEEK_CUR, SEEK_END, SEEK_SET } from './hostfile.js';
import { pathState } from './paths.js';

export type Virtual = { link: string } | { data: () => Uint8Array };

/** A read-only file whose contents were generated at open time. */
export class MemFile extends Description {
  private static nextIno = 0x10000n;
  private readonly ino = MemFile.nextIno++;

  constructor(readonly data: Uint8Array, guest: string) {
    super(O_RDONLY, undefined, guest);
  }

  override get seekable(): boolean { return true; }
  override get writable(): boolean { return false; }

  override read(max: number, at: number | null): Uint8Array {
    const p = at ?? this.pos;
    const out = this.data.slice(Math.min(p, this.data.length), Math.min(p + max, this.data.length));
    if (at === null) this.pos += out.length;
    return out;
  }

  override seek(off: number, whence: number): number {
    const base = whence === SEEK_SET ? 0 : whence === SEEK_CUR ? this.pos : whence === SEEK_END ? this.data.length : NaN;
    const np = base + off;
    if (!(np >= 0)) fail(EINVAL);
    this.pos = np;
    return np;
  }

  stat(): StatInfo {
    return syntheticStat(S_IFREG | 0o444, this.ino);
  }

  override mapRead(offset: number, len: number): Uint8Array {
    return this.data.slice(Math.min(offset, this.data.length), Math.min(offset + len, this.data.length));
  }
}

const text = (s: string) => () => new Uint8Array(Buffer.from(s, 'utf8'));

const CPUINFO = 'processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc_zicsr_zifencei\nmmu\t\t: sv39\nuarch\t\t: rvwasm\n\n';

/** The entry at a normalised absolute guest path, if it is one of ours. */
export function lookupVirtual(m: Machine, path: string): Virtual | undefined {
  if (path === '/proc/cpuinfo') return { data: text(CPUINFO) };
  if (path === '/sys/devices/system/cpu/online' || path === '/sys/devices/system/cpu/possible') {
    return { data: text('0\n') };
  }
  const match = /^\/proc\/(self|thread-self|\d+)\/(.*)$/.exec(path);
  if (match === null) return undefined;
  if (match[1] !== 'self' && match[1] !== 'thread-self' && Number(match[1]) !== process.pid) return undefined;
  const rest = match[2];
  if (rest === 'exe') return { link: programGuestPath(m) };
  if (rest === 'cwd') return { link: pathState(m).cwd };
  if (rest === 'cmdline') return { data: () => new Uint8Array(Buffer.from(m.options.argv.map((a) => a + '\0').join(''))) };
  if (rest === 'environ') return { data: () => new Uint8Array(Buffer.from(m.options.env.map((a) => a + '\0').join(''))) };
  if (rest === 'maps') return { data: () => new Uint8Array(Buffer.from(mapsText(m))) };
  const fd = /^fd\/(\d+)$/.exec(rest);
  if (fd !== null) {
    const t = fdTable(m);
    const n = Number(fd[1]);
    if (!t.has(n)) return undefined;
    return { link: t.desc(n).describe() };
  }
  return undefined;
}

/** The program's path as the guest sees it (a host path below --root loses the root prefix). */
export function programGuestPath(m: Machine): string {
  const p = m.options.programPath;
  const root = pathState(m).root;
  if (root === null) return p;
  for (const r of [root, m.options.root!.replace(/\/+$/, '')]) {
    if (p.startsWith(r + '/')) return p.slice(r.length);
  }
  return p;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** /proc/self/maps from the page table: runs of contiguous pages with equal protection. */
export function mapsText(m: Machine): string {
  const pages = [...m.as.mappedPageNumbers()].sort((a, b) => a - b);
  const heapLo = Math.floor(m.brkStart / PAGE_SIZE);
  const heapHi = Math.ceil(m.brkEnd / PAGE_SIZE);
  const sp = Math.floor(m.getXNumber(2) / PAGE_SIZE);
  const lines: string[] = [];
  let i = 0;
  while (i < pages.length) {
    const start = pages[i];
    const prot = m.as.protOf(start);
    let j = i + 1;
    while (j < pages.length && pages[j] === pages[j - 1] + 1 && m.as.protOf(pages[j]) === prot) j++;
    const end = pages[j - 1] + 1;
    const perms = (prot & 1 ? 'r' : '-') + (prot & 2 ? 'w' : '-') + (prot & 4 ? 'x' : '-') + 'p';
    let name = '';
    if (start >= heapLo && end <= heapHi && heapHi > heapLo) name = '[heap]';
    else if (sp >= start && sp < end) name = '[stack]';
    const head = `${hex(start * PAGE_SIZE)}-${hex(end * PAGE_SIZE)} ${perms} 00000000 00:00 0`;
    lines.push(name ? head.padEnd(73) + name : head);
    i = j;
  }
  return lines.map((l) => l + '\n').join('');
}
