//! Guest path -> host path. Without --root, paths pass through to the host unchanged
//! (relative ones joined to our tracked cwd or to the directory of a dirfd), except that
//! absolute paths in library directories (/lib, /usr/lib, ...) that exist in the --sysroot
//! are taken from there, like qemu-user's -L, so the dynamic linker finds libc. With
//! --root DIR, every path is resolved component by component below DIR: absolute paths
//! start at DIR, `..` stops at DIR, and symlinks are expanded by us (an absolute target
//! starts again at DIR), so nothing the guest names can reach outside DIR.

import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import type { Machine } from '../machine.js';
import { stateOf } from './abi.js';
import { ELOOP, ENAMETOOLONG, ENOENT, ENOTDIR, fail, isHostError } from './errno.js';

const PATH_MAX = 4096;
const MAX_SYMLINKS = 40;

export interface PathState {
  /** Host directory every guest path lives under (realpath), or null for pass-through. */
  root: string | null;
  /** Without a root: the --sysroot whose library directories shadow the host's (like qemu -L). */
  sysroot: string | null;
  /** Guest's current directory, as the guest sees it (absolute). */
  cwd: string;
  /** File mode creation mask. */
  umask: number;
}

export function pathState(m: Machine): PathState {
  return stateOf(m, 'paths', () => {
    const root = m.options.root !== undefined ? realpathSync(m.options.root) : null;
    const sysroot = root === null && m.options.sysroot !== undefined ? m.options.sysroot.replace(/\/+$/, '') : null;
    return { root, sysroot: sysroot || null, cwd: root !== null ? '/' : process.cwd(), umask: 0o022 };
  });
}

/** Absolute guest paths in library directories, which the sysroot shadows when it has them. */
const LIBRARY_DIR = /^\/(usr\/(local\/)?)?lib(32|64)?(\/|$)/;

function exists(host: string): boolean {
  try {
    lstatSync(host);
    return true;
  } catch {
    return false;
  }
}

/** A resolved path: the host path to use and the canonical-ish path the guest sees. */
export interface Resolved {
  host: string;
  guest: string;
}

/** Lexical normalisation of an absolute path ('.', '..', repeated slashes). */
export function normalize(p: string): string {
  const out: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
}

/** Joins a relative path to an absolute base without normalising (the host resolves it). */
export function joinPath(base: string, rel: string): string {
  if (rel.startsWith('/')) return rel;
  return base.endsWith('/') ? base + rel : base + '/' + rel;
}

/** The guest's absolute view of `path` relative to `base` (lexical; for /proc and display). */
export function guestAbsolute(base: string, path: string): string {
  return normalize(joinPath(base, path));
}

/**
 * Resolves a guest path. `base` is the guest directory relative paths start from (the cwd
 * or a dirfd's path); `follow` says whether a symlink in the last component is followed.
 */
export function resolvePath(m: Machine, base: string, path: string, follow: boolean): Resolved {
  if (path.length === 0) fail(ENOENT);
  if (path.length >= PATH_MAX) fail(ENAMETOOLONG);
  const st = pathState(m);
  if (st.root === null) {
    const host = joinPath(base, path);
    const guest = normalize(host);
    if (st.sysroot !== null && path.startsWith('/') && LIBRARY_DIR.test(guest) && exists(st.sysroot + guest)) {
      return { host: st.sysroot + guest + (host.endsWith('/') && guest !== '/' ? '/' : ''), guest };
    }
    return { host, guest };
  }
  return resolveInRoot(st.root, base, path, follow);
}

function components(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

function resolveInRoot(root: string, base: string, path: string, follow: boolean): Resolved {
  const stack = path.startsWith('/') ? [] : components(base);
  const queue = components(path);
  // "dir/" and "dir/." must name a directory, and a trailing symlink is then followed.
  const trailingDir = /\/\.?$/.test(path) && queue.length > 0;
  let links = 0;
  const hostOf = (parts: string[]) => root + '/' + parts.join('/');
  while (queue.length > 0) {
    const c = queue.shift()!;
    if (c === '..') {
      stack.pop();
      continue;
    }
    const last = queue.length === 0;
    if (!last || follow || trailingDir) {
      const h = hostOf([...stack, c]);
      let isLink = false;
      let isDir = false;
      try {
        const s = lstatSync(h);
        isLink = s.isSymbolicLink();
        isDir = s.isDirectory();
      } catch (e) {
        if (!isHostError(e)) throw e;
        if (e.code === 'ENOENT' && last) {
          stack.push(c);
          break;
        }
        if (e.code === 'ENOENT') fail(ENOENT);
        if (e.code === 'ENOTDIR') fail(ENOTDIR);
        throw e;
      }
      if (isLink) {
        if (++links > MAX_SYMLINKS) fail(ELOOP);
        const target = readlinkSync(h, 'utf8');
        if (target.startsWith('/')) stack.length = 0;
        queue.unshift(...components(target));
        continue;
      }
      if (!last && !isDir) fail(ENOTDIR);
    }
    stack.push(c);
  }
  const guest = '/' + stack.join('/');
  let host = hostOf(stack);
  if (trailingDir && stack.length > 0) host += '/';
  return { host, guest };
}

/** The host path for a guest path that is already canonical (e.g. a directory fd's path). */
export function hostPathOfGuest(m: Machine, guest: string): string {
  const st = pathState(m);
  return st.root === null ? guest : st.root + (guest === '/' ? '/' : guest);
}
