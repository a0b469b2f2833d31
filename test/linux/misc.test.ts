import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcessExit } from '../../runtime/machine.js';
import { diagnostics } from '../../runtime/linux/abi.js';
import { syscallName } from '../../runtime/linux/names.js';
import { AT_FDCWD, NR, SCRATCH, bytes, cstr, makeMachine, sys } from './helpers.js';

const ENOSYS = 38, EINVAL = 22, EAGAIN = 11, ETIMEDOUT = 110, ENOTTY = 25;
const BUF = SCRATCH + 0x1000;

let lines: string[];
const origWrite = diagnostics.write;
beforeEach(() => {
  lines = [];
  diagnostics.write = (l: string) => { lines.push(l); };
});
afterEach(() => { diagnostics.write = origWrite; });

describe('dispatch', () => {
  it('unknown syscalls return -ENOSYS and warn once each', () => {
    const m = makeMachine();
    expect(sys(m, 220)).toBe(-ENOSYS); // clone
    expect(sys(m, 220)).toBe(-ENOSYS);
    expect(sys(m, 5000)).toBe(-ENOSYS);
    expect(lines).toEqual([
      'rvwasm: warning: unsupported syscall 220 (clone)',
      'rvwasm: warning: unsupported syscall 5000 (unknown)',
    ]);
    // Deliberately absent ones are quiet.
    expect(sys(m, NR.rseq, 0, 0, 0, 0)).toBe(-ENOSYS);
    expect(lines.length).toBe(2);
    expect(syscallName(63)).toBe('read');
    expect(syscallName(291)).toBe('statx');
  });

  it('exit and exit_group throw ProcessExit with status & 0xff', () => {
    const m = makeMachine();
    expect(() => sys(m, NR.exit, 3)).toThrow(ProcessExit);
    for (const [nr, arg, want] of [[NR.exit, 3, 3], [NR.exit_group, 256 + 7, 7], [NR.exit_group, -1, 255]]) {
      try {
        sys(m, nr, arg);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ProcessExit);
        expect((e as ProcessExit).status).toBe(want);
      }
    }
  });
});

describe('time', () => {
  it('clock_gettime, clock_getres and gettimeofday', () => {
    const m = makeMachine();
    expect(sys(m, NR.clock_gettime, 0, BUF)).toBe(0);
    const b = bytes(m, BUF, 16);
    const sec = Number(b.readBigInt64LE(0));
    expect(Math.abs(sec - Date.now() / 1000)).toBeLessThan(5);
    expect(Number(b.readBigInt64LE(8))).toBeLessThan(1e9);
    for (const c of [1, 2, 3, 4, 5, 6, 7]) expect(sys(m, NR.clock_gettime, c, BUF)).toBe(0);
    expect(sys(m, NR.clock_gettime, 99, BUF)).toBe(-EINVAL);
    expect(sys(m, NR.clock_getres, 1, BUF)).toBe(0);
    expect(bytes(m, BUF, 16).readBigInt64LE(8)).toBe(1n);
    expect(sys(m, NR.gettimeofday, BUF, 0)).toBe(0);
    expect(Math.abs(Number(bytes(m, BUF, 16).readBigInt64LE(0)) - Date.now() / 1000)).toBeLessThan(5);
    // monotonic never goes backwards
    sys(m, NR.clock_gettime, 1, BUF);
    const a = bytes(m, BUF, 16);
    sys(m, NR.clock_gettime, 1, BUF + 16);
    const c = bytes(m, BUF + 16, 16);
    const ns = (x: Buffer) => x.readBigInt64LE(0) * 1_000_000_000n + x.readBigInt64LE(8);
    expect(ns(c) >= ns(a)).toBe(true);
  });

  it('nanosleep really sleeps and validates its argument', () => {
    const m = makeMachine();
    m.as.writeU64(BUF, 0n);
    m.as.writeU64(BUF + 8, 30_000_000n);
    const t0 = performance.now();
    expect(sys(m, NR.nanosleep, BUF, 0)).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    m.as.writeU64(BUF + 8, 1_000_000_000n);
    expect(sys(m, NR.nanosleep, BUF, 0)).toBe(-EINVAL);
  });
});

describe('process and system info', () => {
  it('uname, ids, set_tid_address, getrandom, affinity, sysinfo', () => {
    const m = makeMachine();
    expect(sys(m, NR.uname, BUF)).toBe(0);
    const u = bytes(m, BUF, 390);
    const field = (i: number) => u.subarray(65 * i, u.indexOf(0, 65 * i)).toString();
    expect(field(0)).toBe('Linux');
    expect(field(2)).toMatch(/^\d+\.\d+/);
    expect(field(4)).toBe('riscv64');
    expect(sys(m, NR.getpid)).toBe(process.pid);
    expect(sys(m, NR.gettid)).toBe(process.pid);
    expect(sys(m, NR.set_tid_address, BUF)).toBe(process.pid);
    expect(sys(m, NR.set_robust_list, BUF, 24)).toBe(0);
    m.as.write(BUF, new Uint8Array(64));
    expect(sys(m, NR.getrandom, BUF, 64, 0)).toBe(64);
    expect(bytes(m, BUF, 64).some((x) => x !== 0)).toBe(true);
    expect(sys(m, NR.getrandom, BUF, 8, 0x100)).toBe(-EINVAL);
    expect(sys(m, NR.sched_getaffinity, 0, 128, BUF)).toBe(8);
    expect(bytes(m, BUF, 8).readBigUInt64LE(0)).toBe(1n);
    expect(sys(m, NR.sysinfo, BUF)).toBe(0);
    const si = bytes(m, BUF, 112);
    expect(si.readBigUInt64LE(32) > 0n).toBe(true);
    expect(si.readUInt32LE(104)).toBe(1);
  });

  it('prlimit64 / getrlimit report an 8 MiB stack and can lower limits', () => {
    const m = makeMachine();
    expect(sys(m, NR.prlimit64, 0, 3, 0, BUF)).toBe(0);
    expect(bytes(m, BUF, 16).readBigUInt64LE(0)).toBe(8n << 20n);
    expect(sys(m, NR.getrlimit, 7, BUF)).toBe(0);
    expect(bytes(m, BUF, 16).readBigUInt64LE(0)).toBe(1024n);
    m.as.writeU64(BUF, 5n);
    m.as.writeU64(BUF + 8, 4096n);
    expect(sys(m, NR.prlimit64, 0, 7, BUF, 0)).toBe(0);
    // Only fds 0..4 are allowed now.
    const fds = [3, 4].map(() => sys(m, NR.openat, AT_FDCWD, cstr(m, '/dev/null'), 0, 0));
    expect(fds).toEqual([3, 4]);
    expect(sys(m, NR.openat, AT_FDCWD, cstr(m, '/dev/null'), 0, 0)).toBe(-24);
    expect(sys(m, NR.prlimit64, 0, 99, 0, BUF)).toBe(-EINVAL);
  });

  it('futex: mismatch is EAGAIN, a timed wait times out, wake is 0', () => {
    const m = makeMachine();
    m.as.writeU32(BUF, 5);
    expect(sys(m, NR.futex, BUF, 128, 6, 0)).toBe(-EAGAIN); // FUTEX_WAIT_PRIVATE
    m.as.writeU64(BUF + 16, 0n);
    m.as.writeU64(BUF + 24, 1_000_000n);
    expect(sys(m, NR.futex, BUF, 128, 5, BUF + 16)).toBe(-ETIMEDOUT);
    expect(sys(m, NR.futex, BUF, 129, 1)).toBe(0); // FUTEX_WAKE_PRIVATE
  });

  it('ioctl TCGETS is ENOTTY on non-terminals', () => {
    const m = makeMachine();
    const fd = sys(m, NR.openat, AT_FDCWD, cstr(m, '/dev/null'), 0, 0);
    expect(sys(m, NR.ioctl, fd, 0x5401, BUF)).toBe(-ENOTTY);
    expect(sys(m, NR.ioctl, fd, 0x5413, BUF)).toBe(-ENOTTY);
  });

  it('/proc/self/maps lists our mappings', () => {
    const m = makeMachine();
    const fd = sys(m, NR.openat, AT_FDCWD, cstr(m, '/proc/self/maps'), 0, 0);
    expect(fd).toBeGreaterThan(0);
    const n = sys(m, NR.read, fd, BUF, 4096);
    const text = bytes(m, BUF, n).toString();
    expect(text).toContain(`${(SCRATCH).toString(16).padStart(8, '0')}-`);
    expect(text).toMatch(/rw-p/);
  });
});
