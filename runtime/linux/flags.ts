//! Guest flag values (asm-generic/fcntl.h, linux/fcntl.h as riscv64 uses them) and their
//! translation to the host's `fs.constants`.

import { constants as C } from 'node:fs';

export const O_ACCMODE = 0o3;
export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_DSYNC = 0o10000;
export const FASYNC = 0o20000;
export const O_DIRECT = 0o40000;
export const O_LARGEFILE = 0o100000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_NOATIME = 0o1000000;
export const O_CLOEXEC = 0o2000000;
export const O_SYNC = 0o4010000;
export const O_PATH = 0o10000000;
export const O_TMPFILE = 0o20000000;

/** Status flags F_SETFL may change. */
export const SETFL_MASK = O_APPEND | O_NONBLOCK | FASYNC | O_DIRECT | O_NOATIME;

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_EACCESS = 0x200;
export const AT_REMOVEDIR = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_NO_AUTOMOUNT = 0x800;
export const AT_EMPTY_PATH = 0x1000;
export const AT_STATX_SYNC_TYPE = 0x6000;

export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFIFO = 0o010000;
export const S_IFCHR = 0o020000;

const PAIRS: [number, number | undefined][] = [
  [O_CREAT, C.O_CREAT], [O_EXCL, C.O_EXCL], [O_NOCTTY, C.O_NOCTTY], [O_TRUNC, C.O_TRUNC],
  [O_APPEND, C.O_APPEND], [O_NONBLOCK, C.O_NONBLOCK], [O_DIRECTORY, C.O_DIRECTORY],
  [O_NOFOLLOW, C.O_NOFOLLOW], [O_NOATIME, C.O_NOATIME], [O_DIRECT, C.O_DIRECT],
];

/** Host open(2) flags for guest open flags (O_SYNC/O_DSYNC included, O_CLOEXEC dropped). */
export function hostOpenFlags(flags: number): number {
  const acc = flags & O_ACCMODE;
  let h = acc === O_WRONLY ? C.O_WRONLY : acc === O_RDWR ? C.O_RDWR : C.O_RDONLY;
  for (const [g, host] of PAIRS) if (flags & g && host !== undefined) h |= host;
  if ((flags & O_SYNC) === O_SYNC) h |= C.O_SYNC ?? 0;
  else if (flags & O_DSYNC) h |= C.O_DSYNC ?? 0;
  return h;
}
