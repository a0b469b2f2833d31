//! ioctl: the terminal requests programs probe (TCGETS/TCSETS*, TIOCGWINSZ, TIOCGPGRP),
//! FIONREAD, FIONBIO and FIOCLEX/FIONCLEX. Terminal settings are remembered but not applied
//! to the host terminal; everything else is ENOTTY, as for a plain file.

import type { Machine } from '../machine.js';
import { argI, argU, readU32, stateOf, Struct } from './abi.js';
import { ENOTTY, fail } from './errno.js';
import { fdTable } from './fdtable.js';
import { O_NONBLOCK } from './flags.js';
import { PipeEnd } from './pipes.js';

const TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404;
const TIOCGPGRP = 0x540f, TIOCSPGRP = 0x5410, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
const FIONREAD = 0x541b, FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451;
const TCFLSH = 0x540b, TCXONC = 0x540a, TCSBRK = 0x5409;

/** struct termios (asm-generic): 4 flag words, c_line, c_cc[19]. */
const TERMIOS_SIZE = 36;

function defaultTermios(): Uint8Array {
  const t = new Struct(TERMIOS_SIZE);
  t.u32(0, 0x500) // c_iflag: ICRNL | IXON
    .u32(4, 0x5) // c_oflag: OPOST | ONLCR
    .u32(8, 0xbf) // c_cflag: B38400 | CS8 | CREAD
    .u32(12, 0x8a3b); // c_lflag: ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
  // c_cc: VINTR ^C, VQUIT ^\, VERASE DEL, VKILL ^U, VEOF ^D, VTIME 0, VMIN 1, VSWTC 0,
  // VSTART ^Q, VSTOP ^S, VSUSP ^Z, VEOL 0, VREPRINT ^R, VDISCARD ^O, VWERASE ^W, VLNEXT ^V.
  [3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0].forEach((c, i) => t.u8(17 + i, c));
  return t.bytes;
}

function ttyState(m: Machine): { termios: Uint8Array; winsize?: Uint8Array } {
  return stateOf(m, 'tty', () => ({ termios: defaultTermios() }));
}

function windowSize(m: Machine): Uint8Array {
  const st = ttyState(m);
  if (st.winsize !== undefined) return st.winsize;
  let rows = 24;
  let cols = 80;
  const out = process.stdout;
  if (out.isTTY && typeof out.getWindowSize === 'function') [cols, rows] = out.getWindowSize();
  return new Struct(8).u16(0, rows).u16(2, cols).bytes;
}

export function sysIoctl(m: Machine): number {
  const fd = argI(m, 0);
  const req = argU(m, 1) >>> 0;
  const arg = argU(m, 2);
  const e = fdTable(m).get(fd);
  const d = e.desc;
  switch (req) {
    case FIONBIO:
      d.flags = readU32(m, arg) !== 0 ? d.flags | O_NONBLOCK : d.flags & ~O_NONBLOCK;
      return 0;
    case FIOCLEX: e.cloexec = true; return 0;
    case FIONCLEX: e.cloexec = false; return 0;
    case FIONREAD: {
      let n = 0;
      if (d instanceof PipeEnd) n = d.pipe.size;
      else if (d.seekable && !d.isTty) n = Math.max(0, Number(d.stat().size) - d.pos);
      else if (!d.isTty) fail(ENOTTY);
      new Struct(4).i32(0, n).writeTo(m, arg);
      return 0;
    }
  }
  if (!d.isTty) fail(ENOTTY);
  const st = ttyState(m);
  switch (req) {
    case TCGETS: m.as.write(arg, st.termios); return 0;
    case TCSETS: case TCSETSW: case TCSETSF: st.termios = m.as.read(arg, TERMIOS_SIZE); return 0;
    case TIOCGWINSZ: m.as.write(arg, windowSize(m)); return 0;
    case TIOCSWINSZ: st.winsize = m.as.read(arg, 8); return 0;
    case TIOCGPGRP: new Struct(4).i32(0, process.pid).writeTo(m, arg); return 0;
    case TIOCSPGRP: readU32(m, arg); return 0;
    case TCFLSH: case TCXONC: case TCSBRK: return 0;
    default: return fail(ENOTTY);
  }
}
