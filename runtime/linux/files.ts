//! Syscalls on file descriptors: read/write and their vector and positioned forms, lseek,
//! close, dup/dup3, fcntl, pipe2, fstat, getdents64, ftruncate, fsync, sendfile,
//! close_range. Path-based calls are in fsops.ts.

import type { Machine } from '../machine.js';
import { PROT_READ, PROT_WRITE } from '../memory.js';
import { accessiblePrefix, argI, argL, argU, checkAccess, readU64, Struct, warnOnce, writeU64 } from './abi.js';
import type { Description } from './description.js';
import { EAGAIN, EBADF, EFAULT, EINVAL, EISDIR, ENOTDIR, EPIPE, ESPIPE, Errno, fail, hostErrno, isHostError } from './errno.js';
import { fdTable } from './fdtable.js';
import { O_CLOEXEC, O_DIRECT, O_LARGEFILE, O_NONBLOCK, SETFL_MASK } from './flags.js';
import { HostFile } from './hostfile.js';
import { pathState } from './paths.js';
import { makePipe, PipeEnd } from './pipes.js';
import { SIGPIPE, SI_USER, sendSignal } from './signals.js';
import { encodeStat } from './stat.js';

/** Linux's MAX_RW_COUNT: one call transfers at most this much. */
const MAX_RW = 0x7ffff000;
/** Host reads of regular files go in chunks of this size. */
const CHUNK = 1 << 20;
const IOV_MAX = 1024;

function readableDesc(m: Machine, fd: number): Description {
  const d = fdTable(m).desc(fd);
  if (!d.readable) fail(EBADF);
  if (d.isDirectory) fail(EISDIR);
  return d;
}

function writableDesc(m: Machine, fd: number): Description {
  const d = fdTable(m).desc(fd);
  if (!d.writable) fail(EBADF);
  return d;
}

/** Reads from `d` into guest memory at `addr`; `at` null uses (and advances) the position. */
function readInto(m: Machine, d: Description, addr: number, count: number, at: number | null): number {
  count = Math.min(count, MAX_RW);
  if (count === 0) return 0;
  if (!d.seekable) {
    const want = accessiblePrefix(m, addr, Math.min(count, CHUNK), PROT_WRITE);
    if (want === 0) fail(EFAULT);
    const data = d.read(want, null);
    m.as.write(addr, data);
    return data.length;
  }
  let done = 0;
  while (done < count) {
    const want = accessiblePrefix(m, addr + done, Math.min(CHUNK, count - done), PROT_WRITE);
    if (want === 0) {
      if (done === 0) fail(EFAULT);
      break;
    }
    const data = d.read(want, at === null ? null : at + done);
    if (data.length === 0) break;
    m.as.write(addr + done, data);
    done += data.length;
    if (data.length < want) break;
  }
  return done;
}

/** Writes to `d`, turning EPIPE into SIGPIPE + -EPIPE like the kernel. */
function writeDesc(m: Machine, d: Description, data: Uint8Array, at: number | null): number {
  try {
    return d.write(data, at);
  } catch (e) {
    const errno = e instanceof Errno ? e.errno : isHostError(e) ? hostErrno(e) : 0;
    if (errno === EPIPE) {
      sendSignal(m, { signo: SIGPIPE, code: SI_USER });
      fail(EPIPE);
    }
    throw e;
  }
}

function noteBlockedPipe(m: Machine, d: Description, e: unknown): never {
  if (e instanceof Errno && e.errno === EAGAIN && d instanceof PipeEnd && d.pipe.wouldBlock) {
    d.pipe.wouldBlock = false;
    warnOnce(m, 'pipe-block', 'read from an empty pipe would block forever (single-threaded guest); returning EAGAIN');
  }
  throw e;
}

export function sysRead(m: Machine): number {
  const d = readableDesc(m, argI(m, 0));
  try {
    return readInto(m, d, argU(m, 1), argU(m, 2), null);
  } catch (e) {
    return noteBlockedPipe(m, d, e);
  }
}

/** Writes guest memory [addr, addr+count) to `d` in chunks; a bad buffer shortens the write. */
function writeFrom(m: Machine, d: Description, addr: number, count: number, at: number | null): number {
  count = Math.min(count, MAX_RW);
  if (count === 0) return 0;
  const avail = accessiblePrefix(m, addr, count, PROT_READ);
  if (avail === 0) fail(EFAULT);
  let done = 0;
  while (done < avail) {
    const n = Math.min(avail - done, 16 * CHUNK);
    let w: number;
    try {
      w = writeDesc(m, d, m.as.read(addr + done, n), at === null ? null : at + done);
    } catch (e) {
      if (done > 0) break;
      throw e;
    }
    done += w;
    if (w < n) break;
  }
  return done;
}

export function sysWrite(m: Machine): number {
  const d = writableDesc(m, argI(m, 0));
  return writeFrom(m, d, argU(m, 1), argU(m, 2), null);
}

function checkOffset(d: Description, off: number): void {
  if (off < 0) fail(EINVAL);
  if (!d.seekable) fail(ESPIPE);
}

export function sysPread64(m: Machine): number {
  const d = readableDesc(m, argI(m, 0));
  const off = argL(m, 3);
  checkOffset(d, off);
  return readInto(m, d, argU(m, 1), argU(m, 2), off);
}

export function sysPwrite64(m: Machine): number {
  const d = writableDesc(m, argI(m, 0));
  const off = argL(m, 3);
  checkOffset(d, off);
  return writeFrom(m, d, argU(m, 1), argU(m, 2), off);
}

interface Iov {
  base: number;
  len: number;
}

function readIovecs(m: Machine, addr: number, count: number): Iov[] {
  if (count < 0 || count > IOV_MAX) fail(EINVAL);
  const s = count > 0 ? Struct.read(m, addr, 16 * count) : new Struct(0);
  const iovs: Iov[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const base = Number(s.getU64(16 * i));
    const len64 = s.getI64(16 * i + 8);
    if (len64 < 0n) fail(EINVAL);
    const len = Number(len64);
    total += len;
    if (total > 2 ** 63) fail(EINVAL);
    iovs.push({ base, len });
  }
  return iovs;
}

function readv(m: Machine, d: Description, iovs: Iov[], at: number | null): number {
  if (d.seekable) {
    let done = 0;
    for (const v of iovs) {
      if (v.len === 0) continue;
      let n: number;
      try {
        n = readInto(m, d, v.base, v.len, at === null ? null : at + done);
      } catch (e) {
        if (done > 0 && e instanceof Errno && e.errno === EFAULT) break;
        throw e;
      }
      done += n;
      if (n < v.len) break;
    }
    return done;
  }
  // A stream: one read, scattered.
  let total = 0;
  for (const v of iovs) {
    const want = Math.min(v.len, CHUNK - total);
    const n = accessiblePrefix(m, v.base, want, PROT_WRITE);
    total += n;
    if (n < want) break;
  }
  if (total === 0) {
    if (iovs.some((v) => v.len > 0)) fail(EFAULT);
    return 0;
  }
  let data: Uint8Array;
  try {
    data = d.read(total, null);
  } catch (e) {
    return noteBlockedPipe(m, d, e);
  }
  let off = 0;
  for (const v of iovs) {
    if (off >= data.length) break;
    const n = Math.min(v.len, data.length - off);
    m.as.write(v.base, data.subarray(off, off + n));
    off += n;
  }
  return data.length;
}

/** The bytes the iovecs describe, up to MAX_RW, stopping at the first unreadable byte. */
function gather(m: Machine, iovs: Iov[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const v of iovs) {
    const want = Math.min(v.len, MAX_RW - total);
    if (want === 0) continue;
    const n = accessiblePrefix(m, v.base, want, PROT_READ);
    if (n > 0) parts.push(m.as.read(v.base, n));
    total += n;
    if (n < want) {
      if (total === 0) fail(EFAULT);
      break;
    }
  }
  return Buffer.concat(parts);
}

export function sysReadv(m: Machine): number {
  const d = readableDesc(m, argI(m, 0));
  return readv(m, d, readIovecs(m, argU(m, 1), argI(m, 2)), null);
}

export function sysWritev(m: Machine): number {
  const d = writableDesc(m, argI(m, 0));
  const data = gather(m, readIovecs(m, argU(m, 1), argI(m, 2)));
  if (data.length === 0) return 0;
  return writeDesc(m, d, data, null);
}

export function sysPreadv(m: Machine): number {
  const d = readableDesc(m, argI(m, 0));
  const off = argL(m, 3);
  checkOffset(d, off);
  return readv(m, d, readIovecs(m, argU(m, 1), argI(m, 2)), off);
}

export function sysPwritev(m: Machine): number {
  const d = writableDesc(m, argI(m, 0));
  const off = argL(m, 3);
  checkOffset(d, off);
  const data = gather(m, readIovecs(m, argU(m, 1), argI(m, 2)));
  if (data.length === 0) return 0;
  return writeDesc(m, d, data, off);
}

export function sysLseek(m: Machine): number {
  const d = fdTable(m).desc(argI(m, 0));
  return d.seek(argL(m, 1), argI(m, 2));
}

export function sysClose(m: Machine): number {
  fdTable(m).close(argI(m, 0));
  return 0;
}

export function sysCloseRange(m: Machine): number {
  const first = argU(m, 0) >>> 0;
  const last = argU(m, 1) >>> 0;
  const flags = argI(m, 2);
  if (flags & ~(2 | 4) || first > last) fail(EINVAL);
  const t = fdTable(m);
  for (const [fd, e] of [...t.open()]) {
    if (fd < first || fd > last) continue;
    if (flags & 4) e.cloexec = true;
    else t.close(fd);
  }
  return 0;
}

export function sysDup(m: Machine): number {
  const t = fdTable(m);
  return t.alloc(t.desc(argI(m, 0)), false);
}

export function sysDup3(m: Machine): number {
  const oldfd = argI(m, 0);
  const newfd = argI(m, 1);
  const flags = argI(m, 2);
  if (flags & ~O_CLOEXEC) fail(EINVAL);
  const t = fdTable(m);
  const d = t.desc(oldfd);
  if (oldfd === newfd) fail(EINVAL);
  if (newfd < 0 || newfd >= t.limit) fail(EBADF);
  t.install(newfd, d, (flags & O_CLOEXEC) !== 0);
  return newfd;
}

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7;
const F_SETOWN = 8, F_GETOWN = 9, F_SETSIG = 10, F_GETSIG = 11, F_OFD_GETLK = 36, F_OFD_SETLK = 37;
const F_OFD_SETLKW = 38, F_SETLEASE = 1024, F_GETLEASE = 1025, F_DUPFD_CLOEXEC = 1030;
const F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;
const F_UNLCK = 2;

export function sysFcntl(m: Machine): number {
  const fd = argI(m, 0);
  const cmd = argI(m, 1);
  const t = fdTable(m);
  const e = t.get(fd);
  switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
      const min = argI(m, 2);
      if (min < 0 || min >= t.limit) fail(EINVAL);
      return t.alloc(e.desc, cmd === F_DUPFD_CLOEXEC, min);
    }
    case F_GETFD: return e.cloexec ? 1 : 0;
    case F_SETFD: e.cloexec = (argI(m, 2) & 1) !== 0; return 0;
    case F_GETFL: return e.desc.flags | O_LARGEFILE;
    case F_SETFL: {
      const arg = argI(m, 2);
      e.desc.flags = (e.desc.flags & ~SETFL_MASK) | (arg & SETFL_MASK);
      return 0;
    }
    case F_GETLK:
    case F_OFD_GETLK: {
      // No other process can hold a lock on our files: report the range unlocked.
      const addr = argU(m, 2);
      const s = Struct.read(m, addr, 32);
      s.dv.setInt16(0, F_UNLCK, true);
      s.writeTo(m, addr);
      return 0;
    }
    case F_SETLK: case F_SETLKW: case F_OFD_SETLK: case F_OFD_SETLKW:
      Struct.read(m, argU(m, 2), 32);
      return 0;
    case F_SETOWN: case F_SETSIG: case F_SETLEASE: return 0;
    case F_GETOWN: case F_GETSIG: return 0;
    case F_GETLEASE: return F_UNLCK;
    case F_GETPIPE_SZ:
      if (!(e.desc instanceof PipeEnd)) fail(EBADF);
      return 65536;
    case F_SETPIPE_SZ: {
      if (!(e.desc instanceof PipeEnd)) fail(EBADF);
      const want = argU(m, 2);
      return Math.max(4096, 2 ** Math.ceil(Math.log2(Math.max(want, 1))));
    }
    default:
      return fail(EINVAL);
  }
}

export function sysPipe2(m: Machine): number {
  const addr = argU(m, 0);
  const flags = argI(m, 1);
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) fail(EINVAL);
  checkAccess(m, addr, 8, PROT_WRITE);
  const t = fdTable(m);
  const [r, w] = makePipe(flags);
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const rfd = t.alloc(r, cloexec);
  let wfd: number;
  try {
    wfd = t.alloc(w, cloexec);
  } catch (e) {
    t.close(rfd);
    throw e;
  }
  new Struct(8).i32(0, rfd).i32(4, wfd).writeTo(m, addr);
  return 0;
}

export function sysFstat(m: Machine): number {
  const d = fdTable(m).desc(argI(m, 0));
  encodeStat(d.stat()).writeTo(m, argU(m, 1));
  return 0;
}

export function sysGetdents64(m: Machine): number {
  const d = fdTable(m).desc(argI(m, 0));
  const addr = argU(m, 1);
  const count = Math.min(argU(m, 2), MAX_RW);
  if (!d.isDirectory) fail(ENOTDIR);
  if (d instanceof HostFile && pathState(m).root !== null && d.guest === '/') d.setParentIno(d.stat().ino);
  const entries = d.list();
  const out = Buffer.alloc(Math.min(count, 1 << 20));
  let off = 0;
  let pos = d.pos;
  while (pos < entries.length) {
    const e = entries[pos];
    const name = Buffer.from(e.name, 'utf8');
    const reclen = (19 + name.length + 1 + 7) & ~7;
    if (off + reclen > out.length) break;
    out.writeBigUInt64LE(e.ino, off);
    out.writeBigInt64LE(BigInt(pos + 1), off + 8);
    out.writeUInt16LE(reclen, off + 16);
    out.writeUInt8(e.type, off + 18);
    name.copy(out, off + 19);
    off += reclen;
    pos++;
  }
  if (off === 0 && pos < entries.length) fail(EINVAL);
  m.as.write(addr, out.subarray(0, off));
  d.pos = pos;
  return off;
}

export function sysFtruncate(m: Machine): number {
  const d = fdTable(m).desc(argI(m, 0));
  const len = argL(m, 1);
  if (len < 0 || !d.writable) fail(EINVAL);
  d.truncate(len);
  return 0;
}

export function sysFsync(m: Machine): number {
  fdTable(m).desc(argI(m, 0)).sync();
  return 0;
}

export function sysSendfile(m: Machine): number {
  const out = writableDesc(m, argI(m, 0));
  const inp = readableDesc(m, argI(m, 1));
  const offAddr = argU(m, 2);
  let count = Math.min(argU(m, 3), MAX_RW);
  let at: number | null = null;
  if (offAddr !== 0) {
    at = Number(readU64(m, offAddr));
    if (at < 0) fail(EINVAL);
    if (!inp.seekable) fail(ESPIPE);
  }
  let done = 0;
  while (count > 0) {
    const data = inp.read(Math.min(count, CHUNK), at === null ? null : at + done);
    if (data.length === 0) break;
    const n = writeDesc(m, out, data, null);
    done += n;
    count -= n;
    if (n < data.length) {
      if (at === null) inp.pos -= data.length - n;
      break;
    }
    if (!inp.seekable) break;
  }
  if (offAddr !== 0) writeU64(m, offAddr, BigInt((at ?? 0) + done));
  return done;
}
