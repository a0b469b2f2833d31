//! Open file descriptions: what a guest fd points at (a host file or directory, a pipe
//! end, a synthetic /proc file...). Several fds share one description after dup, like
//! Linux; the description owns the file position and the status flags.

import type { BigIntStats } from 'node:fs';
import { EBADF, EINVAL, ENODEV, ENOTDIR, ESPIPE, fail } from './errno.js';
import { O_ACCMODE, O_RDONLY, O_WRONLY } from './flags.js';

/** Everything struct stat / statx report, as bigints. */
export interface StatInfo {
  dev: bigint;
  ino: bigint;
  mode: bigint;
  nlink: bigint;
  uid: bigint;
  gid: bigint;
  rdev: bigint;
  size: bigint;
  blksize: bigint;
  blocks: bigint;
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  birthtimeNs: bigint;
}

export function statInfoOf(s: BigIntStats): StatInfo {
  return {
    dev: s.dev, ino: s.ino, mode: s.mode, nlink: s.nlink, uid: s.uid, gid: s.gid, rdev: s.rdev,
    size: s.size, blksize: s.blksize, blocks: s.blocks, atimeNs: s.atimeNs, mtimeNs: s.mtimeNs,
    ctimeNs: s.ctimeNs, birthtimeNs: s.birthtimeNs,
  };
}

/** A stat for objects that have no host inode (pipes, synthetic files). */
export function syntheticStat(mode: number, ino: bigint, size = 0n): StatInfo {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    dev: 0x0cn, ino, mode: BigInt(mode), nlink: 1n, uid: BigInt(process.getuid?.() ?? 0),
    gid: BigInt(process.getgid?.() ?? 0), rdev: 0n, size, blksize: 4096n, blocks: 0n,
    atimeNs: now, mtimeNs: now, ctimeNs: now, birthtimeNs: now,
  };
}

/** One directory entry as getdents64 reports it. */
export interface DirEntry {
  ino: bigint;
  type: number;
  name: string;
}

export abstract class Description {
  /** Number of fds referring to this description. */
  refs = 0;
  /** File position (regular files and directories). */
  pos = 0;

  constructor(
    /** Access mode and status flags, guest O_* values. */
    public flags: number,
    /** Host path, if the description came from a path. */
    readonly host?: string,
    /** The path as the guest named it (canonical under --root). */
    readonly guest?: string,
  ) {}

  /** Seekable with our own position: reads loop until the count or end of file. */
  get seekable(): boolean { return false; }
  get isDirectory(): boolean { return false; }
  get isTty(): boolean { return false; }

  get readable(): boolean { return (this.flags & O_ACCMODE) !== O_WRONLY; }
  get writable(): boolean { return (this.flags & O_ACCMODE) !== O_RDONLY; }

  /** Reads up to `max` bytes at `at` (null: the current position, which advances). */
  read(_max: number, _at: number | null): Uint8Array { return fail(EINVAL); }
  /** Writes `data` at `at` (null: the current position / append); returns bytes written. */
  write(_data: Uint8Array, _at: number | null): number { return fail(EINVAL); }
  seek(_off: number, _whence: number): number { return fail(ESPIPE); }
  abstract stat(): StatInfo;
  /** Directory entries (for getdents64). */
  list(): DirEntry[] { return fail(ENOTDIR); }
  /** File contents for a private file mapping. */
  mapRead(_offset: number, _len: number): Uint8Array { return fail(ENODEV); }
  truncate(_len: number): void { fail(EINVAL); }
  sync(): void {}
  /** Called when the last fd referring to it is closed. */
  release(): void {}
  /** What readlink("/proc/self/fd/N") shows. */
  describe(): string { return this.guest ?? 'anon_inode:[unknown]'; }
}

/** O_PATH descriptions: usable as dirfds and for fstat, nothing else. */
export class PathOnly extends Description {
  constructor(flags: number, host: string, guest: string, private readonly statFn: () => StatInfo) {
    super(flags, host, guest);
  }
  override get readable(): boolean { return false; }
  override get writable(): boolean { return false; }
  override read(): Uint8Array { return fail(EBADF); }
  override write(): number { return fail(EBADF); }
  override seek(): number { return fail(EBADF); }
  override get isDirectory(): boolean { return (Number(this.statFn().mode) & 0o170000) === 0o040000; }
  stat(): StatInfo { return this.statFn(); }
}
