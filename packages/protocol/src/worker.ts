/** The worker registry: consumers that identify themselves on lease. */
export interface WorkerInfo {
  readonly id: string;
  readonly queues: readonly string[];
  readonly startedAt: number;
  readonly lastSeenAt: number;
  readonly processed: number;
  readonly failed: number;
  /** Jobs currently leased by this worker. */
  readonly active: number;
}

/** Worker ids follow the same character rule as queue names, shorter. */
export const WORKER_ID_PATTERN = /^[A-Za-z0-9._:/@-]{1,100}$/;
