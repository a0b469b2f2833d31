//! Descriptions backed by a host file descriptor: regular files and block devices (our own
//! position, positioned I/O), directories (listing for getdents64), and streams (ttys,
//! pipes, character devices, and the inherited stdio fds: the host's position is used).

import {
  closeSync, fstatSync, fsyncSync, ftruncateSync, lstatSync, readSync, readdirSync, readlinkSync, writeSync,
  type Dirent,
} from 'node:fs';
import { isatty } from 'node:tty';
import { sleepMs } from './abi.js';
import { type DirEntry, Description, type StatInfo, statInfoOf } from './description.js';
import { EINVAL, EISDIR, ENXIO, fail, isHostError } from './errno.js';
import { O_APPEND, O_NONBLOCK } from './flags.js';

export type HostKind = 'file' | 'dir' | 'stream';

export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;
export const SEEK_DATA = 3;
export const SEEK_HOLE = 4;

// d_type values.
const DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10, DT_SOCK = 12;

function direntType(d: Dirent): number {
  if (d.isFile()) return DT_REG;
  if (d.isDirectory()) return DT_DIR;
  if (d.isSymbolicLink()) return DT_LNK;
  if (d.isFIFO()) return DT_FIFO;
  if (d.isCharacterDevice()) return DT_CHR;
  if (d.isBlockDevice()) return DT_BLK;
  if (d.isSocket()) return DT_SOCK;
  return 0;
}

/** Retries a host call that fails with EAGAIN (non-blocking host fds) unless the guest asked for O_NONBLOCK. */
function retryAgain<T>(nonblock: boolean, f: () => T): T {
  for (;;) {
    try {
      return f();
    } catch (e) {
      if (!isHostError(e) || e.code !== 'EAGAIN' || nonblock) throw e;
      sleepMs(1);
    }
  }
}

export class HostFile extends Description {
  private tty: boolean | undefined;
  private entries: DirEntry[] | undefined;

  constructor(
    readonly fd: number,
    /** False for the inherited stdio fds, which we never close. */
    private readonly owns: boolean,
    flags: number,
    public kind: HostKind,
    host?: string,
    guest?: string,
    /** The host fd was opened with O_APPEND. */
    private readonly hostAppend = (flags & O_APPEND) !== 0,
  ) {
    super(flags, host, guest);
  }

  /** A description for an inherited host fd (0, 1, 2). */
  static inherit(fd: number, flags: number): HostFile | undefined {
    let regular: boolean;
    try {
      regular = fstatSync(fd).isFile();
    } catch {
      return undefined;
    }
    const h = new HostFile(fd, false, flags, 'stream', undefined, undefined, false);
    h.regularStream = regular;
    return h;
  }

  /**
   * An inherited fd that is a regular file (`< file`, `> file`) is used through the host's
   * offset (we can't lseek host fds) until the guest seeks; from then on we keep the
   * position ourselves, assuming the host offset started at 0.
   */
  private regularStream = false;

  override get seekable(): boolean { return this.kind === 'file'; }
  override get isDirectory(): boolean { return this.kind === 'dir'; }
  override get isTty(): boolean {
    if (this.tty === undefined) this.tty = this.kind === 'stream' && isatty(this.fd);
    return this.tty;
  }
  private get nonblock(): boolean { return (this.flags & O_NONBLOCK) !== 0; }

  override read(max: number, at: number | null): Uint8Array {
    if (this.kind === 'dir') fail(EISDIR);
    const buf = Buffer.alloc(max);
    if (this.kind === 'stream') {
      const n = retryAgain(this.nonblock, () => readSync(this.fd, buf, 0, max, null));
      this.pos += n;
      return buf.subarray(0, n);
    }
    const n = readSync(this.fd, buf, 0, max, at ?? this.pos);
    if (at === null) this.pos += n;
    return buf.subarray(0, n);
  }

  override write(data: Uint8Array, at: number | null): number {
    if (this.kind === 'dir') fail(EISDIR);
    if (this.kind === 'stream') {
      let done = 0;
      while (done < data.length) {
        done += retryAgain(this.nonblock && done === 0, () => writeSync(this.fd, data, done, data.length - done, null));
        if (this.nonblock) break;
      }
      this.pos += done;
      return done;
    }
    const append = at === null && (this.flags & O_APPEND) !== 0;
    let pos: number | null = at ?? this.pos;
    if (append) pos = this.hostAppend ? null : Number(fstatSync(this.fd, { bigint: true }).size);
    let done = 0;
    while (done < data.length) {
      const n = writeSync(this.fd, data, done, data.length - done, pos === null ? null : pos + done);
      if (n === 0) break;
      done += n;
    }
    if (at === null) this.pos = append ? Number(fstatSync(this.fd, { bigint: true }).size) : this.pos + done;
    return done;
  }

  override seek(off: number, whence: number): number {
    if (this.kind === 'stream') {
      if (!this.regularStream) return super.seek(off, whence);
      this.kind = 'file';
    }
    let base: number;
    switch (whence) {
      case SEEK_SET: base = 0; break;
      case SEEK_CUR: base = this.pos; break;
      case SEEK_END:
        if (this.kind === 'dir') fail(EINVAL);
        base = Number(this.stat().size);
        break;
      case SEEK_DATA:
      case SEEK_HOLE: {
        if (this.kind === 'dir') fail(EINVAL);
        const size = Number(this.stat().size);
        if (off < 0 || off >= size) fail(ENXIO);
        this.pos = whence === SEEK_DATA ? off : size;
        return this.pos;
      }
      default: return fail(EINVAL);
    }
    const np = base + off;
    if (np < 0 || !Number.isSafeInteger(np)) fail(EINVAL);
    this.pos = np;
    if (this.kind === 'dir' && np === 0) this.entries = undefined;
    return np;
  }

  stat(): StatInfo {
    return statInfoOf(fstatSync(this.fd, { bigint: true }));
  }

  override list(): DirEntry[] {
    if (this.kind !== 'dir') return super.list();
    if (this.entries === undefined) {
      const dir = this.host!;
      const sep = dir.endsWith('/') ? '' : '/';
      const self = this.stat().ino;
      let parent = self;
      try {
        parent = lstatSync(dir + sep + '..', { bigint: true }).ino;
      } catch {
        // keep self
      }
      const list: DirEntry[] = [{ ino: self, type: DT_DIR, name: '.' }, { ino: parent, type: DT_DIR, name: '..' }];
      for (const d of readdirSync(dir, { withFileTypes: true })) {
        let ino = 0n;
        try {
          ino = lstatSync(dir + sep + d.name, { bigint: true }).ino;
        } catch {
          continue; // vanished meanwhile
        }
        list.push({ ino, type: direntType(d), name: d.name });
      }
      this.entries = list;
    }
    return this.entries;
  }

  /** The parent's inode for '..' is wrong at a --root's top; files.ts fixes it through this. */
  setParentIno(ino: bigint): void {
    const l = this.list();
    if (l.length > 1 && l[1].name === '..') l[1].ino = ino;
  }

  override mapRead(offset: number, len: number): Uint8Array {
    if (this.kind !== 'file') return super.mapRead(offset, len);
    len = Math.max(0, Math.min(len, Number(this.stat().size) - offset));
    const buf = Buffer.alloc(len);
    let done = 0;
    while (done < len) {
      const n = readSync(this.fd, buf, done, len - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  }

  override truncate(len: number): void {
    if (this.kind !== 'file') fail(EINVAL);
    ftruncateSync(this.fd, len);
  }

  override sync(): void {
    if (this.kind === 'file') fsyncSync(this.fd);
  }

  override describe(): string {
    if (this.guest !== undefined) return this.guest;
    try {
      return readlinkSync(`/proc/self/fd/${this.fd}`); // an inherited fd: what the host says it is
    } catch {
      return super.describe();
    }
  }

  override release(): void {
    if (this.owns) {
      try {
        closeSync(this.fd);
      } catch {
        // already gone
      }
    }
  }
}
