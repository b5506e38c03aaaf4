/** The part of BullMQ's API the benchmarks use (BullMQ is a peer installed on first use, not a dependency). */
export interface BullJob {
  waitUntilFinished(events: BullQueueEvents, ttl?: number): Promise<unknown>;
}
export interface BullQueue {
  add(name: string, data: unknown, options?: object): Promise<BullJob>;
  addBulk(jobs: ReadonlyArray<{ name: string; data: unknown }>): Promise<unknown>;
  waitUntilReady(): Promise<unknown>;
  obliterate(options: { force: boolean }): Promise<void>;
  close(): Promise<void>;
}
export interface BullWorker {
  on(event: 'completed', listener: () => void): unknown;
  waitUntilReady(): Promise<unknown>;
  run(): Promise<void>;
  close(): Promise<void>;
}
export interface BullQueueEvents {
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
}
export interface BullMQ {
  Queue: new (name: string, options: object) => BullQueue;
  Worker: new (name: string, processor: () => Promise<unknown>, options: object) => BullWorker;
  QueueEvents: new (name: string, options: object) => BullQueueEvents;
}

/** Resolves once `worker` has completed `jobs` jobs. */
export function completions(worker: BullWorker, jobs: number): Promise<void> {
  let done = 0;
  return new Promise<void>((resolve) =>
    worker.on('completed', () => {
      done += 1;
      if (done === jobs) resolve();
    }),
  );
}
