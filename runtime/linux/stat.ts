//! struct stat (asm-generic layout, 128 bytes, as riscv64 uses it) and struct statx (256 bytes).

import { Struct } from './abi.js';
import type { StatInfo } from './description.js';

const NS = 1_000_000_000n;

export const STAT_SIZE = 128;
export const STATX_SIZE = 256;

export function encodeStat(s: StatInfo): Struct {
  const b = new Struct(STAT_SIZE);
  b.u64(0, s.dev).u64(8, s.ino).u32(16, Number(s.mode)).u32(20, Number(s.nlink))
    .u32(24, Number(s.uid)).u32(28, Number(s.gid)).u64(32, s.rdev).u64(48, s.size)
    .i32(56, Number(s.blksize)).u64(64, s.blocks);
  const times = [s.atimeNs, s.mtimeNs, s.ctimeNs];
  times.forEach((t, i) => {
    b.u64(72 + 16 * i, floorDiv(t, NS)).u64(80 + 16 * i, mod(t, NS));
  });
  return b;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

function mod(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r < 0n ? r + b : r;
}

/** glibc's dev_t encoding -> major/minor. */
export function devMajor(dev: bigint): number {
  return Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)) >>> 0;
}

export function devMinor(dev: bigint): number {
  return Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn)) >>> 0;
}

export const STATX_BASIC_STATS = 0x7ff;
export const STATX_BTIME = 0x800;

export function encodeStatx(s: StatInfo): Struct {
  const b = new Struct(STATX_SIZE);
  b.u32(0, STATX_BASIC_STATS | STATX_BTIME).u32(4, Number(s.blksize)).u64(8, 0)
    .u32(16, Number(s.nlink)).u32(20, Number(s.uid)).u32(24, Number(s.gid)).u16(28, Number(s.mode) & 0xffff)
    .u64(32, s.ino).u64(40, s.size).u64(48, s.blocks).u64(56, 0);
  const ts = (off: number, t: bigint) => b.u64(off, floorDiv(t, NS)).u32(off + 8, Number(mod(t, NS)));
  ts(64, s.atimeNs);
  ts(80, s.birthtimeNs);
  ts(96, s.ctimeNs);
  ts(112, s.mtimeNs);
  b.u32(128, devMajor(s.rdev)).u32(132, devMinor(s.rdev)).u32(136, devMajor(s.dev)).u32(140, devMinor(s.dev));
  return b;
}
