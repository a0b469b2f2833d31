//! The compile worker pool of the tiered engine: piscina workers running
//! `compile-worker.ts` (loaded through `compile-worker-entry.cts`). The guest runs
//! synchronously on the main thread, so results cannot come back as resolved promises in
//! time: each job carries a MessagePort of its own, which the main thread never starts and
//! reads with `receiveMessageOnPort` (`poll`) between guest blocks, when a worker has set
//! the interrupt word. The event loop serves piscina's own bookkeeping: a worker that died
//! fails its jobs there, and piscina starts another. The dispatcher turns it only when a
//! worker may have died (`needsTurn`): each turn makes V8 enter the interpreter's loop
//! anew, which costs it tens of milliseconds in slower code.

import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { Emitter } from '../../backend-wasm/module.js';
import { distFile } from '../dist-paths.js';
import type { CompileJob, CompileReply, CompileTask, JobDone, JobFailed, WorkerSetup } from './compile-job.js';
import { startLowered } from './thread-priority.js';

export interface PoolOptions {
  /** Worker threads. */
  jobs: number;
  emitter: Emitter;
  /** The guest memory's buffer (for the interrupt word). */
  memory: SharedArrayBuffer;
  /** The worker's module (default: compile-worker-entry.cjs beside this file). */
  workerFile?: string;
}

/** The file piscina loads in each worker: CommonJS, see `compile-worker-entry.cts`. */
export const WORKER_ENTRY = distFile('runtime/jit/compile-worker-entry.cjs');

/** Jobs sent to a worker before it is free: piscina then hands every job to a worker at
 * once, without waiting for the event loop to learn that one finished. */
const JOBS_PER_WORKER = 1 << 16;
/** A job whose worker died before taking it is sent again, this many times at most. */
const MAX_RESENDS = 3;
/** A job started this long ago and not answered: its worker may have died (most jobs
 * take 20-100 ms). */
const STALLED_MS = 200;
/** No word from the workers for this long while jobs are out: one may have died before
 * starting them (a worker boots in some 300-600 ms on a busy machine). */
const SILENT_MS = 1000;

// piscina's type declarations and its CommonJS default export disagree under NodeNext.
interface PiscinaPool {
  run(task: unknown, options: { transferList: MessagePort[] }): Promise<unknown>;
  destroy(): Promise<void>;
  on(event: 'error', listener: (e: Error) => void): void;
}

/** A job out on the pool. */
interface OutJob {
  job: CompileJob;
  /** Our end of the job's reply port. */
  port: MessagePort;
  /** When we learnt that a worker took it (so a worker that dies was running it, not just
   * holding it); undefined until then. */
  startedAt: number | undefined;
  resends: number;
}

export class CompilePool {
  /** Replies taken off their ports but not yet handed out (see `lost`). */
  private readonly pending: (JobDone | JobFailed)[] = [];
  private readonly out = new Map<number, OutJob>();
  readonly startedAt = performance.now();
  /** When a message from a job last came in (or the pool started). */
  private lastWord = this.startedAt;
  /** Worker time spent on jobs. */
  busyMs = 0;
  /** Jobs sent again because the worker holding them died. */
  resent = 0;
  closed = false;

  private constructor(private readonly pool: PiscinaPool, readonly jobs: number) {
    // A worker error outside any job (piscina emits those): the pool replaces the worker.
    pool.on('error', () => {});
  }

  /** Starts `jobs` workers; they boot and load the compiler on their threads while the
   * caller goes on. piscina is loaded here, synchronously through its CommonJS entry
   * (its ESM wrapper would cost more turns of the event loop, which the guest holds).
   * piscina starts the workers in its constructor, which runs lowered so that they are
   * born at the workers' priority (see thread-priority.ts). */
  static start(options: PoolOptions): CompilePool {
    const { Piscina } = createRequire(import.meta.url)('piscina') as { Piscina: new (o: object) => PiscinaPool };
    const setup: WorkerSetup = { memory: options.memory, emitter: options.emitter };
    const pool = startLowered(() => new Piscina({
      filename: options.workerFile ?? WORKER_ENTRY,
      minThreads: options.jobs,
      maxThreads: options.jobs,
      idleTimeout: Infinity,
      concurrentTasksPerWorker: JOBS_PER_WORKER,
      recordTiming: false,
      workerData: setup,
    }));
    return new CompilePool(pool, options.jobs);
  }

  /** Jobs sent and not yet answered. */
  get queued(): number {
    return this.out.size;
  }

  submit(job: CompileJob, resends = 0): void {
    const { port1, port2 } = new MessageChannel();
    this.out.set(job.id, { job, port: port1, startedAt: undefined, resends });
    const task: CompileTask = { job, port: port2 };
    this.pool.run(task, { transferList: [port2] }).catch((e: Error) => this.lost(job.id, e));
  }

  /** The replies that have arrived (the caller installs or reports them). */
  poll(): (JobDone | JobFailed)[] {
    for (const entry of this.out.values()) this.drain(entry);
    return this.pending.splice(0);
  }

  /** Whether piscina should have a turn of the event loop, where it learns that a worker
   * died: a job started long ago is not answered, or the workers have said nothing for
   * long. `since`: the last turn (a turn answers for what came before it). */
  needsTurn(now: number, since: number): boolean {
    if (this.out.size === 0) return false;
    for (const entry of this.out.values()) this.drain(entry);
    if (now - Math.max(this.lastWord, since) >= SILENT_MS) return true;
    for (const entry of this.out.values()) {
      if (entry.startedAt !== undefined && now - Math.max(entry.startedAt, since) >= STALLED_MS) return true;
    }
    return false;
  }

  private drain(entry: OutJob): void {
    for (let m; (m = receiveMessageOnPort(entry.port)) !== undefined;) {
      const reply = m.message as CompileReply;
      this.lastWord = performance.now();
      if (reply.kind === 'started') {
        entry.startedAt = this.lastWord;
        continue;
      }
      this.finish(entry);
      this.busyMs += reply.busyMs;
      this.pending.push(reply);
      return;
    }
  }

  private finish(entry: OutJob): void {
    this.out.delete(entry.job.id);
    entry.port.close();
  }

  /** piscina failed a job: its worker died. The job it was running fails; the others it
   * held go to another worker. */
  private lost(id: number, e: Error): void {
    const entry = this.out.get(id);
    if (this.closed || entry === undefined) return;
    this.drain(entry);
    if (!this.out.has(id)) return; // answered before the worker died
    this.finish(entry);
    if (entry.startedAt === undefined && entry.resends < MAX_RESENDS) {
      this.resent++;
      this.submit(entry.job, entry.resends + 1);
      return;
    }
    this.pending.push({ kind: 'failed', id, message: `the compile worker died (${e.message})`, busyMs: 0 });
  }

  /** Stops the workers (tests; the CLI just exits, which ends them at once). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const entry of this.out.values()) entry.port.close();
    await this.pool.destroy();
  }
}
