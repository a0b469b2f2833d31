//! The compile worker pool of the tiered engine: piscina workers running
//! `compile-worker.ts`. The guest runs synchronously on the main thread, so results cannot
//! come back as resolved promises in time: workers post them on a BroadcastChannel, set the
//! interrupt word, and the dispatcher polls the channel (`poll`) between guest blocks. The
//! event loop, turned now and then by the dispatcher while jobs are out, serves piscina's
//! own bookkeeping: a worker that died fails its jobs here, and piscina starts another.

// (receiveMessageOnPort takes a BroadcastChannel too since Node 15.12; the types lag.)
import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import type { Emitter } from '../../backend-wasm/module.js';
import type { CompileJob, CompileReply, JobDone, JobFailed, WorkerSetup } from './compile-job.js';

export interface PoolOptions {
  /** Worker threads. */
  jobs: number;
  emitter: Emitter;
  /** The guest memory's buffer (for the interrupt word). */
  memory: SharedArrayBuffer;
  /** The worker's module (default: compile-worker.js beside this file). */
  workerFile?: string;
}

/** Jobs sent to a worker before it is free: piscina then hands every job to a worker at
 * once, without waiting for the event loop to learn that one finished. */
const JOBS_PER_WORKER = 1 << 16;
/** A job whose worker died before taking it is sent again, this many times at most. */
const MAX_RESENDS = 3;

let channels = 0;

// piscina's type declarations and its CommonJS default export disagree under NodeNext.
interface PiscinaPool {
  run(task: unknown): Promise<unknown>;
  destroy(): Promise<void>;
  on(event: 'error', listener: (e: Error) => void): void;
}

export class CompilePool {
  private readonly channel: BroadcastChannel;
  /** Replies taken off the channel but not yet handed out (see `lost`). */
  private readonly pending: (JobDone | JobFailed)[] = [];
  /** Jobs out, and whether a worker has taken them. */
  private readonly out = new Map<number, { job: CompileJob; started: boolean; resends: number }>();
  readonly startedAt = performance.now();
  /** Worker time spent on jobs. */
  busyMs = 0;
  /** Jobs sent again because the worker holding them died. */
  resent = 0;
  closed = false;

  private constructor(private readonly pool: PiscinaPool, channelName: string, readonly jobs: number) {
    this.channel = new BroadcastChannel(channelName);
    // The channel must not keep the process alive; the dispatcher polls it.
    (this.channel as unknown as { unref(): void }).unref();
    // A worker error outside any job (piscina emits those): the pool replaces the worker.
    pool.on('error', () => {});
  }

  /** Starts `jobs` workers; they load the compiler while the caller goes on. */
  static async start(options: PoolOptions): Promise<CompilePool> {
    const { Piscina } = (await import('piscina')) as unknown as { Piscina: new (o: object) => PiscinaPool };
    const channelName = `rvwasm-compile-${process.pid}-${++channels}-${Math.random().toString(36).slice(2)}`;
    const setup: WorkerSetup = { channel: channelName, memory: options.memory, emitter: options.emitter };
    const pool = new Piscina({
      filename: options.workerFile ?? new URL('./compile-worker.js', import.meta.url).href,
      minThreads: options.jobs,
      maxThreads: options.jobs,
      idleTimeout: Infinity,
      concurrentTasksPerWorker: JOBS_PER_WORKER,
      recordTiming: false,
      workerData: setup,
    });
    return new CompilePool(pool, channelName, options.jobs);
  }

  /** Jobs sent and not yet answered. */
  get queued(): number {
    return this.out.size;
  }

  submit(job: CompileJob): void {
    let entry = this.out.get(job.id);
    if (entry === undefined) this.out.set(job.id, (entry = { job, started: false, resends: 0 }));
    entry.started = false;
    this.pool.run(job).catch((e: Error) => this.lost(job.id, e));
  }

  /** The replies that have arrived (the caller installs or reports them). */
  poll(): (JobDone | JobFailed)[] {
    this.drain();
    return this.pending.splice(0);
  }

  private drain(): void {
    for (let m; (m = receiveMessageOnPort(this.channel as unknown as MessagePort)) !== undefined;) {
      const reply = m.message as CompileReply;
      const entry = this.out.get(reply.id);
      if (entry === undefined) continue;
      if (reply.kind === 'started') {
        entry.started = true;
        continue;
      }
      this.out.delete(reply.id);
      this.busyMs += reply.busyMs;
      this.pending.push(reply);
    }
  }

  /** piscina failed a job: its worker died. The job it was running fails; the others it
   * held go to another worker. */
  private lost(id: number, e: Error): void {
    if (this.closed) return;
    this.drain();
    const entry = this.out.get(id);
    if (entry === undefined) return; // answered before the worker died
    if (!entry.started && entry.resends < MAX_RESENDS) {
      entry.resends++;
      this.resent++;
      this.submit(entry.job);
      return;
    }
    this.out.delete(id);
    this.pending.push({ kind: 'failed', id, message: `the compile worker died (${e.message})`, busyMs: 0 });
  }

  /** Stops the workers (tests; the CLI just exits, which ends them at once). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channel.close();
    await this.pool.destroy();
  }
}
