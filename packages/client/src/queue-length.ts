/**
 * A queue-length gauge (core-queue's UseGauge): samples a queue's counts by state now and then
 * every `intervalMs`, and hands them to a callback, for metrics. States: running → stopped.
 * Samples never overlap: the next one is scheduled when the previous one settled. A queue that
 * was never used reports zeros.
 */
import { JOB_STATES, QueueNotFoundError, type QueueCounts, type QueueStats } from '@docket/protocol';

export interface QueueLengthSample {
  readonly queue: string;
  readonly counts: QueueCounts;
  readonly paused: boolean;
}

export interface QueueLengthWatch {
  stop(): void;
}

/** core-queue's checkQueueLengthIntervalSecond default: often enough for dashboards, one read per tick. */
export const QUEUE_LENGTH_INTERVAL_MS_DEFAULT = 15_000;

const ZERO_COUNTS = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as QueueCounts;

export interface WatchOptions {
  readonly queue: string;
  readonly stats: () => Promise<QueueStats>;
  readonly onSample: (sample: QueueLengthSample) => void;
  readonly intervalMs?: number;
  /** A failed read or callback; the gauge keeps going (default: ignored). */
  readonly onError?: (err: unknown) => void;
}

export function watchQueueLength(options: WatchOptions): QueueLengthWatch {
  const intervalMs = options.intervalMs ?? QUEUE_LENGTH_INTERVAL_MS_DEFAULT;
  if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new RangeError('intervalMs must be a positive integer');
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const sample = async (): Promise<void> => {
    try {
      const stats = await options.stats().catch((err: unknown) => {
        if (err instanceof QueueNotFoundError) return null;
        throw err;
      });
      if (stopped) return;
      options.onSample({ queue: options.queue, counts: stats?.counts ?? ZERO_COUNTS, paused: stats?.paused ?? false });
    } catch (err) {
      options.onError?.(err);
    }
    if (!stopped) timer = setTimeout(() => void sample(), intervalMs);
  };
  void sample();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
