// --root confinement: every guest path resolves below the root directory.

import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AT_FDCWD, NR, SCRATCH, bytes, cstr, makeMachine, putBytes, sys, tempDir } from './helpers.js';

const O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0o100, O_DIRECTORY = 0o200000, O_NOFOLLOW = 0o400000;
const ENOENT = 2, ELOOP = 40;
const BUF = SCRATCH + 0x1000;

let t: ReturnType<typeof tempDir>;
let root: string;
let outside: string;

beforeEach(() => {
  t = tempDir();
  root = join(t.dir, 'root');
  outside = join(t.dir, 'outside');
  mkdirSync(join(root, 'sub', 'deeper'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'inside.txt'), 'inside');
  writeFileSync(join(root, 'sub', 'f'), 'sub-f');
  writeFileSync(join(outside, 'secret'), 'SECRET');
});
afterEach(() => t.cleanup());

function readAll(m: ReturnType<typeof makeMachine>, path: string, dirfd = AT_FDCWD): string | number {
  const fd = sys(m, NR.openat, dirfd, cstr(m, path), O_RDONLY, 0);
  if (fd < 0) return fd;
  const n = sys(m, NR.read, fd, BUF, 1000);
  sys(m, NR.close, fd);
  return bytes(m, BUF, n).toString();
}

describe('--root', () => {
  it('resolves absolute paths below the root', () => {
    const m = makeMachine({ root });
    expect(readAll(m, '/inside.txt')).toBe('inside');
    expect(readAll(m, '/sub/f')).toBe('sub-f');
    expect(readAll(m, '/sub/./deeper/../f')).toBe('sub-f');
  });

  it('stops .. at the root', () => {
    const m = makeMachine({ root });
    const rel = '/../../../../../../..' + join(outside, 'secret');
    expect(readAll(m, rel)).toBe(-ENOENT);
    expect(readAll(m, '/../inside.txt')).toBe('inside');
    expect(readAll(m, '../../../../inside.txt')).toBe('inside');
    expect(readAll(m, '/sub/../../../sub/f')).toBe('sub-f');
  });

  it('keeps symlinks inside: absolute targets restart at the root, relative ones stop at it', () => {
    const m = makeMachine({ root });
    symlinkSync(join(outside, 'secret'), join(root, 'abs-escape'));
    symlinkSync('../../../../../../../../' + outside.slice(1) + '/secret', join(root, 'sub', 'rel-escape'));
    symlinkSync(outside, join(root, 'dir-escape'));
    symlinkSync('/sub', join(root, 'sublink'));
    symlinkSync('../inside.txt', join(root, 'sub', 'up'));
    expect(readAll(m, '/abs-escape')).toBe(-ENOENT);
    expect(readAll(m, '/sub/rel-escape')).toBe(-ENOENT);
    expect(readAll(m, '/dir-escape/secret')).toBe(-ENOENT);
    expect(readAll(m, '/sublink/f')).toBe('sub-f');
    expect(readAll(m, '/sub/up')).toBe('inside');
    expect(readAll(m, '/sublink/../inside.txt')).toBe('inside');
    // Creating through an escaping link lands inside the root.
    mkdirSync(join(root, outside), { recursive: true });
    const fd = sys(m, NR.openat, AT_FDCWD, cstr(m, '/abs-escape'), O_WRONLY | O_CREAT, 0o644);
    expect(fd).toBeGreaterThan(0);
    putBytes(m, BUF, 'pwned');
    expect(sys(m, NR.write, fd, BUF, 5)).toBe(5);
    expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('SECRET');
    expect(readFileSync(join(root, outside, 'secret'), 'utf8')).toBe('pwned');
    // O_NOFOLLOW on a link fails with ELOOP; readlink shows the raw target.
    expect(sys(m, NR.openat, AT_FDCWD, cstr(m, '/sublink'), O_RDONLY | O_NOFOLLOW, 0)).toBe(-ELOOP);
    expect(sys(m, NR.readlinkat, AT_FDCWD, cstr(m, '/sublink'), BUF, 100)).toBe(4);
    expect(bytes(m, BUF, 4).toString()).toBe('/sub');
    // Unlinking a link removes the link, not its target.
    expect(sys(m, NR.unlinkat, AT_FDCWD, cstr(m, '/dir-escape'), 0)).toBe(0);
    expect(existsSync(outside)).toBe(true);
  });

  it('symlink loops give ELOOP', () => {
    const m = makeMachine({ root });
    symlinkSync('/loop2', join(root, 'loop1'));
    symlinkSync('/loop1', join(root, 'loop2'));
    expect(readAll(m, '/loop1')).toBe(-ELOOP);
  });

  it('tracks the guest cwd starting at /', () => {
    const m = makeMachine({ root });
    let n = sys(m, NR.getcwd, BUF, 100);
    expect(bytes(m, BUF, n - 1).toString()).toBe('/');
    expect(sys(m, NR.chdir, cstr(m, '/sub/deeper'))).toBe(0);
    n = sys(m, NR.getcwd, BUF, 100);
    expect(bytes(m, BUF, n - 1).toString()).toBe('/sub/deeper');
    expect(readAll(m, '../f')).toBe('sub-f');
    expect(sys(m, NR.chdir, cstr(m, '../../../../..'))).toBe(0);
    n = sys(m, NR.getcwd, BUF, 100);
    expect(bytes(m, BUF, n - 1).toString()).toBe('/');
    symlinkSync('/sub', join(root, 'sublink'));
    expect(sys(m, NR.chdir, cstr(m, '/sublink'))).toBe(0);
    n = sys(m, NR.getcwd, BUF, 100);
    expect(bytes(m, BUF, n - 1).toString()).toBe('/sub');
  });

  it('confines dirfd-relative paths, mkdir, rename and stat', () => {
    const m = makeMachine({ root });
    const dfd = sys(m, NR.openat, AT_FDCWD, cstr(m, '/sub'), O_RDONLY | O_DIRECTORY, 0);
    expect(readAll(m, '../../../../inside.txt', dfd)).toBe('inside');
    expect(sys(m, NR.mkdirat, dfd, cstr(m, '../../../newdir'), 0o755)).toBe(0);
    expect(existsSync(join(root, 'newdir'))).toBe(true);
    expect(existsSync(join(t.dir, 'newdir'))).toBe(false);
    const a = cstr(m, '/inside.txt', SCRATCH + 0x5000);
    const b = cstr(m, '/../../moved.txt', SCRATCH + 0x5100);
    expect(sys(m, NR.renameat2, AT_FDCWD, a, AT_FDCWD, b, 0)).toBe(0);
    expect(existsSync(join(root, 'moved.txt'))).toBe(true);
    expect(existsSync(join(t.dir, 'moved.txt'))).toBe(false);
    const st = SCRATCH + 0x6000;
    expect(sys(m, NR.newfstatat, AT_FDCWD, cstr(m, '/../outside/secret'), st, 0)).toBe(-ENOENT);
    expect(sys(m, NR.newfstatat, AT_FDCWD, cstr(m, '/moved.txt'), st, 0)).toBe(0);
    expect(bytes(m, st, 128).readBigInt64LE(48)).toBe(6n);
  });

  it('lists / with .. equal to .', () => {
    const m = makeMachine({ root });
    const fd = sys(m, NR.openat, AT_FDCWD, cstr(m, '/'), O_RDONLY | O_DIRECTORY, 0);
    const n = sys(m, NR.getdents64, fd, SCRATCH + 0x10000, 4096);
    const b = bytes(m, SCRATCH + 0x10000, n);
    const inos = new Map<string, bigint>();
    for (let off = 0; off < n; off += b.readUInt16LE(off + 16)) {
      inos.set(b.subarray(off + 19, b.indexOf(0, off + 19)).toString(), b.readBigUInt64LE(off));
    }
    expect(inos.get('..')).toBe(inos.get('.'));
    expect(inos.get('.')).toBe(lstatSync(root, { bigint: true }).ino);
    expect([...inos.keys()].sort()).toEqual(['.', '..', 'inside.txt', 'sub']);
  });

  it('still provides /proc/self/exe and /dev/null', () => {
    const m = makeMachine({ root, programPath: '/bin/prog' });
    expect(sys(m, NR.readlinkat, AT_FDCWD, cstr(m, '/proc/self/exe'), BUF, 100)).toBe(9);
    expect(bytes(m, BUF, 9).toString()).toBe('/bin/prog');
    const fd = sys(m, NR.openat, AT_FDCWD, cstr(m, '/dev/null'), O_WRONLY, 0);
    expect(fd).toBeGreaterThan(0);
    expect(sys(m, NR.write, fd, BUF, 9)).toBe(9);
    // A host program path below the root is shown without the root prefix.
    const m2 = makeMachine({ root, programPath: join(root, 'sub', 'prog') });
    expect(sys(m2, NR.readlinkat, AT_FDCWD, cstr(m2, '/proc/self/exe'), BUF, 100)).toBe(9);
    expect(bytes(m2, BUF, 9).toString()).toBe('/sub/prog');
  });
});

describe('--sysroot without --root', () => {
  it('shadows library directories that exist in the sysroot, and nothing else', () => {
    const s = tempDir();
    try {
      mkdirSync(join(s.dir, 'lib'));
      writeFileSync(join(s.dir, 'lib', 'libfake-rvwasm.so.1'), 'LIB');
      mkdirSync(join(s.dir, 'tmp'));
      writeFileSync(join(s.dir, 'tmp', 'x'), 'no');
      const m = makeMachine({ sysroot: s.dir });
      expect(readAll(m, '/lib/libfake-rvwasm.so.1')).toBe('LIB');
      expect(readAll(m, '/usr/../lib/libfake-rvwasm.so.1')).toBe('LIB');
      expect(readAll(m, join(s.dir, 'tmp', 'x'))).toBe('no');
      expect(readAll(m, '/tmp/x')).not.toBe('no');
      // With --root, the sysroot is not consulted.
      const r = makeMachine({ root, sysroot: s.dir });
      expect(readAll(r, '/lib/libfake-rvwasm.so.1')).toBe(-ENOENT);
    } finally {
      s.cleanup();
    }
  });
});
