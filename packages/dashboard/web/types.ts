/** The wire shapes the dashboard reads (docs/http-api.md, /openapi.json). */
export const JOB_STATES = ['waiting', 'delayed', 'active', 'completed', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];
export type Counts = Record<JobState, number>;

export interface Rates {
  readonly enqueued: number;
  readonly leased: number;
  readonly acked: number;
  readonly failed: number;
}

export interface ServerInfo {
  readonly version: string;
  readonly node: string;
  readonly startedAt: number;
  readonly uptimeMs: number;
  readonly store: {
    readonly kind: string;
    readonly ready: boolean;
    readonly reason: string | null;
    readonly files: { readonly name: string; readonly bytes: number }[];
  };
}

export interface Stats {
  readonly now: number;
  readonly queues: number;
  readonly counts: Counts;
  readonly rates: { readonly '5m': Rates; readonly '1h': Rates };
  readonly series: { readonly stepMs: number; readonly points: (Rates & { readonly t: number })[] };
}

export interface QueueStats {
  readonly name: string;
  readonly paused: boolean;
  readonly config: Record<string, unknown>;
  readonly createdAt: number;
  readonly totals: { readonly completed: number; readonly failed: number };
  readonly counts: Counts;
}

export interface QueueRates {
  readonly queue: QueueStats;
  readonly rates: Rates;
  readonly oldestWaitingAgeMs: number | null;
  /** Waiting counts the server sampled, one per 10 s over 5 minutes, oldest first. */
  readonly depth: number[];
}

export interface JobError {
  readonly message: string;
  readonly stack?: string;
  readonly at: number;
  readonly attempt: number;
}

export interface JobAttempt {
  readonly attempt: number;
  readonly leasedAt: number | null;
  readonly endedAt: number;
  readonly outcome: 'failed' | 'lease-expired' | 'released';
  readonly worker: string | null;
  readonly error: { readonly message: string; readonly stack?: string } | null;
  readonly next: 'waiting' | 'delayed' | 'dead';
  readonly retryDelayMs: number | null;
}

export interface JobAttempts {
  readonly attempts: JobAttempt[];
  readonly dropped: number;
}

export interface Job {
  readonly id: string;
  readonly queue: string;
  readonly name: string | null;
  readonly state: JobState;
  readonly encoding: 'json' | 'bytes';
  readonly data: unknown;
  readonly priority: number;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly createdAt: number;
  readonly runAt: number;
  readonly expiresAt: number | null;
  readonly leaseMs: number;
  readonly timeoutMs: number | null;
  readonly backoff: Record<string, unknown>;
  readonly dedupKey: string | null;
  readonly meta: Record<string, string>;
  readonly leaseExpiresAt: number | null;
  readonly attemptStartedAt: number | null;
  readonly startedAt: number | null;
  readonly worker: string | null;
  readonly finishedAt: number | null;
  readonly result: unknown;
  readonly error: JobError | null;
  readonly deadReason: string | null;
  readonly nacks: number;
}

export interface Worker {
  readonly id: string;
  readonly queues: string[];
  readonly startedAt: number;
  readonly lastSeenAt: number;
  readonly processed: number;
  readonly failed: number;
  readonly active: number;
}
