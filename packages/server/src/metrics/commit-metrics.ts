/**
 * Storage commit metrics (`docket_storage_commit_batch_size`, `docket_storage_commit_duration_seconds`).
 * The store exists before the app (the engine arrives built), so the composition root creates
 * these first, hands `observeCommit` to the store's commit listener, and passes them to
 * buildApp, which registers them with the app's registry. Observations made before that count.
 *
 * @example
 * const commits = createCommitMetrics();
 * const store = createSqliteStore({ path, onCommit: commits.observeCommit });
 * const app = buildApp({ engine: createEngine({ store }), commitMetrics: commits });
 */
import { Histogram, type Registry } from 'prom-client';

export interface CommitObservation {
  /** Operations in the group commit. */
  readonly ops: number;
  readonly durationMs: number;
}

export interface CommitMetrics {
  /** Records one group commit; safe to pass around unbound, never throws. */
  readonly observeCommit: (commit: CommitObservation) => void;
  /** Registers both histograms with a registry (buildApp does it). */
  readonly register: (registry: Registry) => void;
}

/** Powers of two up to the largest batch a commit can hold (MAX_BATCH_SIZE jobs of one request, and more). */
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];
/** From 0.1 ms (no fsync) to 1 s (a struggling disk): fsync on SSDs takes 0.5–5 ms. */
const DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export function createCommitMetrics(): CommitMetrics {
  const batchSize = new Histogram({
    name: 'docket_storage_commit_batch_size',
    help: 'operations per storage group commit',
    buckets: BATCH_SIZE_BUCKETS,
    registers: [],
  });
  const duration = new Histogram({
    name: 'docket_storage_commit_duration_seconds',
    help: 'duration of a storage group commit, fsync included',
    buckets: DURATION_BUCKETS,
    registers: [],
  });
  return {
    observeCommit: ({ ops, durationMs }) => {
      if (!Number.isFinite(ops) || !Number.isFinite(durationMs)) return;
      batchSize.observe(ops);
      duration.observe(durationMs / 1000);
    },
    register: (registry) => {
      registry.registerMetric(batchSize);
      registry.registerMetric(duration);
    },
  };
}
