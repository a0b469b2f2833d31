import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcessExit, type Machine } from '../../runtime/machine.js';
import { diagnostics } from '../../runtime/linux/abi.js';
import { FRAME_SIZE, fatalSignal, raiseSignal, sigreturnTrampoline } from '../../runtime/linux/signals.js';
import { NR, SCRATCH, STACK_TOP, bytes, makeMachine, sys } from './helpers.js';

const SIGABRT = 6, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGCHLD = 17;
const SA_SIGINFO = 4n, SA_ONSTACK = 0x08000000n, SA_NODEFER = 0x40000000n, SA_RESETHAND = 0x80000000n;
const HANDLER = 0x5_0000;
const ACT = SCRATCH + 0x2000;
const OACT = SCRATCH + 0x2100;
const SET = SCRATCH + 0x2200;
const bit = (s: number) => 1n << BigInt(s - 1);

let lines: string[];
const origWrite = diagnostics.write;
beforeEach(() => {
  lines = [];
  diagnostics.write = (l: string) => { lines.push(l); };
});
afterEach(() => { diagnostics.write = origWrite; });

function sigaction(m: Machine, sig: number, handler: bigint, flags = SA_SIGINFO, mask = 0n): number {
  m.as.writeU64(ACT, handler);
  m.as.writeU64(ACT + 8, flags);
  m.as.writeU64(ACT + 16, mask);
  return sys(m, NR.rt_sigaction, sig, ACT, 0, 8);
}

/** Fills every register with a recognisable value (sp stays a valid stack). */
function fillRegisters(m: Machine): Map<number, bigint> {
  const regs = new Map<number, bigint>();
  for (let r = 1; r < 32; r++) {
    const v = r === 2 ? BigInt(STACK_TOP - 0x100) : 0x1111_0000_0000_0000n * BigInt(r % 15 + 1) + BigInt(r);
    m.setX(r, v);
    regs.set(r, BigInt.asUintN(64, v));
  }
  for (let r = 0; r < 32; r++) m.setF(r, 0xffff_ffff_0000_0000n | BigInt(r * 7919));
  m.fflags = 0x15;
  m.frm = 3;
  return regs;
}

describe('rt_sigaction / rt_sigprocmask', () => {
  it('stores and returns actions; rejects SIGKILL and bad sizes', () => {
    const m = makeMachine();
    expect(sigaction(m, SIGUSR1, BigInt(HANDLER), SA_SIGINFO | SA_NODEFER, bit(SIGUSR2) | bit(9))).toBe(0);
    expect(sys(m, NR.rt_sigaction, SIGUSR1, 0, OACT, 8)).toBe(0);
    expect(m.as.readU64(OACT)).toBe(BigInt(HANDLER));
    expect(m.as.readU64(OACT + 8)).toBe(SA_SIGINFO | SA_NODEFER);
    expect(m.as.readU64(OACT + 16)).toBe(bit(SIGUSR2)); // SIGKILL can't be masked
    expect(sys(m, NR.rt_sigaction, 9, ACT, 0, 8)).toBe(-22);
    expect(sys(m, NR.rt_sigaction, 65, 0, OACT, 8)).toBe(-22);
    expect(sys(m, NR.rt_sigaction, SIGUSR1, 0, OACT, 16)).toBe(-22);
    m.as.writeU64(SET, bit(SIGUSR1) | bit(9));
    expect(sys(m, NR.rt_sigprocmask, 0, SET, 0, 8)).toBe(0);
    expect(sys(m, NR.rt_sigprocmask, 0, 0, OACT, 8)).toBe(0);
    expect(m.as.readU64(OACT)).toBe(bit(SIGUSR1));
    expect(sys(m, NR.rt_sigprocmask, 7, SET, 0, 8)).toBe(-22);
  });
});

describe('signal delivery and rt_sigreturn', () => {
  it('builds the riscv64 rt_sigframe and restores every register exactly', () => {
    const m = makeMachine();
    expect(sigaction(m, SIGUSR1, BigInt(HANDLER), SA_SIGINFO, bit(SIGUSR2))).toBe(0);
    const regs = fillRegisters(m);
    // kill(getpid(), SIGUSR1) from pc 0x1000: the interpreter set m.pc = ecall + 4.
    m.pc = 0x1234;
    m.setX(17, BigInt(NR.kill));
    m.setX(10, BigInt(process.pid));
    m.setX(11, BigInt(SIGUSR1));
    regs.set(17, BigInt(NR.kill));
    regs.set(11, BigInt(SIGUSR1));
    regs.set(10, 0n); // kill's result
    for (let r = 12; r < 16; r++) regs.set(r, 0n); // sys() zeroes the unused argument registers
    sys(m, NR.kill, process.pid, SIGUSR1);

    const sp = STACK_TOP - 0x100;
    const frame = Math.floor((sp - FRAME_SIZE) / 16) * 16;
    expect(m.pc).toBe(HANDLER);
    expect(m.getX(10)).toBe(BigInt(SIGUSR1));
    expect(m.getXNumber(11)).toBe(frame);
    expect(m.getXNumber(12)).toBe(frame + 128);
    expect(m.getXNumber(2)).toBe(frame);
    const tramp = sigreturnTrampoline(m);
    expect(m.getXNumber(1)).toBe(tramp);
    expect(m.as.protOf(tramp / 4096)).toBe(1 | 4);
    const code = bytes(m, tramp, 8);
    expect(code.readUInt32LE(0)).toBe(0x08b00893);
    expect(code.readUInt32LE(4)).toBe(0x00000073);

    const f = bytes(m, frame, FRAME_SIZE);
    expect(f.readInt32LE(0)).toBe(SIGUSR1);
    expect(f.readInt32LE(8)).toBe(0); // SI_USER
    expect(f.readInt32LE(16)).toBe(process.pid);
    const uc = 128;
    expect(f.readInt32LE(uc + 16 + 8)).toBe(2); // uc_stack.ss_flags = SS_DISABLE
    expect(f.readBigUInt64LE(uc + 40)).toBe(0n); // the mask before delivery
    expect(f.readBigUInt64LE(uc + 176)).toBe(0x1234n); // gregs[0] = pc
    for (let r = 1; r < 32; r++) expect(f.readBigUInt64LE(uc + 176 + 8 * r)).toBe(regs.get(r));
    for (let r = 0; r < 32; r++) expect(f.readBigUInt64LE(uc + 432 + 8 * r)).toBe(0xffff_ffff_0000_0000n | BigInt(r * 7919));
    expect(f.readUInt32LE(uc + 688)).toBe((3 << 5) | 0x15);
    // blocked during the handler: the signal itself and sa_mask
    expect(sys(m, NR.rt_sigprocmask, 0, 0, OACT, 8)).toBe(0);
    expect(m.as.readU64(OACT)).toBe(bit(SIGUSR1) | bit(SIGUSR2));

    // The handler clobbers registers, then returns to the trampoline (sp back at the frame).
    for (let r = 1; r < 32; r++) m.setX(r, 0xdeadn);
    for (let r = 0; r < 32; r++) m.setF(r, 0n);
    m.fflags = 0;
    m.frm = 0;
    m.setX(2, BigInt(frame));
    m.setX(17, 139n);
    m.pc = tramp + 8;
    sys(m, NR.rt_sigreturn);
    expect(m.pc).toBe(0x1234);
    for (let r = 1; r < 32; r++) expect(BigInt.asUintN(64, m.getX(r))).toBe(regs.get(r));
    for (let r = 0; r < 32; r++) expect(m.getF(r)).toBe(0xffff_ffff_0000_0000n | BigInt(r * 7919));
    expect(m.fflags).toBe(0x15);
    expect(m.frm).toBe(3);
    expect(sys(m, NR.rt_sigprocmask, 0, 0, OACT, 8)).toBe(0);
    expect(m.as.readU64(OACT)).toBe(0n);
  });

  it('raiseSignal delivers a fault to a handler with si_addr and the faulting pc', () => {
    const m = makeMachine();
    expect(sigaction(m, SIGSEGV, BigInt(HANDLER))).toBe(0);
    fillRegisters(m);
    m.pc = 0x10234;
    raiseSignal(m, { signo: SIGSEGV, code: 1, addr: 0x10n });
    expect(m.pc).toBe(HANDLER);
    const frame = m.getXNumber(11);
    const f = bytes(m, frame, FRAME_SIZE);
    expect(f.readInt32LE(0)).toBe(SIGSEGV);
    expect(f.readInt32LE(8)).toBe(1);
    expect(f.readBigUInt64LE(16)).toBe(0x10n);
    expect(f.readBigUInt64LE(128 + 176)).toBe(0x10234n);
  });

  it('kills with a one-line message when there is no handler, or it is ignored or blocked', () => {
    const m = makeMachine();
    m.pc = 0x10234;
    expect(() => raiseSignal(m, { signo: SIGSEGV, code: 1, addr: 0x10n })).toThrow(ProcessExit);
    expect(lines).toEqual(['rvwasm: guest killed by signal 11 (SIGSEGV, Segmentation fault) at pc 0x10234, address 0x10']);
    try {
      raiseSignal(m, { signo: 4, code: 1 });
    } catch (e) {
      expect((e as ProcessExit).status).toBe(132);
    }
    expect(lines[1]).toBe('rvwasm: guest killed by signal 4 (SIGILL, Illegal instruction) at pc 0x10234');
    expect(sigaction(m, SIGSEGV, 1n)).toBe(0); // SIG_IGN
    expect(() => raiseSignal(m, { signo: SIGSEGV, code: 2, addr: 0n })).toThrow(ProcessExit);
    expect(sigaction(m, SIGSEGV, BigInt(HANDLER))).toBe(0);
    m.as.writeU64(SET, bit(SIGSEGV));
    expect(sys(m, NR.rt_sigprocmask, 0, SET, 0, 8)).toBe(0);
    expect(() => raiseSignal(m, { signo: SIGSEGV, code: 2, addr: 0n })).toThrow(ProcessExit);
    expect(fatalSignal(m, { signo: 6, code: 0 })).toBe(134);
  });

  it('a handler with an unusable stack kills with SIGSEGV', () => {
    const m = makeMachine();
    expect(sigaction(m, SIGUSR1, BigInt(HANDLER))).toBe(0);
    m.setX(2, 0x100n);
    let status = 0;
    try {
      sys(m, NR.kill, process.pid, SIGUSR1);
    } catch (e) {
      status = (e as ProcessExit).status;
    }
    expect(status).toBe(139);
  });

  it('uses the alternate stack with SA_ONSTACK', () => {
    const m = makeMachine();
    const alt = SCRATCH + 0x20000;
    const ss = SCRATCH + 0x2300;
    m.as.writeU64(ss, BigInt(alt));
    m.as.writeU32(ss + 8, 0);
    m.as.writeU64(ss + 16, 0x8000n);
    expect(sys(m, NR.sigaltstack, ss, 0)).toBe(0);
    expect(sigaction(m, SIGUSR1, BigInt(HANDLER), SA_SIGINFO | SA_ONSTACK)).toBe(0);
    sys(m, NR.kill, process.pid, SIGUSR1);
    const frame = m.getXNumber(2);
    expect(frame).toBeGreaterThanOrEqual(alt);
    expect(frame + FRAME_SIZE).toBeLessThanOrEqual(alt + 0x8000);
    expect(frame % 16).toBe(0);
    // on the alternate stack now: changing it fails, and it reports SS_ONSTACK
    expect(sys(m, NR.sigaltstack, ss, 0)).toBe(-1);
    expect(sys(m, NR.sigaltstack, 0, SCRATCH + 0x2400)).toBe(0);
    expect(bytes(m, SCRATCH + 0x2400, 24).readInt32LE(8)).toBe(1);
    // too small
    m.as.writeU64(ss + 16, 100n);
    m.setX(2, BigInt(STACK_TOP));
    expect(sys(m, NR.sigaltstack, ss, 0)).toBe(-12);
  });

  it('SA_RESETHAND and SA_NODEFER', () => {
    const m = makeMachine();
    expect(sigaction(m, SIGUSR1, BigInt(HANDLER), SA_SIGINFO | SA_RESETHAND | SA_NODEFER)).toBe(0);
    sys(m, NR.kill, process.pid, SIGUSR1);
    expect(m.pc).toBe(HANDLER);
    expect(sys(m, NR.rt_sigprocmask, 0, 0, OACT, 8)).toBe(0);
    expect(m.as.readU64(OACT)).toBe(0n);
    expect(sys(m, NR.rt_sigaction, SIGUSR1, 0, OACT, 8)).toBe(0);
    expect(m.as.readU64(OACT)).toBe(0n);
  });

  it('blocked signals stay pending until unblocked', () => {
    const m = makeMachine();
    expect(sigaction(m, SIGUSR1, BigInt(HANDLER))).toBe(0);
    m.as.writeU64(SET, bit(SIGUSR1));
    expect(sys(m, NR.rt_sigprocmask, 0, SET, 0, 8)).toBe(0);
    m.pc = 0x2000;
    expect(sys(m, NR.tgkill, process.pid, process.pid, SIGUSR1)).toBe(0);
    expect(m.pc).toBe(0x2000);
    expect(sys(m, 136, OACT, 8)).toBe(0); // rt_sigpending
    expect(m.as.readU64(OACT)).toBe(bit(SIGUSR1));
    sys(m, NR.rt_sigprocmask, 1, SET, 0, 8); // SIG_UNBLOCK: delivered on return (a0 = signo now)
    expect(m.pc).toBe(HANDLER);
    const f = bytes(m, m.getXNumber(11), FRAME_SIZE);
    expect(f.readInt32LE(8)).toBe(-6); // SI_TKILL
    expect(f.readBigUInt64LE(128 + 176)).toBe(0x2000n);
    expect(f.readBigUInt64LE(128 + 176 + 80)).toBe(0n); // saved a0 = sigprocmask's result
  });

  it('default actions: SIGABRT kills with 134, SIGCHLD is ignored; bad targets fail', () => {
    const m = makeMachine();
    expect(sys(m, NR.kill, process.pid, SIGCHLD)).toBe(0);
    expect(sys(m, NR.kill, process.pid, 0)).toBe(0);
    expect(sys(m, NR.kill, process.pid + 1, SIGUSR1)).toBe(-3);
    expect(sys(m, NR.tkill, process.pid, 99)).toBe(-22);
    m.pc = 0x3000;
    let status = 0;
    try {
      sys(m, NR.tgkill, process.pid, process.pid, SIGABRT);
    } catch (e) {
      status = (e as ProcessExit).status;
    }
    expect(status).toBe(134);
    expect(lines).toEqual(['rvwasm: guest killed by signal 6 (SIGABRT, Aborted) at pc 0x3000']);
  });
});

describe('waiting for signals', () => {
  const SIGALRM = 14;
  function setitimer(m: Machine, usec: number, intervalUsec = 0): number {
    const it = SCRATCH + 0x2500;
    m.as.writeU64(it, 0n); m.as.writeU64(it + 8, BigInt(intervalUsec));
    m.as.writeU64(it + 16, 0n); m.as.writeU64(it + 24, BigInt(usec));
    return sys(m, 103, 0, it, 0);
  }

  it('ITIMER_REAL interrupts nanosleep with SIGALRM', () => {
    const m = makeMachine();
    expect(sigaction(m, SIGALRM, BigInt(HANDLER))).toBe(0);
    expect(setitimer(m, 20_000)).toBe(0);
    expect(sys(m, 102, 0, SCRATCH + 0x2600)).toBe(0); // getitimer: still running
    expect(m.as.readU64(SCRATCH + 0x2600 + 24) > 0n).toBe(true);
    const ts = SCRATCH + 0x2700;
    m.as.writeU64(ts, 5n); m.as.writeU64(ts + 8, 0n);
    m.pc = 0x4000;
    const t0 = performance.now();
    sys(m, NR.nanosleep, ts, ts + 16);
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(15);
    expect(took).toBeLessThan(2000);
    expect(m.pc).toBe(HANDLER);
    expect(m.getX(10)).toBe(BigInt(SIGALRM));
    const f = bytes(m, m.getXNumber(11), FRAME_SIZE);
    expect(f.readBigInt64LE(128 + 176 + 80)).toBe(-4n); // nanosleep returned -EINTR
    expect(m.as.readU64(ts + 16) >= 4n).toBe(true); // remaining seconds
  });

  it('an unhandled SIGALRM kills with status 142', () => {
    const m = makeMachine();
    expect(setitimer(m, 1000)).toBe(0);
    const ts = SCRATCH + 0x2700;
    m.as.writeU64(ts, 1n); m.as.writeU64(ts + 8, 0n);
    let status = 0;
    try {
      sys(m, NR.nanosleep, ts, 0);
    } catch (e) {
      status = (e as ProcessExit).status;
    }
    expect(status).toBe(142);
    expect(lines[0]).toMatch(/signal 14 \(SIGALRM, Alarm clock\)/);
  });

  it('rt_sigsuspend waits for the timer, saves the old mask in the frame', () => {
    const m = makeMachine();
    expect(sigaction(m, SIGALRM, BigInt(HANDLER))).toBe(0);
    m.as.writeU64(SET, bit(SIGALRM) | bit(SIGUSR2));
    expect(sys(m, NR.rt_sigprocmask, 0, SET, 0, 8)).toBe(0);
    expect(setitimer(m, 5000)).toBe(0);
    m.as.writeU64(SET, bit(SIGUSR2));
    sys(m, 133, SET, 8); // sigsuspend with only SIGUSR2 blocked
    expect(m.pc).toBe(HANDLER);
    const f = bytes(m, m.getXNumber(11), FRAME_SIZE);
    expect(f.readBigUInt64LE(128 + 40)).toBe(bit(SIGALRM) | bit(SIGUSR2));
    expect(f.readBigInt64LE(128 + 176 + 80)).toBe(-4n);
    // in the handler: suspend mask | the signal
    expect(sys(m, NR.rt_sigprocmask, 0, 0, OACT, 8)).toBe(0);
    expect(m.as.readU64(OACT)).toBe(bit(SIGALRM) | bit(SIGUSR2));
    // sigsuspend with nothing that could ever wake: EINTR and a warning, old mask back
    sys(m, 133, SET, 8);
    expect(m.getX(10)).toBe(-4n);
    expect(lines.some((l) => l.includes('would wait forever'))).toBe(true);
    expect(sys(m, NR.rt_sigprocmask, 0, 0, OACT, 8)).toBe(0);
    expect(m.as.readU64(OACT)).toBe(bit(SIGALRM) | bit(SIGUSR2));
  });

  it('rt_sigtimedwait takes a pending blocked signal or times out', () => {
    const m = makeMachine();
    m.as.writeU64(SET, bit(SIGUSR1));
    expect(sys(m, NR.rt_sigprocmask, 0, SET, 0, 8)).toBe(0);
    const ts = SCRATCH + 0x2700;
    m.as.writeU64(ts, 0n); m.as.writeU64(ts + 8, 1_000_000n);
    expect(sys(m, 137, SET, SCRATCH + 0x2800, ts, 8)).toBe(-11);
    expect(sys(m, NR.kill, process.pid, SIGUSR1)).toBe(0);
    expect(sys(m, 137, SET, SCRATCH + 0x2800, ts, 8)).toBe(SIGUSR1);
    expect(bytes(m, SCRATCH + 0x2800, 4).readInt32LE(0)).toBe(SIGUSR1);
  });
});

describe('ppoll', () => {
  it('reports pipe readiness and times out', () => {
    const m = makeMachine();
    const fds = SCRATCH + 0x3000;
    expect(sys(m, 59, fds, 0)).toBe(0);
    const r = m.as.read(fds, 8)[0], w = m.as.read(fds, 8)[4];
    const pfd = SCRATCH + 0x3100;
    const set = (i: number, fd: number, ev: number) => { m.as.writeU32(pfd + 8 * i, fd); m.as.writeU32(pfd + 8 * i + 4, ev); };
    set(0, r, 1); set(1, w, 4); set(2, 99, 1);
    expect(sys(m, 73, pfd, 3, 0, 0, 0)).toBe(2);
    const rev = (i: number) => bytes(m, pfd + 8 * i + 6, 2).readInt16LE(0);
    expect([rev(0), rev(1), rev(2)]).toEqual([0, 4, 0x20]);
    const ts = SCRATCH + 0x2700;
    m.as.writeU64(ts, 0n); m.as.writeU64(ts + 8, 5_000_000n);
    const t0 = performance.now();
    expect(sys(m, 73, pfd, 1, ts, 0, 0)).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(4);
    m.as.write(SCRATCH, new Uint8Array([1]));
    expect(sys(m, 64, w, SCRATCH, 1)).toBe(1);
    expect(sys(m, 73, pfd, 1, ts, 0, 0)).toBe(1);
    expect(rev(0)).toBe(1);
  });
});
