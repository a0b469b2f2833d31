//! Signals: per-signal actions (rt_sigaction), the blocked mask, pending signals, the
//! alternate stack, delivery (the riscv64 rt_sigframe: siginfo + ucontext on the guest
//! stack, like the kernel's setup_rt_frame) and rt_sigreturn. Handlers return through a
//! page of ours holding `li a7, 139; ecall` (riscv64 has no SA_RESTORER: the kernel uses the
//! vDSO's __vdso_rt_sigreturn, which we don't provide).

import { type Machine, ProcessExit } from '../machine.js';
import { GuestFault, PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory.js';
import {
  argI, argU, checkAccess, NO_RESULT, type SyscallResult, stateOf, stderrLine, Struct,
} from './abi.js';
import { EINVAL, ENOMEM, EPERM, ESRCH, fail } from './errno.js';
import { mapAnywhere } from './mm.js';

export interface SignalInfo { signo: number; code: number; addr?: bigint }

export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7;
export const SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13;
export const SIGALRM = 14, SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20;
export const SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGWINCH = 28, SIGSYS = 31;
export const NSIG = 64;

export const SI_USER = 0;
export const SI_KERNEL = 0x80;
export const SI_TKILL = -6;

export const SIG_DFL = 0n;
export const SIG_IGN = 1n;

export const SA_NOCLDSTOP = 0x1n;
export const SA_NOCLDWAIT = 0x2n;
export const SA_SIGINFO = 0x4n;
export const SA_EXPOSE_TAGBITS = 0x800n;
export const SA_ONSTACK = 0x08000000n;
export const SA_RESTART = 0x10000000n;
export const SA_NODEFER = 0x40000000n;
export const SA_RESETHAND = 0x80000000n;
const SA_KNOWN = SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_EXPOSE_TAGBITS | SA_ONSTACK | SA_RESTART |
  SA_NODEFER | SA_RESETHAND;

export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;
export const SS_AUTODISARM = 0x80000000 | 0;
export const MINSIGSTKSZ = 2048;

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;

// ---- frame layout (checked against sys/ucontext.h and asm/sigcontext.h for riscv64) ----
const SIGINFO_SIZE = 128;
const UC_OFF = SIGINFO_SIZE; // struct rt_sigframe { siginfo_t info; struct ucontext uc; }
const UC_STACK = 16; // stack_t: ss_sp, ss_flags (+pad), ss_size
const UC_SIGMASK = 40; // 8 bytes of kernel sigset, then 120 bytes of padding
const UC_MCONTEXT = 176; // 16-byte aligned: __gregs[32] (pc, x1..x31)
const UC_FPREGS = UC_MCONTEXT + 256; // f[32] as u64, then fcsr (union sized for Q: 528 bytes)
const UC_FCSR = UC_FPREGS + 256;
const UC_SIZE = UC_FPREGS + 528; // 960
export const FRAME_SIZE = SIGINFO_SIZE + UC_SIZE; // 1088

const LI_A7_139 = 0x08b00893;
const ECALL = 0x00000073;

const bit = (sig: number) => 1n << BigInt(sig - 1);
const UNBLOCKABLE = bit(SIGKILL) | bit(SIGSTOP);
const MASK64 = (1n << 64n) - 1n;

interface Action {
  handler: bigint;
  flags: bigint;
  mask: bigint;
}

interface SignalState {
  actions: Action[];
  blocked: bigint;
  pending: Map<number, SignalInfo>;
  alt: { sp: number; size: number; flags: number };
  trampoline: number;
  /** The mask to restore after a sigsuspend-like call (saved in the next frame instead of `blocked`). */
  savedMask: bigint | undefined;
}

function sigState(m: Machine): SignalState {
  return stateOf(m, 'signals', () => ({
    actions: Array.from({ length: NSIG + 1 }, () => ({ handler: SIG_DFL, flags: 0n, mask: 0n })),
    blocked: 0n,
    pending: new Map<number, SignalInfo>(),
    alt: { sp: 0, size: 0, flags: SS_DISABLE },
    trampoline: 0,
    savedMask: undefined,
  }));
}

/** The address of our `li a7,139; ecall` page, mapped (read+exec) on first use. */
export function sigreturnTrampoline(m: Machine): number {
  const st = sigState(m);
  if (st.trampoline === 0) {
    const addr = mapAnywhere(m, 1, PROT_READ | PROT_EXEC);
    const code = new Struct(8).u32(0, LI_A7_139).u32(4, ECALL);
    m.as.write(addr, code.bytes, true);
    st.trampoline = addr;
  }
  return st.trampoline;
}

/** The blocked-signal mask (for tests and /proc). */
export function blockedMask(m: Machine): bigint {
  return sigState(m).blocked;
}

// ---- names and default actions ----

const NAMES: [string, string][] = [
  ['', ''], ['SIGHUP', 'Hangup'], ['SIGINT', 'Interrupt'], ['SIGQUIT', 'Quit'],
  ['SIGILL', 'Illegal instruction'], ['SIGTRAP', 'Trace/breakpoint trap'], ['SIGABRT', 'Aborted'],
  ['SIGBUS', 'Bus error'], ['SIGFPE', 'Floating point exception'], ['SIGKILL', 'Killed'],
  ['SIGUSR1', 'User defined signal 1'], ['SIGSEGV', 'Segmentation fault'], ['SIGUSR2', 'User defined signal 2'],
  ['SIGPIPE', 'Broken pipe'], ['SIGALRM', 'Alarm clock'], ['SIGTERM', 'Terminated'], ['SIGSTKFLT', 'Stack fault'],
  ['SIGCHLD', 'Child exited'], ['SIGCONT', 'Continued'], ['SIGSTOP', 'Stopped (signal)'], ['SIGTSTP', 'Stopped'],
  ['SIGTTIN', 'Stopped (tty input)'], ['SIGTTOU', 'Stopped (tty output)'], ['SIGURG', 'Urgent I/O condition'],
  ['SIGXCPU', 'CPU time limit exceeded'], ['SIGXFSZ', 'File size limit exceeded'],
  ['SIGVTALRM', 'Virtual timer expired'], ['SIGPROF', 'Profiling timer expired'], ['SIGWINCH', 'Window changed'],
  ['SIGIO', 'I/O possible'], ['SIGPWR', 'Power failure'], ['SIGSYS', 'Bad system call'],
];

export function signalName(sig: number): [string, string] {
  if (sig > 0 && sig < NAMES.length) return NAMES[sig];
  if (sig >= 32 && sig <= NSIG) return [`SIGRT${sig - 32}`, `Real-time signal ${sig - 32}`];
  return [`SIG${sig}`, `Unknown signal ${sig}`];
}

/** Signals whose default action is to do nothing (stop signals too: we can't stop). */
function defaultIgnored(sig: number): boolean {
  return sig === SIGCHLD || sig === SIGCONT || sig === SIGURG || sig === SIGWINCH ||
    sig === SIGSTOP || sig === SIGTSTP || sig === SIGTTIN || sig === SIGTTOU;
}

/** Writes the message and returns the status for a fatal signal, for callers that need it. */
export function fatalSignal(m: Machine, info: SignalInfo): number {
  const [name, desc] = signalName(info.signo);
  const addr = info.addr !== undefined ? `, address 0x${BigInt.asUintN(64, info.addr).toString(16)}` : '';
  stderrLine(`rvwasm: guest killed by signal ${info.signo} (${name}, ${desc}) at pc 0x${m.pc.toString(16)}${addr}`);
  return 128 + info.signo;
}

function die(m: Machine, info: SignalInfo): never {
  throw new ProcessExit(fatalSignal(m, info));
}

// ---- delivery ----

function onAltStack(st: SignalState, sp: number): boolean {
  if (st.alt.flags & SS_AUTODISARM) return false;
  return st.alt.size > 0 && sp > st.alt.sp && sp - st.alt.sp <= st.alt.size;
}

function altFlagsFor(st: SignalState, sp: number): number {
  if (st.alt.size === 0) return SS_DISABLE;
  return (onAltStack(st, sp) ? SS_ONSTACK : 0) | (st.alt.flags & SS_AUTODISARM);
}

/**
 * Raises a synchronous signal for the guest (m.pc = faulting pc, registers exact). With a
 * handler installed, sets up its frame and returns; otherwise (SIG_DFL, or the signal is
 * blocked or ignored, which the kernel turns into SIG_DFL for faults) the process dies.
 */
export function raiseSignal(m: Machine, info: SignalInfo): void {
  const st = sigState(m);
  const act = st.actions[info.signo];
  const blocked = (st.blocked & bit(info.signo)) !== 0n;
  if (act === undefined || blocked || act.handler === SIG_DFL || act.handler === SIG_IGN) {
    if (act !== undefined && !blocked && act.handler !== SIG_IGN && defaultIgnored(info.signo)) return;
    die(m, info);
  }
  deliver(m, st, info);
}

/** Builds the rt_sigframe and enters the handler of `info.signo`. */
function deliver(m: Machine, st: SignalState, info: SignalInfo): void {
  const sig = info.signo;
  const act = st.actions[sig];
  const userSp = m.getXNumber(2);
  let sp = userSp;
  const useAlt = (act.flags & SA_ONSTACK) !== 0n && st.alt.size > 0 && !onAltStack(st, sp);
  if (useAlt) sp = st.alt.sp + st.alt.size;
  const frame = Math.floor((sp - FRAME_SIZE) / 16) * 16;

  const f = new Struct(FRAME_SIZE);
  f.bytes.set(encodeSiginfo(info).bytes, 0);
  // ucontext
  const uc = UC_OFF;
  f.u64(uc + UC_STACK, st.alt.sp).i32(uc + UC_STACK + 8, altFlagsFor(st, userSp)).u64(uc + UC_STACK + 16, st.alt.size);
  f.u64(uc + UC_SIGMASK, st.savedMask ?? st.blocked);
  f.u64(uc + UC_MCONTEXT, m.pc);
  for (let r = 1; r < 32; r++) f.u64(uc + UC_MCONTEXT + 8 * r, m.getX(r));
  for (let r = 0; r < 32; r++) f.u64(uc + UC_FPREGS + 8 * r, m.getF(r));
  f.u32(uc + UC_FCSR, ((m.frm & 7) << 5) | (m.fflags & 0x1f));

  try {
    checkAccess(m, frame, FRAME_SIZE, PROT_READ | PROT_WRITE);
    m.as.write(frame, f.bytes);
  } catch {
    // The kernel's force_sigsegv: no usable stack for the frame.
    die(m, { signo: SIGSEGV, code: SI_KERNEL });
  }
  if (useAlt && st.alt.flags & SS_AUTODISARM) st.alt = { sp: 0, size: 0, flags: SS_DISABLE };
  st.savedMask = undefined;

  let blocked = st.blocked | act.mask;
  if ((act.flags & SA_NODEFER) === 0n) blocked |= bit(sig);
  st.blocked = blocked & ~UNBLOCKABLE;
  const handler = act.handler;
  if (act.flags & SA_RESETHAND) st.actions[sig] = { handler: SIG_DFL, flags: act.flags & ~SA_SIGINFO, mask: act.mask };

  m.setX(10, BigInt(sig));
  m.setX(11, BigInt(frame));
  m.setX(12, BigInt(frame + UC_OFF));
  m.setX(2, BigInt(frame));
  m.setX(1, BigInt(sigreturnTrampoline(m)));
  m.pc = Number(BigInt.asUintN(64, handler));
  m.clearReservation();
}

/**
 * Generates an asynchronous signal for the process (kill, tgkill, SIGPIPE...): it becomes
 * pending and is acted on when the current syscall returns (see deliverPending).
 */
export function sendSignal(m: Machine, info: SignalInfo): void {
  const st = sigState(m);
  const sig = info.signo;
  if (sig === SIGKILL) die(m, info);
  const blocked = (st.blocked & bit(sig)) !== 0n;
  const act = st.actions[sig];
  if (!blocked && (act.handler === SIG_IGN || (act.handler === SIG_DFL && defaultIgnored(sig)))) return;
  if (!st.pending.has(sig)) st.pending.set(sig, info);
}

/** Acts on pending signals that are not blocked: the default action, or entering the handler. */
export function deliverPending(m: Machine): void {
  const st = m.linux.signals as SignalState | undefined;
  if (st === undefined) return;
  if (st.pending.size > 0) deliverLoop(m, st);
  if (st.savedMask !== undefined) {
    // A sigsuspend-like call whose signal did not reach a handler: back to the old mask.
    st.blocked = st.savedMask;
    st.savedMask = undefined;
  }
}

/** True if a pending signal would be acted on now (not blocked, not ignored). */
export function pendingDeliverable(m: Machine): boolean {
  const st = m.linux.signals as SignalState | undefined;
  if (st === undefined) return false;
  for (const sig of st.pending.keys()) {
    if (st.blocked & bit(sig)) continue;
    const h = st.actions[sig].handler;
    if (h === SIG_IGN || (h === SIG_DFL && defaultIgnored(sig))) continue;
    return true;
  }
  return false;
}

/** Sets the blocked mask for a sigsuspend-like wait; the old one returns when the call does. */
export function suspendMask(m: Machine, mask: bigint): void {
  const st = sigState(m);
  st.savedMask = st.blocked;
  st.blocked = mask & ~UNBLOCKABLE;
}

/** Takes the lowest pending signal in `set` (sigtimedwait), or undefined. */
export function takePending(m: Machine, set: bigint): SignalInfo | undefined {
  const st = sigState(m);
  const sigs = [...st.pending.keys()].filter((s) => set & bit(s)).sort((a, b) => a - b);
  if (sigs.length === 0) return undefined;
  const info = st.pending.get(sigs[0])!;
  st.pending.delete(sigs[0]);
  return info;
}

/** The siginfo_t for `info` (128 bytes). */
export function encodeSiginfo(info: SignalInfo): Struct {
  const f = new Struct(SIGINFO_SIZE);
  f.i32(0, info.signo).i32(4, 0).i32(8, info.code);
  if (info.addr !== undefined) f.u64(16, info.addr);
  else if (info.code <= 0) f.u32(16, process.pid).u32(20, process.getuid?.() ?? 0);
  return f;
}

function deliverLoop(m: Machine, st: SignalState): void {
  for (;;) {
    let sig = 0;
    for (const s of [...st.pending.keys()].sort((a, b) => a - b)) {
      if ((st.blocked & bit(s)) === 0n) {
        sig = s;
        break;
      }
    }
    if (sig === 0) return;
    const info = st.pending.get(sig)!;
    st.pending.delete(sig);
    const act = st.actions[sig];
    if (act.handler === SIG_IGN) continue;
    if (act.handler === SIG_DFL) {
      if (defaultIgnored(sig)) continue;
      die(m, info);
    }
    deliver(m, st, info);
  }
}

// ---- syscalls ----

function validSignal(sig: number): boolean {
  return sig >= 1 && sig <= NSIG;
}

export function sysRtSigaction(m: Machine): number {
  const sig = argI(m, 0);
  const act = argU(m, 1);
  const oact = argU(m, 2);
  if (argU(m, 3) !== 8 || !validSignal(sig)) fail(EINVAL);
  if (act !== 0 && (sig === SIGKILL || sig === SIGSTOP)) fail(EINVAL);
  const st = sigState(m);
  let next: Action | undefined;
  if (act !== 0) {
    const s = Struct.read(m, act, 24);
    next = { handler: s.getU64(0), flags: s.getU64(8) & SA_KNOWN, mask: s.getU64(16) & ~UNBLOCKABLE };
  }
  if (oact !== 0) {
    const cur = st.actions[sig];
    new Struct(24).u64(0, cur.handler).u64(8, cur.flags).u64(16, cur.mask).writeTo(m, oact);
  }
  if (next !== undefined) {
    if (next.handler !== SIG_DFL && next.handler !== SIG_IGN) sigreturnTrampoline(m);
    st.actions[sig] = next;
    if (next.handler === SIG_IGN || (next.handler === SIG_DFL && defaultIgnored(sig))) st.pending.delete(sig);
  }
  return 0;
}

export function sysRtSigprocmask(m: Machine): number {
  const how = argI(m, 0);
  const set = argU(m, 1);
  const oset = argU(m, 2);
  if (argU(m, 3) !== 8) fail(EINVAL);
  const st = sigState(m);
  let mask: bigint | undefined;
  if (set !== 0) {
    if (how !== SIG_BLOCK && how !== SIG_UNBLOCK && how !== SIG_SETMASK) fail(EINVAL);
    mask = Struct.read(m, set, 8).getU64(0);
  }
  if (oset !== 0) new Struct(8).u64(0, st.blocked).writeTo(m, oset);
  if (mask !== undefined) {
    if (how === SIG_BLOCK) st.blocked |= mask;
    else if (how === SIG_UNBLOCK) st.blocked &= ~mask & MASK64;
    else st.blocked = mask;
    st.blocked &= ~UNBLOCKABLE;
  }
  return 0;
}

export function sysRtSigpending(m: Machine): number {
  if (argU(m, 1) !== 8) fail(EINVAL);
  const st = sigState(m);
  let set = 0n;
  for (const s of st.pending.keys()) set |= bit(s);
  new Struct(8).u64(0, set & st.blocked).writeTo(m, argU(m, 0));
  return 0;
}

function setAltStack(st: SignalState, sp: number, ss: Struct): number {
  if (onAltStack(st, sp)) return -EPERM;
  const flags = ss.getI32(8);
  const mode = flags & ~SS_AUTODISARM;
  if (mode !== 0 && mode !== SS_DISABLE && mode !== SS_ONSTACK) return -EINVAL;
  if (mode === SS_DISABLE) {
    st.alt = { sp: 0, size: 0, flags: SS_DISABLE };
    return 0;
  }
  const size = Number(ss.getU64(16));
  if (size < MINSIGSTKSZ) return -ENOMEM;
  st.alt = { sp: Number(ss.getU64(0)), size, flags: flags & SS_AUTODISARM };
  return 0;
}

export function sysSigaltstack(m: Machine): number {
  const ss = argU(m, 0);
  const oss = argU(m, 1);
  const st = sigState(m);
  const sp = m.getXNumber(2);
  const old = new Struct(24).u64(0, st.alt.sp).i32(8, altFlagsFor(st, sp)).u64(16, st.alt.size);
  if (ss !== 0) {
    const r = setAltStack(st, sp, Struct.read(m, ss, 24));
    if (r < 0) return r;
  }
  if (oss !== 0) old.writeTo(m, oss);
  return 0;
}

export function sysRtSigreturn(m: Machine): SyscallResult {
  const st = sigState(m);
  const frame = m.getXNumber(2);
  let uc: Struct;
  try {
    uc = Struct.read(m, frame + UC_OFF, UC_SIZE);
  } catch (e) {
    if (e instanceof GuestFault) die(m, { signo: SIGSEGV, code: SI_KERNEL });
    throw e;
  }
  st.blocked = uc.getU64(UC_SIGMASK) & ~UNBLOCKABLE;
  for (let r = 1; r < 32; r++) m.setX(r, uc.getU64(UC_MCONTEXT + 8 * r));
  for (let r = 0; r < 32; r++) m.setF(r, uc.getU64(UC_FPREGS + 8 * r));
  const fcsr = uc.getU32(UC_FCSR);
  m.fflags = fcsr & 0x1f;
  m.frm = (fcsr >> 5) & 7;
  m.pc = Number(uc.getU64(UC_MCONTEXT));
  // restore_altstack: errors are ignored.
  const ss = new Struct(24).u64(0, uc.getU64(UC_STACK)).i32(8, uc.getI32(UC_STACK + 8)).u64(16, uc.getU64(UC_STACK + 16));
  setAltStack(st, m.getXNumber(2), ss);
  m.clearReservation();
  return NO_RESULT;
}

function checkTarget(sig: number): void {
  if (sig < 0 || sig > NSIG) fail(EINVAL);
}

export function sysKill(m: Machine): number {
  const pid = argI(m, 0);
  const sig = argI(m, 1);
  checkTarget(sig);
  const self = pid === process.pid || pid === 0 || pid === -1 || pid === -process.pid;
  if (!self) fail(ESRCH);
  if (sig !== 0) sendSignal(m, { signo: sig, code: SI_USER });
  return 0;
}

export function sysTkill(m: Machine): number {
  const tid = argI(m, 0);
  const sig = argI(m, 1);
  if (tid <= 0) fail(EINVAL);
  checkTarget(sig);
  if (tid !== process.pid) fail(ESRCH);
  if (sig !== 0) sendSignal(m, { signo: sig, code: SI_TKILL });
  return 0;
}

export function sysTgkill(m: Machine): number {
  const tgid = argI(m, 0);
  const tid = argI(m, 1);
  const sig = argI(m, 2);
  if (tgid <= 0 || tid <= 0) fail(EINVAL);
  checkTarget(sig);
  if (tid !== process.pid || tgid !== process.pid) fail(ESRCH);
  if (sig !== 0) sendSignal(m, { signo: sig, code: SI_TKILL });
  return 0;
}
