//! Linux errno values (asm-generic/errno-base.h, asm-generic/errno.h) and the mapping
//! from host (Node.js) errors to them. Handlers throw `Errno` to fail a syscall; the
//! dispatcher turns it (and host errors) into -errno in a0.

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EIO = 5;
export const ENXIO = 6;
export const E2BIG = 7;
export const ENOEXEC = 8;
export const EBADF = 9;
export const ECHILD = 10;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const ENFILE = 23;
export const EMFILE = 24;
export const ENOTTY = 25;
export const ETXTBSY = 26;
export const EFBIG = 27;
export const ENOSPC = 28;
export const ESPIPE = 29;
export const EROFS = 30;
export const EMLINK = 31;
export const EPIPE = 32;
export const EDOM = 33;
export const ERANGE = 34;
export const EDEADLK = 35;
export const ENAMETOOLONG = 36;
export const ENOLCK = 37;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;
export const ELOOP = 40;
export const ENODATA = 61;
export const ETIME = 62;
export const EOVERFLOW = 75;
export const EBADFD = 77;
export const EILSEQ = 84;
export const ENOTSOCK = 88;
export const EOPNOTSUPP = 95;
export const EAFNOSUPPORT = 97;
export const EADDRINUSE = 98;
export const ECONNRESET = 104;
export const ENOTCONN = 107;
export const ETIMEDOUT = 110;
export const ECONNREFUSED = 111;
export const ESTALE = 116;
export const EDQUOT = 122;
export const ECANCELED = 125;

/** A syscall failure with a Linux errno; the dispatcher returns -errno. */
export class Errno extends Error {
  constructor(readonly errno: number) {
    super(`errno ${errno}`);
  }
}

/** Throws Errno(errno). */
export function fail(errno: number): never {
  throw new Errno(errno);
}

const BY_CODE: Record<string, number> = {
  EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC, EBADF, ECHILD, EAGAIN, EWOULDBLOCK: EAGAIN,
  ENOMEM, EACCES, EFAULT, EBUSY, EEXIST, EXDEV, ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE, EMFILE, ENOTTY,
  ETXTBSY, EFBIG, ENOSPC, ESPIPE, EROFS, EMLINK, EPIPE, EDOM, ERANGE, EDEADLK, ENAMETOOLONG, ENOLCK,
  ENOSYS, ENOTEMPTY, ELOOP, ENODATA, ETIME, EOVERFLOW, EBADFD, EILSEQ, ENOTSOCK, EOPNOTSUPP,
  ENOTSUP: EOPNOTSUPP, EAFNOSUPPORT, EADDRINUSE, ECONNRESET, ENOTCONN, ETIMEDOUT, ECONNREFUSED, ESTALE,
  EDQUOT, ECANCELED,
};

/** True for errors thrown by Node's fs/os layer (they carry a string errno code). */
export function isHostError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' &&
    /^E[A-Z0-9]+$/.test((e as NodeJS.ErrnoException).code!);
}

/** The Linux errno for a host error (EIO when the code is unknown). */
export function hostErrno(e: unknown): number {
  if (isHostError(e)) return BY_CODE[e.code] ?? EIO;
  return EIO;
}
