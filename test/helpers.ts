//! Shared test helpers: running the built CLI as a child process, and tool detection.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { constants } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = path.join(ROOT, 'bin', 'rvwasm.js');
export const GUESTS = path.join(ROOT, 'guests', 'bin');

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
}

function toResult(r: SpawnSyncReturns<Buffer>): RunResult {
  if (r.error) throw r.error;
  const status = r.status ?? 128 + (r.signal ? signalNumber(r.signal) : 0);
  return { stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), status };
}

function signalNumber(name: string): number {
  return (constants.signals as Record<string, number>)[name] ?? 0;
}

/** Runs `rvwasm ARGS...` with exactly `env`, feeding `stdin`. */
export function runCli(args: string[], opts: { env?: Record<string, string>; stdin?: string; cwd?: string } = {}): RunResult {
  return toResult(spawnSync(process.execPath, [CLI, ...args], {
    env: opts.env ?? {},
    input: opts.stdin ?? '',
    cwd: opts.cwd ?? ROOT,
    maxBuffer: 64 << 20,
  }));
}

/** Runs a host command, same conventions. */
export function runHost(cmd: string, args: string[], opts: { env?: Record<string, string>; stdin?: string; cwd?: string } = {}): RunResult {
  return toResult(spawnSync(cmd, args, { env: opts.env ?? {}, input: opts.stdin ?? '', cwd: opts.cwd ?? ROOT, maxBuffer: 64 << 20 }));
}

export function hasTool(name: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${name}`]);
  return r.status === 0;
}
