//! A compile worker of the tiered engine, run by piscina (`pool.ts`). It loads the
//! optimizer and backend once, at start (and Binaryen for `--emitter binaryen`), then
//! turns each lifted region into a compiled `WebAssembly.Module`: V8's optimizing compile
//! runs here, off the main thread. Replies go to a BroadcastChannel that the main thread
//! polls between guest blocks, and the interrupt word tells chained guest code to return
//! to the dispatcher, so that a result is installed at once although the main thread
//! never turns its event loop while the guest runs.

// (receiveMessageOnPort takes a BroadcastChannel too since Node 15.12; the types lag.)
import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { loadBinaryen } from '../../backend-wasm/module.js';
import { INTERRUPT_OFF } from '../../layout/layout.js';
import type { CompileJob, CompileReply, WorkerSetup } from './compile-job.js';
import { translateRegion } from './translate.js';

const setup = workerData as WorkerSetup;
if (setup.emitter === 'binaryen') await loadBinaryen();
const replies = new BroadcastChannel(setup.channel);
const interrupt = new Int32Array(setup.memory, INTERRUPT_OFF, 1);

function post(reply: CompileReply): void {
  // Our instance of the channel also receives the other workers' replies; nobody reads
  // them here, so drop them rather than let them (and their modules) pile up.
  while (receiveMessageOnPort(replies as unknown as MessagePort) !== undefined);
  replies.postMessage(reply);
}

export default function compile(job: CompileJob): void {
  const t0 = performance.now();
  post({ kind: 'started', id: job.id });
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
  post(reply);
  Atomics.store(interrupt, 0, 1);
}
