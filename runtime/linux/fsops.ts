//! Path-based syscalls: openat, newfstatat, statx, readlinkat, faccessat(2), unlinkat,
//! renameat(2), mkdirat, getcwd, chdir, fchdir, symlinkat, linkat, fchmod(at), fchown(at),
//! utimensat, truncate, statfs/fstatfs, umask. Paths go through paths.ts (--root
//! confinement) and procfs.ts (the guest's own /proc/self entries).

import {
  accessSync, chmodSync, chownSync, existsSync, fchmodSync, fchownSync, fstatSync, futimesSync, lchownSync,
  linkSync, lstatSync, lutimesSync, mkdirSync, openSync, readlinkSync, realpathSync, renameSync, rmdirSync,
  statSync, statfsSync, symlinkSync, truncateSync, unlinkSync, utimesSync, closeSync,
} from 'node:fs';
import type { Machine } from '../machine.js';
import { GuestFault, PROT_READ } from '../memory.js';
import { accessiblePrefix, argI, argL, argU, argU32, Struct } from './abi.js';
import { type Description, PathOnly, type StatInfo, statInfoOf, syntheticStat } from './description.js';
import {
  EACCES, EBADF, EBUSY, EEXIST, EINVAL, ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR, EOPNOTSUPP, EPERM, ERANGE, fail,
  isHostError,
} from './errno.js';
import { fdTable } from './fdtable.js';
import {
  AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_NO_AUTOMOUNT, AT_REMOVEDIR, AT_STATX_SYNC_TYPE, AT_SYMLINK_FOLLOW,
  AT_SYMLINK_NOFOLLOW, O_ACCMODE, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOCTTY, O_NOFOLLOW, O_PATH,
  O_RDONLY, O_TMPFILE, O_TRUNC, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, hostOpenFlags,
} from './flags.js';
import { HostFile } from './hostfile.js';
import { guestAbsolute, pathState, type Resolved, resolvePath } from './paths.js';
import { lookupVirtual, MemFile, type Virtual } from './procfs.js';
import { encodeStat, encodeStatx } from './stat.js';

const PATH_MAX = 4096;

/** Character devices the guest may use even under --root when the root has none. */
const HOST_DEVICES = new Set(['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom', '/dev/tty']);

function readPath(m: Machine, addr: number): string {
  let s: string;
  try {
    s = m.as.readCString(addr, PATH_MAX);
  } catch (e) {
    // No NUL within PATH_MAX readable bytes: too long; otherwise a bad pointer.
    if (e instanceof GuestFault && accessiblePrefix(m, addr, PATH_MAX, PROT_READ) === PATH_MAX) fail(ENAMETOOLONG);
    throw e;
  }
  return s;
}

/** What a path names: a host file, or one of our synthetic /proc entries. */
type Target =
  | { kind: 'host'; r: Resolved }
  | { kind: 'virtual'; v: Virtual; guest: string };

/** The directory relative paths start from: as a guest path (--root) or a host path. */
function baseDir(m: Machine, dirfd: number): { guest: string; host: string } {
  const st = pathState(m);
  if (dirfd === AT_FDCWD) return { guest: st.cwd, host: st.cwd };
  const d = fdTable(m).desc(dirfd);
  if (!d.isDirectory || d.guest === undefined || d.host === undefined) fail(ENOTDIR);
  return { guest: d.guest, host: st.root === null ? d.host : d.guest };
}

function lookup(m: Machine, dirfd: number, path: string, follow: boolean, depth = 0): Target {
  if (path.length === 0) fail(ENOENT);
  const base = path.startsWith('/') ? { guest: '/', host: '/' } : baseDir(m, dirfd);
  const abs = guestAbsolute(base.guest, path);
  const v = lookupVirtual(m, abs);
  if (v !== undefined) {
    if ('link' in v && follow) {
      if (depth > 8) fail(ELOOP);
      return lookup(m, AT_FDCWD, v.link, true, depth + 1);
    }
    return { kind: 'virtual', v, guest: abs };
  }
  const st = pathState(m);
  if (st.root !== null && HOST_DEVICES.has(abs) && !existsSync(st.root + abs)) {
    return { kind: 'host', r: { host: abs, guest: abs } };
  }
  return { kind: 'host', r: resolvePath(m, base.host, path, follow) };
}

function statTarget(t: Target, follow: boolean): StatInfo {
  if (t.kind === 'virtual') {
    const ino = BigInt(Buffer.from(t.guest).reduce((h, c) => (h * 31 + c) >>> 0, 7)) + 0x100000n;
    if ('link' in t.v) return syntheticStat(S_IFLNK | 0o777, ino, BigInt(Buffer.byteLength(t.v.link)));
    return syntheticStat(S_IFREG | 0o444, ino);
  }
  const s = follow ? statSync(t.r.host, { bigint: true }) : lstatSync(t.r.host, { bigint: true });
  return statInfoOf(s);
}

/** The host path of a target that must be a real file (virtual entries are read-only). */
function hostOf(t: Target, errno = EACCES): Resolved {
  if (t.kind === 'virtual') fail(errno);
  return t.r;
}

/** stat for the *at calls: the path, or the dirfd itself with AT_EMPTY_PATH and "". */
function statAt(m: Machine, dirfd: number, pathAddr: number, flags: number): StatInfo {
  const path = readPath(m, pathAddr);
  const follow = (flags & AT_SYMLINK_NOFOLLOW) === 0;
  if (path.length === 0) {
    if (!(flags & AT_EMPTY_PATH)) fail(ENOENT);
    if (dirfd === AT_FDCWD) return statInfoOf(statSync(cwdHost(m), { bigint: true }));
    return fdTable(m).desc(dirfd).stat();
  }
  return statTarget(lookup(m, dirfd, path, follow), follow);
}

function cwdHost(m: Machine): string {
  const st = pathState(m);
  return st.root === null ? st.cwd : st.root + st.cwd;
}

// ---- open ----

export function sysOpenat(m: Machine): number {
  const dirfd = argI(m, 0);
  const path = readPath(m, argU(m, 1));
  const flags = argI(m, 2);
  const mode = argU32(m, 3) & 0o7777;
  if ((flags & O_TMPFILE) === O_TMPFILE) fail(EOPNOTSUPP);
  const excl = (flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL);
  const follow = (flags & O_NOFOLLOW) === 0 && !excl;
  const t = lookup(m, dirfd, path, follow);
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const table = fdTable(m);

  if (t.kind === 'virtual') {
    if ('link' in t.v) fail(ELOOP);
    if (flags & O_DIRECTORY) fail(ENOTDIR);
    if ((flags & O_ACCMODE) !== O_RDONLY && !(flags & O_PATH)) fail(EACCES);
    return table.alloc(new MemFile(t.v.data(), t.guest), cloexec);
  }
  const { host, guest } = t.r;

  if (flags & O_PATH) {
    const s = follow ? statSync(host, { bigint: true }) : lstatSync(host, { bigint: true });
    if (flags & O_DIRECTORY && (Number(s.mode) & S_IFMT) !== S_IFDIR) fail(ENOTDIR);
    const statFn = () => statInfoOf(follow ? statSync(host, { bigint: true }) : lstatSync(host, { bigint: true }));
    return table.alloc(new PathOnly(O_PATH | (flags & O_DIRECTORY), host, guest, statFn), cloexec);
  }

  const hfd = openSync(host, hostOpenFlags(flags), mode & ~pathState(m).umask);
  let desc: Description;
  try {
    const st = fstatSync(hfd);
    const kind = st.isDirectory() ? 'dir' : st.isFile() || st.isBlockDevice() ? 'file' : 'stream';
    const kept = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
    desc = new HostFile(hfd, true, kept, kind, host, guest, (flags & O_APPEND) !== 0);
  } catch (e) {
    closeSync(hfd);
    throw e;
  }
  try {
    return table.alloc(desc, cloexec);
  } catch (e) {
    desc.release();
    throw e;
  }
}

// ---- stat family ----

export function sysNewfstatat(m: Machine): number {
  const flags = argI(m, 3);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) fail(EINVAL);
  encodeStat(statAt(m, argI(m, 0), argU(m, 1), flags)).writeTo(m, argU(m, 2));
  return 0;
}

export function sysStatx(m: Machine): number {
  const flags = argI(m, 2);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) fail(EINVAL);
  if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE) fail(EINVAL);
  if (argU32(m, 3) & 0x80000000) fail(EINVAL); // STATX__RESERVED
  encodeStatx(statAt(m, argI(m, 0), argU(m, 1), flags)).writeTo(m, argU(m, 4));
  return 0;
}

export function sysReadlinkat(m: Machine): number {
  const path = readPath(m, argU(m, 1));
  const buf = argU(m, 2);
  const size = argI(m, 3);
  if (size <= 0) fail(EINVAL);
  const t = lookup(m, argI(m, 0), path, false);
  let target: Buffer;
  if (t.kind === 'virtual') {
    if (!('link' in t.v)) fail(EINVAL);
    target = Buffer.from(t.v.link);
  } else {
    target = readlinkSync(t.r.host, 'buffer');
  }
  const out = target.subarray(0, size);
  m.as.write(buf, out);
  return out.length;
}

function access(m: Machine, dirfd: number, pathAddr: number, mode: number, flags: number): number {
  if (mode & ~7) fail(EINVAL);
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) fail(EINVAL);
  const path = readPath(m, pathAddr);
  const follow = (flags & AT_SYMLINK_NOFOLLOW) === 0;
  if (path.length === 0) {
    if (!(flags & AT_EMPTY_PATH)) fail(ENOENT);
    if (dirfd === AT_FDCWD) accessSync(cwdHost(m), mode);
    else {
      const d = fdTable(m).desc(dirfd);
      if (d.host === undefined) fail(EACCES);
      accessSync(d.host, mode);
    }
    return 0;
  }
  const t = lookup(m, dirfd, path, follow);
  if (t.kind === 'virtual') {
    if (mode & 3) fail(EACCES); // read-only, not executable
    return 0;
  }
  if (!follow) {
    lstatSync(t.r.host);
    if (mode === 0) return 0;
  }
  accessSync(t.r.host, mode);
  return 0;
}

export function sysFaccessat(m: Machine): number {
  return access(m, argI(m, 0), argU(m, 1), argI(m, 2), 0);
}

export function sysFaccessat2(m: Machine): number {
  return access(m, argI(m, 0), argU(m, 1), argI(m, 2), argI(m, 3));
}

// ---- directory changes ----

export function sysUnlinkat(m: Machine): number {
  const dirfd = argI(m, 0);
  const path = readPath(m, argU(m, 1));
  const flags = argI(m, 2);
  if (flags & ~AT_REMOVEDIR) fail(EINVAL);
  const r = hostOf(lookup(m, dirfd, path, false), EPERM);
  if (flags & AT_REMOVEDIR) {
    if (r.guest === '/') fail(EBUSY);
    rmdirSync(r.host);
  } else {
    unlinkSync(r.host);
  }
  return 0;
}

const RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;

function exists(host: string): boolean {
  try {
    lstatSync(host);
    return true;
  } catch (e) {
    if (isHostError(e) && e.code === 'ENOENT') return false;
    throw e;
  }
}

function rename(m: Machine, oldfd: number, oldAddr: number, newfd: number, newAddr: number, flags: number): number {
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) fail(EINVAL);
  if (flags & RENAME_WHITEOUT) fail(EINVAL);
  if (flags & RENAME_NOREPLACE && flags & RENAME_EXCHANGE) fail(EINVAL);
  const from = hostOf(lookup(m, oldfd, readPath(m, oldAddr), false), EPERM);
  const to = hostOf(lookup(m, newfd, readPath(m, newAddr), false), EPERM);
  if (from.guest === '/' || to.guest === '/') fail(EBUSY);
  if (flags & RENAME_EXCHANGE) {
    lstatSync(from.host);
    lstatSync(to.host);
    const tmp = `${from.host}.rvwasm-exchange-${process.pid}`;
    renameSync(from.host, tmp);
    renameSync(to.host, from.host);
    renameSync(tmp, to.host);
    return 0;
  }
  if (flags & RENAME_NOREPLACE && exists(to.host)) fail(EEXIST);
  renameSync(from.host, to.host);
  return 0;
}

export function sysRenameat(m: Machine): number {
  return rename(m, argI(m, 0), argU(m, 1), argI(m, 2), argU(m, 3), 0);
}

export function sysRenameat2(m: Machine): number {
  return rename(m, argI(m, 0), argU(m, 1), argI(m, 2), argU(m, 3), argI(m, 4));
}

export function sysMkdirat(m: Machine): number {
  const t = lookup(m, argI(m, 0), readPath(m, argU(m, 1)), false);
  if (t.kind === 'virtual') fail(EEXIST);
  const mode = argU32(m, 2) & 0o7777 & ~pathState(m).umask;
  if (t.r.guest === '/') fail(EEXIST);
  mkdirSync(t.r.host, { mode });
  return 0;
}

export function sysSymlinkat(m: Machine): number {
  const target = readPath(m, argU(m, 0));
  if (target.length === 0) fail(ENOENT);
  const r = hostOf(lookup(m, argI(m, 1), readPath(m, argU(m, 2)), false), EEXIST);
  symlinkSync(target, r.host);
  return 0;
}

export function sysLinkat(m: Machine): number {
  const flags = argI(m, 4);
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) fail(EINVAL);
  const from = hostOf(lookup(m, argI(m, 0), readPath(m, argU(m, 1)), (flags & AT_SYMLINK_FOLLOW) !== 0), EPERM);
  const to = hostOf(lookup(m, argI(m, 2), readPath(m, argU(m, 3)), false), EEXIST);
  linkSync(from.host, to.host);
  return 0;
}

// ---- cwd ----

export function sysGetcwd(m: Machine): number {
  const buf = argU(m, 0);
  const size = argU(m, 1);
  const bytes = Buffer.from(pathState(m).cwd + '\0', 'utf8');
  if (size < bytes.length) fail(ERANGE);
  m.as.write(buf, bytes);
  return bytes.length;
}

function enter(m: Machine, host: string, guest: string): number {
  const s = statSync(host);
  if (!s.isDirectory()) fail(ENOTDIR);
  accessSync(host, 1);
  const st = pathState(m);
  st.cwd = st.root === null ? realpathSync(host) : guest;
  return 0;
}

export function sysChdir(m: Machine): number {
  const r = hostOf(lookup(m, AT_FDCWD, readPath(m, argU(m, 0)), true), ENOTDIR);
  return enter(m, r.host, r.guest);
}

export function sysFchdir(m: Machine): number {
  const d = fdTable(m).desc(argI(m, 0));
  if (d.host === undefined || d.guest === undefined) fail(ENOTDIR);
  if (!d.isDirectory) fail(ENOTDIR);
  return enter(m, d.host, d.guest);
}

// ---- attributes ----

function hostFdOf(m: Machine, fd: number): number {
  const d = fdTable(m).desc(fd);
  if (d instanceof HostFile) return d.fd;
  if (d instanceof PathOnly) fail(EBADF);
  return fail(EPERM);
}

export function sysFchmod(m: Machine): number {
  fchmodSync(hostFdOf(m, argI(m, 0)), argU32(m, 1) & 0o7777);
  return 0;
}

export function sysFchmodat(m: Machine): number {
  const r = hostOf(lookup(m, argI(m, 0), readPath(m, argU(m, 1)), true), EPERM);
  chmodSync(r.host, argU32(m, 2) & 0o7777);
  return 0;
}

export function sysFchown(m: Machine): number {
  fchownSync(hostFdOf(m, argI(m, 0)), argI(m, 1), argI(m, 2));
  return 0;
}

export function sysFchownat(m: Machine): number {
  const flags = argI(m, 4);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) fail(EINVAL);
  const path = readPath(m, argU(m, 1));
  if (path.length === 0 && flags & AT_EMPTY_PATH) {
    fchownSync(hostFdOf(m, argI(m, 0)), argI(m, 2), argI(m, 3));
    return 0;
  }
  const follow = (flags & AT_SYMLINK_NOFOLLOW) === 0;
  const r = hostOf(lookup(m, argI(m, 0), path, follow), EPERM);
  (follow ? chownSync : lchownSync)(r.host, argI(m, 2), argI(m, 3));
  return 0;
}

const UTIME_NOW = (1 << 30) - 1;
const UTIME_OMIT = (1 << 30) - 2;

export function sysUtimensat(m: Machine): number {
  const dirfd = argI(m, 0);
  const pathAddr = argU(m, 1);
  const timesAddr = argU(m, 2);
  const flags = argI(m, 3);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) fail(EINVAL);
  const now = Date.now() / 1000;
  let times: [number | null, number | null] = [now, now];
  if (timesAddr !== 0) {
    const s = Struct.read(m, timesAddr, 32);
    times = [0, 1].map((i) => {
      const sec = Number(s.getI64(16 * i));
      const nsec = Number(s.getI64(16 * i + 8));
      if (nsec === UTIME_NOW) return now;
      if (nsec === UTIME_OMIT) return null;
      if (nsec < 0 || nsec >= 1e9) fail(EINVAL);
      return sec + nsec / 1e9;
    }) as [number | null, number | null];
  }
  const follow = (flags & AT_SYMLINK_NOFOLLOW) === 0;
  const fill = (cur: { atimeMs: number; mtimeMs: number }): [number, number] =>
    [times[0] ?? cur.atimeMs / 1000, times[1] ?? cur.mtimeMs / 1000];
  const path = pathAddr === 0 ? '' : readPath(m, pathAddr);
  if (path.length === 0) {
    if (pathAddr !== 0 && !(flags & AT_EMPTY_PATH)) fail(ENOENT);
    const hfd = hostFdOf(m, dirfd);
    if (times[0] === null && times[1] === null) return 0;
    futimesSync(hfd, ...fill(fstatSync(hfd)));
    return 0;
  }
  const r = hostOf(lookup(m, dirfd, path, follow), EPERM);
  if (times[0] === null && times[1] === null) {
    (follow ? statSync : lstatSync)(r.host);
    return 0;
  }
  const cur = follow ? statSync(r.host) : lstatSync(r.host);
  (follow ? utimesSync : lutimesSync)(r.host, ...fill(cur));
  return 0;
}

export function sysTruncate(m: Machine): number {
  const r = hostOf(lookup(m, AT_FDCWD, readPath(m, argU(m, 0)), true), EACCES);
  const len = argL(m, 1);
  if (len < 0) fail(EINVAL);
  truncateSync(r.host, len);
  return 0;
}

export function sysUmask(m: Machine): number {
  const st = pathState(m);
  const old = st.umask;
  st.umask = argU32(m, 0) & 0o777;
  return old;
}

// ---- statfs ----

function encodeStatfs(host: string): Struct {
  const s = statfsSync(host, { bigint: true });
  return new Struct(120).u64(0, s.type).u64(8, s.bsize).u64(16, s.blocks).u64(24, s.bfree)
    .u64(32, s.bavail).u64(40, s.files).u64(48, s.ffree).u64(64, 255).u64(72, s.bsize);
}

export function sysStatfs(m: Machine): number {
  const t = lookup(m, AT_FDCWD, readPath(m, argU(m, 0)), true);
  const host = t.kind === 'virtual' ? '/' : t.r.host;
  encodeStatfs(host).writeTo(m, argU(m, 1));
  return 0;
}

export function sysFstatfs(m: Machine): number {
  const d = fdTable(m).desc(argI(m, 0));
  encodeStatfs(d.host ?? cwdHost(m)).writeTo(m, argU(m, 1));
  return 0;
}
