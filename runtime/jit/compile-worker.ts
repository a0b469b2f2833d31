//! A compile worker of the tiered engine, run by piscina (`pool.ts`). It loads the
//! optimizer and backend once, at start (and Binaryen for `--emitter binaryen`), then
//! turns each lifted region into a compiled `WebAssembly.Module`: V8's optimizing compile
//! runs here, off the main thread. Replies go to the job's own port, which the main thread
//! polls between guest blocks, and the interrupt word tells chained guest code to return
//! to the dispatcher, so that a result is installed at once although the main thread
//! does not turn its event loop while the guest runs.

import { workerData } from 'node:worker_threads';
import { loadBinaryen } from '../../backend-wasm/module.js';
import { INTERRUPT_OFF } from '../../layout/layout.js';
import type { CompileReply, CompileTask, WorkerSetup } from './compile-job.js';
import { translateRegion } from './translate.js';

const setup = workerData as WorkerSetup;
if (setup.emitter === 'binaryen') await loadBinaryen();
const interrupt = new Int32Array(setup.memory, INTERRUPT_OFF, 1);

export default function compile({ job, port }: CompileTask): void {
  const t0 = performance.now();
  port.postMessage({ kind: 'started', id: job.id } satisfies CompileReply);
  let reply: CompileReply;
  try {
    if (job.fault === 'exit') process.exit(1);
    if (job.fault === 'throw') throw new Error('injected compile fault');
    const slotFor = (pc: number): number => {
      const slot = job.slots.get(pc);
      if (slot === undefined) throw new Error(`no table slot for the exit to 0x${pc.toString(16)}`);
      return slot;
    };
    const translated = translateRegion(job.region, job, slotFor, job.options);
    const binary = translated.emitted.binary;
    const t1 = performance.now();
    const module = new WebAssembly.Module(binary);
    reply = {
      kind: 'done', id: job.id, module, helpers: translated.emitted.helpers, bytes: binary.length,
      optimizeMs: translated.optimizeMs, emitMs: translated.emitMs, compileMs: performance.now() - t1, busyMs: 0,
    };
  } catch (e) {
    reply = { kind: 'failed', id: job.id, message: (e as Error).message ?? String(e), busyMs: 0 };
  }
  reply.busyMs = performance.now() - t0;
  port.postMessage(reply);
  Atomics.store(interrupt, 0, 1);
}
