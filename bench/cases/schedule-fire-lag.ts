/**
 * Schedule fire lag (issue 16's bench): one engine (the scheduler a `docket serve` runs) over a
 * SQLite file, 10 000 schedules `every: 1s`, for DURATION_S. A fire's lag is the time from its
 * tick (`meta.scheduledAt`) to its job's `job:enqueued` event, after the fire's commit; the first
 * WARMUP_S seconds of ticks are not measured. Two layouts: `spread`, each schedule ticking from
 * its own PUT (the ticks fall across the second), and `aligned`, every schedule from one
 * `startAt` (10 000 fires due in the same millisecond, the worst case). Goal: p99 < 100 ms.
 * Jitter: one schedule on an otherwise idle engine, JITTER_FIRES fires; goal p99 < 50 ms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '@docket/core';
import { createSqliteStore } from '@docket/store-sqlite';

const SCHEDULES = 10_000;
const DURATION_S = 12;
const WARMUP_S = 3;
const JITTER_FIRES = 20;
const PUT_PARALLEL = 100;

export interface FireLag {
  readonly case: 'schedule-fire-lag';
  readonly layout: 'spread' | 'aligned' | 'single';
  readonly schedules: number;
  readonly fires: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

async function withEngine<T>(run: (engine: Engine) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'docket-bench-schedules-'));
  const store = createSqliteStore({ path: join(dir, 'docket.db') });
  await store.migrate();
  const engine = createEngine({ store });
  engine.start();
  try {
    return await run(engine);
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Lags of the fires whose tick is at or after `from`, until `until` (wall clock). */
function recordLags(engine: Engine, from: number): { lags: number[]; stop: () => void } {
  const lags: number[] = [];
  const stop = engine.events.on('job:enqueued', ({ job }) => {
    const tick = Date.parse(job.meta.scheduledAt ?? '');
    if (tick >= from) lags.push(Date.now() - tick);
  });
  return { lags, stop };
}

function summary(layout: FireLag['layout'], schedules: number, lags: number[]): FireLag {
  const sorted = [...lags].sort((a, b) => a - b);
  return {
    case: 'schedule-fire-lag',
    layout,
    schedules,
    fires: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function measureFireLag(layout: 'spread' | 'aligned'): Promise<FireLag> {
  return withEngine(async (engine) => {
    const startAt = Math.ceil(Date.now() / 1000) * 1000 + 60_000;
    for (let i = 0; i < SCHEDULES; i += PUT_PARALLEL) {
      await Promise.all(
        Array.from({ length: Math.min(PUT_PARALLEL, SCHEDULES - i) }, (_, k) =>
          engine.putSchedule(`s-${i + k}`, {
            queue: `q-${(i + k) % 10}`,
            everyMs: 1_000,
            data: { n: i + k },
            ...(layout === 'aligned' ? { startAt } : {}),
          }),
        ),
      );
    }
    if (layout === 'aligned') await pause(Math.max(0, startAt - Date.now()));
    const from = Date.now() + WARMUP_S * 1000;
    const { lags, stop } = recordLags(engine, from);
    await pause(WARMUP_S * 1000 + DURATION_S * 1000);
    stop();
    return summary(layout, SCHEDULES, lags);
  });
}

export function measureJitter(): Promise<FireLag> {
  return withEngine(async (engine) => {
    await engine.putSchedule('alone', { queue: 'alone', everyMs: 1_000 });
    const { lags, stop } = recordLags(engine, Date.now() + 1_500);
    while (lags.length < JITTER_FIRES) await pause(100);
    stop();
    return summary('single', 1, lags);
  });
}
