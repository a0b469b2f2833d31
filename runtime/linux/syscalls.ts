//! The syscall dispatcher: number (a7) -> handler, for the generic riscv64 Linux ABI
//! (asm-generic/unistd.h). Handlers read a0..a5 and return a value or throw Errno; the
//! result (or -errno) goes to a0. Pending signals are acted on as the call returns, like
//! the kernel's return to user mode. Unknown numbers give -ENOSYS with one warning each.

import type { Machine } from '../machine.js';
import { GuestFault, OutOfMemory } from '../memory.js';
import { argI, NO_RESULT, stderrLine, type SyscallResult, warnOnce } from './abi.js';
import { EFAULT, ENOMEM, ENOSYS, Errno, hostErrno, isHostError } from './errno.js';
import { fdTable } from './fdtable.js';
import * as F from './files.js';
import * as P from './fsops.js';
import * as I from './info.js';
import { sysIoctl } from './ioctl.js';
import * as M from './mm.js';
import { syscallName } from './names.js';
import * as Proc from './process.js';
import * as S from './signals.js';
import * as T from './time.js';
import * as Tm from './timers.js';
import * as W from './wait.js';

export type Handler = (m: Machine) => SyscallResult;

const ok: Handler = () => 0;
/** Calls that only need a valid fd. */
const okFd: Handler = (m) => {
  fdTable(m).get(argI(m, 0));
  return 0;
};

const TABLE = new Map<number, Handler>([
  [17, P.sysGetcwd],
  [23, F.sysDup],
  [24, F.sysDup3],
  [25, F.sysFcntl],
  [29, sysIoctl],
  [32, okFd], // flock: no other process shares our files
  [34, P.sysMkdirat],
  [35, P.sysUnlinkat],
  [36, P.sysSymlinkat],
  [37, P.sysLinkat],
  [38, P.sysRenameat],
  [43, P.sysStatfs],
  [44, P.sysFstatfs],
  [45, P.sysTruncate],
  [46, F.sysFtruncate],
  [48, P.sysFaccessat],
  [49, P.sysChdir],
  [50, P.sysFchdir],
  [52, P.sysFchmod],
  [53, P.sysFchmodat],
  [54, P.sysFchownat],
  [55, P.sysFchown],
  [56, P.sysOpenat],
  [57, F.sysClose],
  [59, F.sysPipe2],
  [61, F.sysGetdents64],
  [62, F.sysLseek],
  [63, F.sysRead],
  [64, F.sysWrite],
  [65, F.sysReadv],
  [66, F.sysWritev],
  [67, F.sysPread64],
  [68, F.sysPwrite64],
  [69, F.sysPreadv],
  [70, F.sysPwritev],
  [71, F.sysSendfile],
  [73, W.sysPpoll],
  [78, P.sysReadlinkat],
  [79, P.sysNewfstatat],
  [80, F.sysFstat],
  [81, ok], // sync
  [82, F.sysFsync],
  [83, F.sysFsync], // fdatasync
  [88, P.sysUtimensat],
  [93, Proc.sysExit],
  [94, Proc.sysExit], // exit_group: one thread
  [96, Proc.sysSetTidAddress],
  [98, Proc.sysFutex],
  [99, Proc.sysSetRobustList],
  [100, Proc.sysGetRobustList],
  [101, W.sysNanosleep],
  [102, Tm.sysGetitimer],
  [103, Tm.sysSetitimer],
  [113, T.sysClockGettime],
  [114, T.sysClockGetres],
  [115, W.sysClockNanosleep],
  [120, I.sysSchedGetscheduler],
  [121, I.sysSchedGetparam],
  [122, I.sysSchedSetaffinity],
  [123, I.sysSchedGetaffinity],
  [124, ok], // sched_yield
  [125, I.sysSchedGetPriorityMax],
  [126, I.sysSchedGetPriorityMin],
  [129, S.sysKill],
  [130, S.sysTkill],
  [131, S.sysTgkill],
  [132, S.sysSigaltstack],
  [133, W.sysRtSigsuspend],
  [134, S.sysRtSigaction],
  [135, S.sysRtSigprocmask],
  [136, S.sysRtSigpending],
  [137, W.sysRtSigtimedwait],
  [139, S.sysRtSigreturn],
  [140, Proc.sysSetpriority],
  [141, Proc.sysGetpriority],
  [144, Proc.sysSetgid],
  [146, Proc.sysSetuid],
  [148, Proc.sysGetresuid],
  [150, Proc.sysGetresgid],
  [153, T.sysTimes],
  [154, Proc.sysSetpgid],
  [155, Proc.sysGetpgid],
  [156, Proc.sysGetsid],
  [157, Proc.sysSetsid],
  [158, Proc.sysGetgroups],
  [160, I.sysUname],
  [163, I.sysGetrlimit],
  [164, I.sysSetrlimit],
  [165, T.sysGetrusage],
  [166, P.sysUmask],
  [167, Proc.sysPrctl],
  [168, I.sysGetcpu],
  [169, T.sysGettimeofday],
  [172, Proc.sysGetpid],
  [173, Proc.sysGetppid],
  [174, Proc.sysGetuid],
  [175, Proc.sysGeteuid],
  [176, Proc.sysGetgid],
  [177, Proc.sysGetegid],
  [178, Proc.sysGettid],
  [179, I.sysSysinfo],
  [214, M.sysBrk],
  [215, M.sysMunmap],
  [216, M.sysMremap],
  [222, M.sysMmap],
  [223, okFd], // fadvise64
  [226, M.sysMprotect],
  [227, M.sysMsync],
  [228, M.sysMappedRangeNoop], // mlock
  [229, M.sysMappedRangeNoop], // munlock
  [230, ok], // mlockall
  [231, ok], // munlockall
  [232, M.sysMincore],
  [233, M.sysMadvise],
  [258, Proc.sysNotProvided], // riscv_hwprobe: glibc falls back
  [259, Proc.sysRiscvFlushIcache],
  [261, I.sysPrlimit64],
  [276, P.sysRenameat2],
  [278, I.sysGetrandom],
  [283, Proc.sysNotProvided], // membarrier
  [284, M.sysMappedRangeNoop], // mlock2
  [291, P.sysStatx],
  [293, Proc.sysNotProvided], // rseq: glibc copes
  [436, F.sysCloseRange],
  [439, P.sysFaccessat2],
]);

/** The handler for a syscall number (for tests and tools). */
export function syscallHandler(nr: number): Handler | undefined {
  return TABLE.get(nr);
}

const STRACE = process.env.RVWASM_STRACE !== undefined && process.env.RVWASM_STRACE !== '';

function showArg(v: bigint): string {
  const s = BigInt.asIntN(64, v);
  return s < 0n && s > -65536n ? s.toString() : '0x' + BigInt.asUintN(64, v).toString(16);
}

/** -errno for an exception thrown by a handler; rethrows what is not a syscall failure. */
function errnoOf(e: unknown): number {
  if (e instanceof Errno) return e.errno;
  if (e instanceof GuestFault) return EFAULT;
  if (e instanceof OutOfMemory) return ENOMEM;
  if (isHostError(e)) return hostErrno(e);
  throw e;
}

/** Executes the ecall whose number is in a7 and arguments in a0..a5; writes the result (or -errno) to a0.
 * Before calling, the interpreter has set m.pc to the ecall's pc + 4 and written back every register; after
 * the call it resumes at m.pc (so rt_sigreturn and signal delivery just set m.pc and registers).
 * Throws ProcessExit for exit/exit_group and for fatal signals. */
export function syscall(m: Machine): void {
  const raw = m.getX(17);
  const nr = raw >= 0n && raw < 0x10000n ? Number(raw) : -1;
  const handler = TABLE.get(nr);
  const traced = STRACE ? [0, 1, 2].map((i) => showArg(m.getX(10 + i))).join(', ') : '';
  let result: SyscallResult;
  if (handler === undefined) {
    const shown = nr >= 0 ? String(nr) : BigInt.asIntN(64, raw).toString();
    warnOnce(m, `syscall ${shown}`, `unsupported syscall ${shown} (${syscallName(nr)})`);
    result = -ENOSYS;
  } else {
    try {
      result = handler(m);
    } catch (e) {
      result = -errnoOf(e);
    }
  }
  if (result !== NO_RESULT) m.setX(10, typeof result === 'bigint' ? result : BigInt(result));
  if (STRACE) stderrLine(`[strace] ${syscallName(nr)}(${traced}, ...) = ${result === NO_RESULT ? '?' : String(result)}`);
  Tm.checkTimers(m);
  S.deliverPending(m);
}
