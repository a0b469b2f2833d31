// Shared helpers for the Linux syscall tests: a machine with a scratch area, a way to
// call one syscall, and guest-memory accessors.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine, type MachineOptions } from '../../runtime/machine.js';
import { PROT_READ, PROT_WRITE } from '../../runtime/memory.js';
import { syscall } from '../../runtime/linux/syscalls.js';

/** Scratch memory every test machine has mapped read/write. */
export const SCRATCH = 0x10_0000;
export const SCRATCH_PAGES = 64;
export const STACK_TOP = 0x20_0000;

export function makeMachine(opts: Partial<MachineOptions> = {}): Machine {
  const m = new Machine({ env: [], argv: ['x'], programPath: '/x', ...opts });
  m.as.mapPages(SCRATCH / 4096, SCRATCH_PAGES, PROT_READ | PROT_WRITE);
  m.as.mapPages(STACK_TOP / 4096 - 16, 16, PROT_READ | PROT_WRITE);
  m.setX(2, BigInt(STACK_TOP));
  m.pc = 0x1000;
  return m;
}

/** Runs syscall `nr` with the given arguments; returns a0 as a signed number. */
export function sys(m: Machine, nr: number, ...args: (number | bigint)[]): number {
  m.setX(17, BigInt(nr));
  for (let i = 0; i < 6; i++) m.setX(10 + i, BigInt(args[i] ?? 0));
  syscall(m);
  return Number(BigInt.asIntN(64, m.getX(10)));
}

/** Writes a NUL-terminated string into guest memory and returns its address. */
export function cstr(m: Machine, s: string, addr = SCRATCH + 0x8000): number {
  m.as.write(addr, new Uint8Array(Buffer.from(s + '\0')));
  return addr;
}

export function bytes(m: Machine, addr: number, len: number): Buffer {
  return Buffer.from(m.as.read(addr, len));
}

export function putBytes(m: Machine, addr: number, data: string | Uint8Array): void {
  m.as.write(addr, typeof data === 'string' ? new Uint8Array(Buffer.from(data)) : data);
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rvwasm-linux-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const NR = {
  getcwd: 17, dup: 23, dup3: 24, fcntl: 25, ioctl: 29, mkdirat: 34, unlinkat: 35, symlinkat: 36, renameat: 38,
  ftruncate: 46, faccessat: 48, chdir: 49, fchdir: 50, openat: 56, close: 57, pipe2: 59, getdents64: 61, lseek: 62,
  read: 63, write: 64, readv: 65, writev: 66, pread64: 67, pwrite64: 68, readlinkat: 78, newfstatat: 79,
  fstat: 80, exit: 93, exit_group: 94, set_tid_address: 96, futex: 98, set_robust_list: 99, nanosleep: 101,
  clock_gettime: 113, clock_getres: 114, sched_getaffinity: 123, kill: 129, tkill: 130, tgkill: 131,
  sigaltstack: 132, rt_sigaction: 134, rt_sigprocmask: 135, rt_sigreturn: 139, uname: 160, getrlimit: 163,
  umask: 166, gettimeofday: 169, getpid: 172, gettid: 178, sysinfo: 179, brk: 214, munmap: 215, mremap: 216,
  mmap: 222, mprotect: 226, madvise: 233, prlimit64: 261, renameat2: 276, getrandom: 278, statx: 291, rseq: 293,
  faccessat2: 439,
} as const;

export const AT_FDCWD = -100;
