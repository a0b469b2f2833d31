//! The messages between the tiered engine and its compile workers (`compile-worker.ts`):
//! a region lifted on the main thread with what the backend needs besides the IR, and what
//! comes back. All of it survives structured cloning: plain objects, Maps, bigints, and a
//! compiled `WebAssembly.Module` (which V8 shares between threads without recompiling).

import type { MessagePort } from 'node:worker_threads';
import type { Emitter } from '../../backend-wasm/module.js';
import type { BlockId, Region } from '../../ir/function.js';
import type { TranslateOptions } from './translate.js';

/** Testing aid (`--inject-compile-faults`, `--inject-worker-exits`): how a job fails. */
export type InjectedFault = 'throw' | 'exit';

export interface CompileJob {
  id: number;
  /** The region's entry pc. */
  pc: number;
  region: Region;
  blockPc: Map<BlockId, number>;
  blockInsts: Map<BlockId, number>;
  /** Table slot of every direct exit target (assigned by the main thread's code cache). */
  slots: Map<number, number>;
  options: Omit<TranslateOptions, 'afterPass' | 'text'>;
  fault?: InjectedFault;
}

/** The job's worker took it (so a worker that dies was running it, not just holding it). */
export interface JobStarted {
  kind: 'started';
  id: number;
}

export interface JobDone {
  kind: 'done';
  id: number;
  module: WebAssembly.Module;
  /** Helpers the module imports. */
  helpers: string[];
  bytes: number;
  optimizeMs: number;
  emitMs: number;
  compileMs: number;
  /** Wall time the worker spent on the job. */
  busyMs: number;
}

export interface JobFailed {
  kind: 'failed';
  id: number;
  message: string;
  busyMs: number;
}

export type CompileReply = JobStarted | JobDone | JobFailed;

/** A job as piscina hands it to a worker: with the port its replies go to. The main
 * thread never starts its end of the port and reads it with `receiveMessageOnPort`, so
 * the replies wait there, whenever its event loop turns. */
export interface CompileTask {
  job: CompileJob;
  port: MessagePort;
}

/** What every worker gets at start (`workerData`). */
export interface WorkerSetup {
  /** The guest memory's buffer: workers set its interrupt word when a reply is posted. */
  memory: SharedArrayBuffer;
  emitter: Emitter;
}

/** The direct-exit targets of a region: the main thread gives each a table slot before a
 * worker translates the region. */
export function exitTargets(region: Region): number[] {
  const targets = new Set<number>();
  for (const b of region.blocks) for (const inst of b.insts) if (inst.op === 'exit') targets.add(inst.target!);
  return [...targets];
}
