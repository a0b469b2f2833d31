//! In-process pipes (Node has no pipe(2)). The guest is one thread, so a pipe is just a
//! byte queue: a read of an empty pipe with writers left would block forever on Linux;
//! here it fails with EAGAIN (with a one-time warning unless O_NONBLOCK). Writes never
//! block (the queue grows); writing with no reader left fails with EPIPE (the caller
//! raises SIGPIPE).

import { Description, type StatInfo, syntheticStat } from './description.js';
import { EAGAIN, EPIPE, fail } from './errno.js';
import { O_NONBLOCK, O_RDONLY, O_WRONLY, S_IFIFO } from './flags.js';

let nextIno = 1000n;

export class Pipe {
  readonly chunks: Uint8Array[] = [];
  size = 0;
  readers = 0;
  writers = 0;
  readonly ino = nextIno++;
  /** Set when a blocking read found the pipe empty (the caller may warn). */
  wouldBlock = false;
}

export class PipeEnd extends Description {
  constructor(readonly pipe: Pipe, readonly isWriteEnd: boolean, flags: number) {
    super((isWriteEnd ? O_WRONLY : O_RDONLY) | (flags & O_NONBLOCK));
    if (isWriteEnd) pipe.writers++;
    else pipe.readers++;
  }

  override read(max: number): Uint8Array {
    const p = this.pipe;
    if (p.size === 0) {
      if (p.writers === 0) return new Uint8Array(0);
      if ((this.flags & O_NONBLOCK) === 0) p.wouldBlock = true;
      fail(EAGAIN);
    }
    const n = Math.min(max, p.size);
    const out = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const c = p.chunks[0];
      const take = Math.min(c.length, n - done);
      out.set(c.subarray(0, take), done);
      done += take;
      if (take === c.length) p.chunks.shift();
      else p.chunks[0] = c.subarray(take);
    }
    p.size -= n;
    return out;
  }

  override write(data: Uint8Array): number {
    const p = this.pipe;
    if (p.readers === 0) fail(EPIPE);
    if (data.length > 0) {
      p.chunks.push(data.slice());
      p.size += data.length;
    }
    return data.length;
  }

  stat(): StatInfo {
    return syntheticStat(S_IFIFO | 0o600, this.pipe.ino);
  }

  override describe(): string {
    return `pipe:[${this.pipe.ino}]`;
  }

  override release(): void {
    if (this.isWriteEnd) this.pipe.writers--;
    else this.pipe.readers--;
  }
}

/** A new pipe's read and write ends. */
export function makePipe(flags: number): [PipeEnd, PipeEnd] {
  const p = new Pipe();
  return [new PipeEnd(p, false, flags), new PipeEnd(p, true, flags)];
}
