//! A compile worker of the tiered engine, run by piscina (`pool.ts`). It loads the
//! lifter, optimizer and backend once, at start (and Binaryen for `--emitter binaryen`),
//! then turns each hot region into a compiled `WebAssembly.Module`: it lifts the region
//! from the guest code in shared memory (`code-window.ts`), optimizes and emits it, and
//! V8's optimizing compile runs here too, all off the main thread. Replies go to the job's
//! own port, which the main thread polls between guest blocks, and the interrupt word
//! tells chained guest code to return to the dispatcher, so that a result is installed at
//! once although the main thread does not turn its event loop while the guest runs.
//!
//! It does not warm its compiler up before the first job (compiling a program of every
//! instruction, as the interpreter does): the first jobs, which matter most, came back
//! ~90 ms later for it, and runs of about a second took 6% longer (on two cores the
//! worker's work also slows the guest's thread). The first jobs warm it up instead.
//!
//! The module has no top-level await (the entry awaits `ready` before each job): a module
//! graph with one can never be `require()`d (see `compile-worker-entry.cts`).

import { workerData } from 'node:worker_threads';
import { loadBinaryen } from '../../backend-wasm/module.js';
import { INTERRUPT_OFF } from '../../layout/layout.js';
import type { CompileReply, CompileTask, WorkerSetup } from './compile-job.js';
import type { ExitSlot } from './cache.js';
import { windowFetch } from './code-window.js';
import { liftFetched } from './region-source.js';
import { translateRegion } from './translate.js';
import { setV8Flags } from './v8-flags.js';

const setup = workerData as WorkerSetup;

/** Settles once the compiler is loaded (Binaryen too, for `--emitter binaryen`). A failed
 * load of Binaryen rejects it, and each job that awaits it reports that. */
export const ready: Promise<unknown> = setup.emitter === 'binaryen' ? loadBinaryen() : Promise.resolve();
const interrupt = new Int32Array(setup.memory, INTERRUPT_OFF, 1);
const u16 = new Uint16Array(setup.memory);

export default function compile({ job, port }: CompileTask): void {
  // Here, not when the pool starts: see v8-flags.ts.
  setV8Flags();
  const t0 = performance.now();
  port.postMessage({ kind: 'started', id: job.id } satisfies CompileReply);
  let reply: CompileReply;
  try {
    if (job.fault === 'exit') process.exit(1);
    if (job.fault === 'throw') throw new Error('injected compile fault');
    const pages = new Set<number>();
    const stops = new Set(job.stops);
    const lifted = liftFetched(windowFetch(u16, job.window, pages), pages, job.pc, undefined, (pc) => stops.has(pc));
    const liftMs = performance.now() - t0;
    // Exits take the reserved slots in the order the backend asks for them.
    const exits: ExitSlot[] = [];
    const slotOf = new Map<number, number>();
    const slotFor = (pc: number): number => {
      let slot = slotOf.get(pc);
      if (slot === undefined) {
        slot = job.slots[exits.length];
        if (slot === undefined) throw new Error(`more than ${job.slots.length} exit targets`);
        slotOf.set(pc, slot);
        exits.push({ pc, slot });
      }
      return slot;
    };
    const translated = translateRegion(lifted.region, lifted, slotFor, job.options);
    const binary = translated.emitted.binary;
    const t1 = performance.now();
    const module = new WebAssembly.Module(binary);
    reply = {
      kind: 'done', id: job.id, module, helpers: translated.emitted.helpers, bytes: binary.length,
      pages: lifted.pages, guestInsts: lifted.guestInsts, exits, liftMs,
      optimizeMs: translated.optimizeMs, emitMs: translated.emitMs, compileMs: performance.now() - t1, busyMs: 0,
    };
  } catch (e) {
    reply = { kind: 'failed', id: job.id, message: (e as Error).message ?? String(e), busyMs: 0 };
  }
  reply.busyMs = performance.now() - t0;
  port.postMessage(reply);
  Atomics.store(interrupt, 0, 1);
}
