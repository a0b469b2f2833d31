//! The file piscina loads in each compile worker: a CommonJS shim around `compile-worker.ts`.
//! piscina tries `require()` on its worker file before `import()`. On Node >= 20.19,
//! `require()` of our ESM worker instantiates its whole module graph synchronously only to
//! fail on its top-level await (about 60 ms lost per worker), and a worker terminated
//! inside that instantiation (the guest exited, or a worker was replaced) aborts the
//! whole process with "FATAL ERROR: v8::Module::IsGraphAsync". This file is plain
//! CommonJS, so `require()` succeeds at once, and the worker loads through `import()`,
//! which a termination only stops.

import { setPriority } from 'node:os';
import type { CompileTask } from './compile-job.js';

/** The compile worker's scheduling priority (nice value; 19 is the lowest). On a machine
 * with few cores the worker, V8's background threads and the guest's thread compete;
 * the guest's thread must win, for an interpreter slowed down costs more than code
 * compiled a little later wins. On Linux, setpriority() of pid 0 applies to the calling
 * thread only (elsewhere it would lower the whole process, so it is left alone there). */
const WORKER_NICE = 19;
if (process.platform === 'linux') {
  try {
    setPriority(0, WORKER_NICE);
  } catch {
    // Not allowed here: the worker runs at the process's priority.
  }
}

const worker: Promise<{ default: (task: CompileTask) => void }> = import('./compile-worker.js');
// A failed load is reported by each job that awaits it, not as an unhandled rejection.
worker.catch(() => {});

module.exports = async function compile(task: CompileTask): Promise<void> {
  (await worker).default(task);
};
