//! The file piscina loads in each compile worker: a CommonJS shim around `compile-worker.ts`.
//! piscina tries `require()` on its worker file before `import()`. On Node >= 20.19,
//! `require()` of our ESM worker instantiates its whole module graph synchronously only to
//! fail on its top-level await (about 60 ms lost per worker), and a worker terminated
//! inside that instantiation (the guest exited, or a worker was replaced) aborts the
//! whole process with "FATAL ERROR: v8::Module::IsGraphAsync". This file is plain
//! CommonJS, so `require()` succeeds at once, and the worker loads through `import()`,
//! which a termination only stops.

import type { CompileTask } from './compile-job.js';

const worker: Promise<{ default: (task: CompileTask) => void }> = import('./compile-worker.js');
// A failed load is reported by each job that awaits it, not as an unhandled rejection.
worker.catch(() => {});

module.exports = async function compile(task: CompileTask): Promise<void> {
  (await worker).default(task);
};
