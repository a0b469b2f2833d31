//! The messages between the tiered engine and its compile workers (`compile-worker.ts`):
//! a hot region's entry pc with the guest code around it (a window over the shared
//! memory: the worker lifts the region itself) and spare table slots for its exits, and
//! what comes back. All of it is cheap to clone: small plain objects and arrays, and a
//! compiled `WebAssembly.Module` (which V8 shares between threads without recompiling).

import type { MessagePort } from 'node:worker_threads';
import type { Emitter } from '../../backend-wasm/module.js';
import type { ExitSlot } from './cache.js';
import type { CodeWindow } from './code-window.js';
import type { TranslateOptions } from './translate.js';

/** Testing aid (`--inject-compile-faults`, `--inject-worker-exits`): how a job fails. */
export type InjectedFault = 'throw' | 'exit';

export interface CompileJob {
  id: number;
  /** The region's entry pc. */
  pc: number;
  /** The executable pages around pc. */
  window: CodeWindow;
  /** Entry pcs of other regions in the window, compiled or on their way: the region
   * stops where its paths reach one (see `discoverRegion`). */
  stops: number[];
  /** Table slots reserved for the region's direct exits (see `CodeCache.reserveSlots`). */
  slots: number[];
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
  /** The pages the region's guest code was read from. */
  pages: number[];
  /** Distinct guest instructions in the region. */
  guestInsts: number;
  /** The reserved slots its exits use, with their target pcs (the rest go back). */
  exits: ExitSlot[];
  liftMs: number;
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
