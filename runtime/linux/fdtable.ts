//! The guest's fd table: our own numbers (lowest free first, like Linux) mapping to shared
//! open file descriptions, plus the close-on-exec bit. Guest fds 0, 1, 2 start out as the
//! host's 0, 1, 2; closing them in the guest never closes the host's.

import type { Machine } from '../machine.js';
import { stateOf } from './abi.js';
import type { Description } from './description.js';
import { EBADF, EMFILE, fail } from './errno.js';
import { O_RDONLY, O_RDWR, O_WRONLY } from './flags.js';
import { HostFile } from './hostfile.js';

export interface FdEntry {
  desc: Description;
  cloexec: boolean;
}

export class FdTable {
  private readonly fds: (FdEntry | undefined)[] = [];
  /** RLIMIT_NOFILE (soft): fds must stay below it. */
  limit = 1024;

  get(fd: number): FdEntry {
    const e = fd >= 0 ? this.fds[fd] : undefined;
    if (e === undefined) fail(EBADF);
    return e;
  }

  desc(fd: number): Description {
    return this.get(fd).desc;
  }

  has(fd: number): boolean {
    return fd >= 0 && this.fds[fd] !== undefined;
  }

  /** Installs `desc` at the lowest free fd >= min. */
  alloc(desc: Description, cloexec: boolean, min = 0): number {
    let fd = min;
    while (fd < this.limit && this.fds[fd] !== undefined) fd++;
    if (fd >= this.limit) fail(EMFILE);
    this.install(fd, desc, cloexec);
    return fd;
  }

  /** Installs `desc` at `fd`, closing what was there. */
  install(fd: number, desc: Description, cloexec: boolean): void {
    desc.refs++;
    const old = this.fds[fd];
    this.fds[fd] = { desc, cloexec };
    if (old !== undefined) this.drop(old.desc);
  }

  close(fd: number): void {
    const e = this.get(fd);
    this.fds[fd] = undefined;
    this.drop(e.desc);
  }

  private drop(d: Description): void {
    if (--d.refs === 0) d.release();
  }

  /** Open fds in increasing order. */
  *open(): IterableIterator<[number, FdEntry]> {
    for (let fd = 0; fd < this.fds.length; fd++) {
      const e = this.fds[fd];
      if (e !== undefined) yield [fd, e];
    }
  }
}

export function fdTable(m: Machine): FdTable {
  return stateOf(m, 'fds', () => {
    const t = new FdTable();
    const modes = [O_RDONLY, O_WRONLY, O_WRONLY];
    for (let fd = 0; fd < 3; fd++) {
      const h = HostFile.inherit(fd, modes[fd]);
      if (h === undefined) continue;
      if (h.isTty) h.flags = O_RDWR;
      t.install(fd, h, false);
    }
    return t;
  });
}
