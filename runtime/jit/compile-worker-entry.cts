//! The file piscina loads in each compile worker: a CommonJS shim around `compile-worker.ts`.
//! piscina tries `require()` on its worker file before `import()`. On Node >= 20.19,
//! `require()` of our ESM worker instantiates its whole module graph synchronously only to
//! fail on its top-level await (about 60 ms lost per worker), and a worker terminated
//! inside that instantiation (the guest exited, or a worker was replaced) aborts the
//! whole process with "FATAL ERROR: v8::Module::IsGraphAsync". This file is plain
//! CommonJS, so `require()` succeeds at once, and the worker loads through `import()`,
//! which a termination only stops. It loads the worker's bundle (`scripts/bundle.mjs`:
//! ready some 30-60 ms sooner) while that is newer than the modules tsc wrote.

import { statSync } from 'node:fs';
import { setPriority } from 'node:os';
import * as path from 'node:path';
import type { CompileTask } from './compile-job.js';

/** thread-priority.ts's WORKER_NICE: the worker lowers itself to it where it was not
 * born at it (see there). On Linux, setpriority() of pid 0 applies to the calling thread
 * only (elsewhere it would lower the whole process, so it is left alone there). */
const WORKER_NICE = 19;
if (process.platform === 'linux') {
  try {
    setPriority(0, WORKER_NICE);
  } catch {
    // Not allowed here: the worker runs at the process's priority.
  }
}

function mtime(file: string): number | undefined {
  try {
    return statSync(path.join(__dirname, file)).mtimeMs;
  } catch {
    return undefined;
  }
}

const BUNDLE = '../../bundle/compile-worker.js';
const bundled = (mtime(BUNDLE) ?? -1) >= (mtime('compile-worker.js') ?? Infinity);
type WorkerModule = { default: (task: CompileTask) => void; ready: Promise<unknown> };
const worker: Promise<WorkerModule> = bundled ? import(BUNDLE) : import('./compile-worker.js');
// A failed load is reported by each job that awaits it, not as an unhandled rejection.
worker.catch(() => {});

module.exports = async function compile(task: CompileTask): Promise<void> {
  const w = await worker;
  await w.ready;
  w.default(task);
};
