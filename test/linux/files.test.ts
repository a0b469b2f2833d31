import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AT_FDCWD, NR, SCRATCH, bytes, cstr, makeMachine, putBytes, sys, tempDir } from './helpers.js';

const O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0o100, O_EXCL = 0o200, O_TRUNC = 0o1000;
const O_APPEND = 0o2000, O_DIRECTORY = 0o200000, O_CLOEXEC = 0o2000000, O_NONBLOCK = 0o4000;
const ENOENT = 2, EBADF = 9, EAGAIN = 11, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ESPIPE = 29;
const ENOTEMPTY = 39, ENOTTY = 25, ERANGE = 34;
const BUF = SCRATCH + 0x1000;

let t: ReturnType<typeof tempDir>;
beforeEach(() => { t = tempDir(); });
afterEach(() => t.cleanup());

function open(m: ReturnType<typeof makeMachine>, path: string, flags: number, mode = 0o644, dirfd = AT_FDCWD): number {
  return sys(m, NR.openat, dirfd, cstr(m, path), flags, mode);
}

describe('file I/O', () => {
  it('creates, writes, seeks, reads and closes', () => {
    const m = makeMachine();
    const p = join(t.dir, 'a.txt');
    const fd = open(m, p, O_RDWR | O_CREAT | O_TRUNC);
    expect(fd).toBe(3);
    putBytes(m, BUF, 'hello, world');
    expect(sys(m, NR.write, fd, BUF, 12)).toBe(12);
    expect(readFileSync(p, 'utf8')).toBe('hello, world');
    expect(sys(m, NR.lseek, fd, 0, 1)).toBe(12); // SEEK_CUR
    expect(sys(m, NR.lseek, fd, 7, 0)).toBe(7);
    expect(sys(m, NR.read, fd, BUF + 100, 100)).toBe(5);
    expect(bytes(m, BUF + 100, 5).toString()).toBe('world');
    expect(sys(m, NR.read, fd, BUF + 100, 100)).toBe(0);
    expect(sys(m, NR.lseek, fd, -3, 2)).toBe(9); // SEEK_END
    expect(sys(m, NR.lseek, fd, -100, 1)).toBe(-EINVAL);
    expect(sys(m, NR.pread64, fd, BUF + 200, 5, 0)).toBe(5);
    expect(bytes(m, BUF + 200, 5).toString()).toBe('hello');
    expect(sys(m, NR.lseek, fd, 0, 1)).toBe(9); // pread leaves the position alone
    putBytes(m, BUF, 'J');
    expect(sys(m, NR.pwrite64, fd, BUF, 1, 0)).toBe(1);
    expect(readFileSync(p, 'utf8')).toBe('Jello, world');
    expect(sys(m, NR.close, fd)).toBe(0);
    expect(sys(m, NR.close, fd)).toBe(-EBADF);
    expect(sys(m, NR.read, fd, BUF, 1)).toBe(-EBADF);
  });

  it('reports errors with Linux errno values', () => {
    const m = makeMachine();
    expect(open(m, join(t.dir, 'missing'), O_RDONLY)).toBe(-ENOENT);
    writeFileSync(join(t.dir, 'f'), 'x');
    expect(open(m, join(t.dir, 'f'), O_WRONLY | O_CREAT | O_EXCL)).toBe(-EEXIST);
    expect(open(m, join(t.dir, 'f', 'g'), O_RDONLY)).toBe(-ENOTDIR);
    expect(open(m, join(t.dir, 'f'), O_RDONLY | O_DIRECTORY)).toBe(-ENOTDIR);
    const dfd = open(m, t.dir, O_RDONLY | O_DIRECTORY);
    expect(dfd).toBeGreaterThanOrEqual(3);
    expect(sys(m, NR.read, dfd, BUF, 10)).toBe(-EISDIR);
    const ro = open(m, join(t.dir, 'f'), O_RDONLY);
    expect(sys(m, NR.write, ro, BUF, 1)).toBe(-EBADF);
    // Bad buffer pointers give EFAULT, not a crash.
    expect(sys(m, NR.read, ro, 0x10, 1)).toBe(-14);
    expect(open(m, '', O_RDONLY)).toBe(-ENOENT);
    expect(open(m, '/' + 'a'.repeat(5000), O_RDONLY)).toBe(-36); // ENAMETOOLONG
    expect(sys(m, NR.openat, AT_FDCWD, 0x10, O_RDONLY, 0)).toBe(-14); // EFAULT
  });

  it('a buffer that runs into unmapped memory shortens the transfer (EFAULT if nothing fits)', () => {
    const m = makeMachine();
    const p = join(t.dir, 'short');
    const fd = open(m, p, O_RDWR | O_CREAT);
    const end = SCRATCH + 64 * 4096; // first unmapped byte after the scratch area
    putBytes(m, end - 10, '0123456789');
    expect(sys(m, NR.write, fd, end - 10, 0x7fff_0000)).toBe(10);
    expect(readFileSync(p, 'utf8')).toBe('0123456789');
    expect(sys(m, NR.write, fd, end, 5)).toBe(-14);
    expect(sys(m, NR.pread64, fd, end - 4, 100, 0)).toBe(4);
    expect(bytes(m, end - 4, 4).toString()).toBe('0123');
    const fds = SCRATCH + 0x3000;
    expect(sys(m, NR.pipe2, fds, 0)).toBe(0);
    const [r, w] = [m.as.read(fds, 8)[0], m.as.read(fds, 8)[4]];
    expect(sys(m, NR.write, w, end - 10, 10)).toBe(10);
    expect(sys(m, NR.read, r, end - 3, 10)).toBe(3);
    expect(sys(m, NR.read, r, end, 10)).toBe(-14);
  });

  it('honours O_APPEND and lowest-free fd numbering', () => {
    const m = makeMachine();
    const p = join(t.dir, 'log');
    writeFileSync(p, 'abc');
    const a = open(m, p, O_WRONLY | O_APPEND);
    const b = open(m, p, O_RDONLY);
    expect([a, b]).toEqual([3, 4]);
    putBytes(m, BUF, 'def');
    expect(sys(m, NR.write, a, BUF, 3)).toBe(3);
    expect(readFileSync(p, 'utf8')).toBe('abcdef');
    expect(sys(m, NR.close, a)).toBe(0);
    expect(open(m, p, O_RDONLY)).toBe(3);
  });

  it('supports openat relative to a directory fd, readv and writev', () => {
    const m = makeMachine();
    mkdirSync(join(t.dir, 'sub'));
    const dfd = open(m, join(t.dir, 'sub'), O_RDONLY | O_DIRECTORY);
    const fd = open(m, 'v.txt', O_RDWR | O_CREAT, 0o600, dfd);
    expect(fd).toBeGreaterThan(0);
    putBytes(m, BUF, 'abc');
    putBytes(m, BUF + 16, 'defgh');
    const iov = SCRATCH + 0x3000;
    m.as.writeU64(iov, BigInt(BUF)); m.as.writeU64(iov + 8, 3n);
    m.as.writeU64(iov + 16, BigInt(BUF + 16)); m.as.writeU64(iov + 24, 5n);
    expect(sys(m, NR.writev, fd, iov, 2)).toBe(8);
    expect(readFileSync(join(t.dir, 'sub', 'v.txt'), 'utf8')).toBe('abcdefgh');
    expect(sys(m, NR.lseek, fd, 0, 0)).toBe(0);
    m.as.writeU64(iov, BigInt(BUF + 0x100)); m.as.writeU64(iov + 8, 2n);
    m.as.writeU64(iov + 16, BigInt(BUF + 0x200)); m.as.writeU64(iov + 24, 100n);
    expect(sys(m, NR.readv, fd, iov, 2)).toBe(8);
    expect(bytes(m, BUF + 0x100, 2).toString()).toBe('ab');
    expect(bytes(m, BUF + 0x200, 6).toString()).toBe('cdefgh');
    expect(statSync(join(t.dir, 'sub', 'v.txt')).mode & 0o777).toBe(0o600);
  });

  it('dup, dup3, fcntl share the description and track FD_CLOEXEC', () => {
    const m = makeMachine();
    const p = join(t.dir, 'd');
    writeFileSync(p, '0123456789');
    const fd = open(m, p, O_RDONLY | O_CLOEXEC);
    expect(sys(m, NR.fcntl, fd, 1)).toBe(1); // F_GETFD
    const d = sys(m, NR.dup, fd);
    expect(sys(m, NR.fcntl, d, 1)).toBe(0);
    expect(sys(m, NR.read, fd, BUF, 4)).toBe(4);
    expect(sys(m, NR.lseek, d, 0, 1)).toBe(4); // shared position
    expect(sys(m, NR.dup3, fd, 10, O_CLOEXEC)).toBe(10);
    expect(sys(m, NR.fcntl, 10, 1)).toBe(1);
    expect(sys(m, NR.dup3, fd, fd, 0)).toBe(-EINVAL);
    expect(sys(m, NR.fcntl, fd, 0, 20)).toBe(20); // F_DUPFD
    expect(sys(m, NR.fcntl, fd, 1030, 20)).toBe(21); // F_DUPFD_CLOEXEC
    expect(sys(m, NR.fcntl, 21, 1)).toBe(1);
    expect(sys(m, NR.fcntl, fd, 2, 0)).toBe(0); // F_SETFD
    expect(sys(m, NR.fcntl, fd, 1)).toBe(0);
    expect(sys(m, NR.fcntl, fd, 3) & 3).toBe(O_RDONLY); // F_GETFL
    expect(sys(m, NR.fcntl, fd, 4, O_NONBLOCK)).toBe(0);
    expect(sys(m, NR.fcntl, d, 3) & O_NONBLOCK).toBe(O_NONBLOCK);
    expect(sys(m, NR.fcntl, 99, 1)).toBe(-EBADF);
  });

  it('guest fd numbers are independent of host fds: closing guest 1 keeps host stdout', () => {
    const m = makeMachine();
    expect(sys(m, NR.close, 1)).toBe(0);
    expect(sys(m, NR.write, 1, BUF, 1)).toBe(-EBADF);
    const fd = open(m, join(t.dir, 'x'), O_WRONLY | O_CREAT);
    expect(fd).toBe(1);
    putBytes(m, BUF, 'to file');
    expect(sys(m, NR.write, 1, BUF, 7)).toBe(7);
    expect(readFileSync(join(t.dir, 'x'), 'utf8')).toBe('to file');
  });

  it('pipe2 moves bytes and reports EOF, EAGAIN and ESPIPE', () => {
    const m = makeMachine();
    const fds = SCRATCH + 0x3000;
    expect(sys(m, NR.pipe2, fds, O_NONBLOCK)).toBe(0);
    const r = m.as.read(fds, 8);
    const rfd = r[0], wfd = r[4];
    expect(sys(m, NR.read, rfd, BUF, 10)).toBe(-EAGAIN);
    putBytes(m, BUF, 'ping');
    expect(sys(m, NR.write, wfd, BUF, 4)).toBe(4);
    expect(sys(m, NR.lseek, rfd, 0, 1)).toBe(-ESPIPE);
    expect(sys(m, NR.read, rfd, BUF + 100, 2)).toBe(2);
    expect(sys(m, NR.read, rfd, BUF + 102, 10)).toBe(2);
    expect(bytes(m, BUF + 100, 4).toString()).toBe('ping');
    expect(sys(m, NR.close, wfd)).toBe(0);
    expect(sys(m, NR.read, rfd, BUF, 10)).toBe(0);
    expect(sys(m, NR.ioctl, rfd, 0x5401, BUF)).toBe(-ENOTTY); // TCGETS
  });

  it('fstat and newfstatat fill the asm-generic struct stat', () => {
    const m = makeMachine();
    const p = join(t.dir, 's');
    writeFileSync(p, 'x'.repeat(1234));
    const st = SCRATCH + 0x4000;
    expect(sys(m, NR.newfstatat, AT_FDCWD, cstr(m, p), st, 0)).toBe(0);
    const host = statSync(p, { bigint: true });
    const b = bytes(m, st, 128);
    expect(b.readBigUInt64LE(0)).toBe(host.dev);
    expect(b.readBigUInt64LE(8)).toBe(host.ino);
    expect(b.readUInt32LE(16)).toBe(Number(host.mode));
    expect(b.readUInt32LE(20)).toBe(1);
    expect(b.readBigInt64LE(48)).toBe(1234n);
    expect(b.readInt32LE(56)).toBe(Number(host.blksize));
    expect(b.readBigInt64LE(64)).toBe(host.blocks);
    expect(b.readBigInt64LE(88)).toBe(host.mtimeNs / 1_000_000_000n);
    expect(b.readBigUInt64LE(96)).toBe(host.mtimeNs % 1_000_000_000n);
    const fd = open(m, p, O_RDONLY);
    const st2 = SCRATCH + 0x4100;
    expect(sys(m, NR.fstat, fd, st2)).toBe(0);
    expect(bytes(m, st2, 128).readBigInt64LE(48)).toBe(1234n);
    // AT_EMPTY_PATH on the fd itself
    expect(sys(m, NR.newfstatat, fd, cstr(m, ''), st2, 0x1000)).toBe(0);
    expect(bytes(m, st2, 128).readBigUInt64LE(8)).toBe(host.ino);
    expect(sys(m, NR.newfstatat, fd, cstr(m, ''), st2, 0)).toBe(-ENOENT);
    // lstat of a symlink vs stat through it
    symlinkSync('s', join(t.dir, 'ln'));
    expect(sys(m, NR.newfstatat, AT_FDCWD, cstr(m, join(t.dir, 'ln')), st2, 0x100)).toBe(0);
    expect(bytes(m, st2, 128).readUInt32LE(16) & 0o170000).toBe(0o120000);
    expect(sys(m, NR.newfstatat, AT_FDCWD, cstr(m, join(t.dir, 'ln')), st2, 0)).toBe(0);
    expect(bytes(m, st2, 128).readUInt32LE(16) & 0o170000).toBe(0o100000);
  });

  it('statx fills mask, mode and size', () => {
    const m = makeMachine();
    const p = join(t.dir, 'sx');
    writeFileSync(p, 'abcdef');
    const st = SCRATCH + 0x4000;
    expect(sys(m, NR.statx, AT_FDCWD, cstr(m, p), 0, 0x7ff, st)).toBe(0);
    const b = bytes(m, st, 256);
    expect(b.readUInt32LE(0) & 0x7ff).toBe(0x7ff);
    expect(b.readUInt16LE(28)).toBe(Number(statSync(p).mode));
    expect(b.readBigUInt64LE(40)).toBe(6n);
    expect(b.readBigUInt64LE(32)).toBe(statSync(p, { bigint: true }).ino);
  });

  it('getdents64 lists entries across calls with . and ..', () => {
    const m = makeMachine();
    const names = Array.from({ length: 30 }, (_, i) => `file-with-a-long-name-${i}`);
    for (const n of names) writeFileSync(join(t.dir, n), '');
    mkdirSync(join(t.dir, 'adir'));
    const fd = open(m, t.dir, O_RDONLY | O_DIRECTORY);
    const seen = new Map<string, number>();
    const dbuf = SCRATCH + 0x10000;
    let calls = 0;
    for (;;) {
      const n = sys(m, NR.getdents64, fd, dbuf, 256);
      expect(n).toBeGreaterThanOrEqual(0);
      if (n === 0) break;
      calls++;
      const b = bytes(m, dbuf, n);
      let off = 0;
      while (off < n) {
        const reclen = b.readUInt16LE(off + 16);
        expect(reclen % 8).toBe(0);
        const type = b.readUInt8(off + 18);
        const end = b.indexOf(0, off + 19);
        const name = b.subarray(off + 19, end).toString();
        expect(b.readBigUInt64LE(off)).not.toBe(0n);
        seen.set(name, type);
        off += reclen;
      }
    }
    expect(calls).toBeGreaterThan(1);
    expect(seen.get('.')).toBe(4);
    expect(seen.get('..')).toBe(4);
    expect(seen.get('adir')).toBe(4);
    for (const n of names) expect(seen.get(n)).toBe(8);
    expect(seen.size).toBe(33);
    // Too small for one entry.
    expect(sys(m, NR.lseek, fd, 0, 0)).toBe(0);
    expect(sys(m, NR.getdents64, fd, dbuf, 10)).toBe(-EINVAL);
    const f = open(m, join(t.dir, names[0]), O_RDONLY);
    expect(sys(m, NR.getdents64, f, dbuf, 4096)).toBe(-ENOTDIR);
  });

  it('unlinkat, mkdirat, renameat2, faccessat, readlinkat', () => {
    const m = makeMachine();
    const d = join(t.dir, 'dd');
    expect(sys(m, NR.mkdirat, AT_FDCWD, cstr(m, d), 0o755)).toBe(0);
    expect(sys(m, NR.mkdirat, AT_FDCWD, cstr(m, d), 0o755)).toBe(-EEXIST);
    writeFileSync(join(d, 'f'), 'x');
    expect(sys(m, NR.unlinkat, AT_FDCWD, cstr(m, d), 0x200)).toBe(-ENOTEMPTY);
    expect(sys(m, NR.faccessat, AT_FDCWD, cstr(m, join(d, 'f')), 4)).toBe(0);
    expect(sys(m, NR.faccessat2, AT_FDCWD, cstr(m, join(d, 'nope')), 0, 0)).toBe(-ENOENT);
    expect(sys(m, NR.faccessat, AT_FDCWD, cstr(m, join(d, 'f')), 8)).toBe(-EINVAL);
    const a = cstr(m, join(d, 'f'), SCRATCH + 0x5000);
    const b = cstr(m, join(d, 'g'), SCRATCH + 0x5100);
    expect(sys(m, NR.renameat2, AT_FDCWD, a, AT_FDCWD, b, 0)).toBe(0);
    expect(existsSync(join(d, 'g'))).toBe(true);
    writeFileSync(join(d, 'f'), 'y');
    expect(sys(m, NR.renameat2, AT_FDCWD, a, AT_FDCWD, b, 1)).toBe(-EEXIST); // RENAME_NOREPLACE
    expect(sys(m, NR.renameat2, AT_FDCWD, a, AT_FDCWD, b, 2)).toBe(0); // RENAME_EXCHANGE
    expect(readFileSync(join(d, 'g'), 'utf8')).toBe('y');
    expect(readFileSync(join(d, 'f'), 'utf8')).toBe('x');
    expect(sys(m, NR.renameat, AT_FDCWD, a, AT_FDCWD, b)).toBe(0);
    symlinkSync('target/path', join(d, 'ln'));
    expect(sys(m, NR.readlinkat, AT_FDCWD, cstr(m, join(d, 'ln')), BUF, 100)).toBe(11);
    expect(bytes(m, BUF, 11).toString()).toBe('target/path');
    expect(sys(m, NR.readlinkat, AT_FDCWD, cstr(m, join(d, 'ln')), BUF, 6)).toBe(6);
    expect(sys(m, NR.readlinkat, AT_FDCWD, cstr(m, join(d, 'g')), BUF, 100)).toBe(-EINVAL);
    expect(sys(m, NR.unlinkat, AT_FDCWD, cstr(m, join(d, 'ln')), 0)).toBe(0);
    expect(sys(m, NR.unlinkat, AT_FDCWD, cstr(m, join(d, 'g')), 0)).toBe(0);
    expect(sys(m, NR.unlinkat, AT_FDCWD, cstr(m, d), 0x200)).toBe(0);
    expect(existsSync(d)).toBe(false);
  });

  it('readlink of /proc/self/exe gives the program path', () => {
    const m = makeMachine({ programPath: '/usr/bin/hello' });
    expect(sys(m, NR.readlinkat, AT_FDCWD, cstr(m, '/proc/self/exe'), BUF, 100)).toBe(14);
    expect(bytes(m, BUF, 14).toString()).toBe('/usr/bin/hello');
  });

  it('getcwd and chdir track our own cwd; relative paths follow it', () => {
    const m = makeMachine();
    mkdirSync(join(t.dir, 'w'));
    expect(sys(m, NR.chdir, cstr(m, join(t.dir, 'w')))).toBe(0);
    const n = sys(m, NR.getcwd, BUF, 4096);
    const real = realpathSync(join(t.dir, 'w'));
    expect(n).toBe(real.length + 1);
    expect(bytes(m, BUF, n - 1).toString()).toBe(real);
    expect(sys(m, NR.getcwd, BUF, 2)).toBe(-ERANGE);
    const fd = open(m, 'rel.txt', O_WRONLY | O_CREAT);
    expect(fd).toBeGreaterThan(0);
    expect(existsSync(join(t.dir, 'w', 'rel.txt'))).toBe(true);
    writeFileSync(join(t.dir, 'file'), '');
    expect(sys(m, NR.chdir, cstr(m, join(t.dir, 'file')))).toBe(-ENOTDIR);
    expect(process.cwd()).not.toBe(real);
  });

  it('ftruncate and umask', () => {
    const m = makeMachine();
    const p = join(t.dir, 'tr');
    writeFileSync(p, '0123456789');
    const fd = open(m, p, O_RDWR);
    expect(sys(m, NR.ftruncate, fd, 4)).toBe(0);
    expect(readFileSync(p, 'utf8')).toBe('0123');
    expect(sys(m, NR.umask, 0o077)).toBe(0o022);
    expect(open(m, join(t.dir, 'um'), O_WRONLY | O_CREAT, 0o666)).toBeGreaterThan(0);
    expect(statSync(join(t.dir, 'um')).mode & 0o777).toBe(0o600);
  });
});
