/**
 * The scheduler: the background service that fires due schedules. It sleeps until the earliest
 * `nextFireAt` the store reports (no polling while that is known), fires every due schedule of
 * the pass (up to DUE_BATCH) with one `scheduleFireMany` (one commit on SQLite; each fire still
 * its own atomic step, guarded by its version), and sleeps again until the earliest next fire.
 *
 * Over a shared store a schedule may be put through another server, which gives this one no
 * wake: the interval (SCHEDULER_SHARED_INTERVAL_MS, 1 s) bounds how late this server learns of
 * it (the server that put it fires it on time). Over SQLite the interval is only a safety net.
 *
 * Errors: a failed run is reported (`service:error`, the server logs it) and retried after a
 * backoff (RETRY_MIN_MS doubling to RETRY_MAX_MS); a schedule whose queue is full
 * (QueueFullError) waits RETRY_MAX_MS before its tick is tried again. Stops with the engine's
 * other services (`stop` waits for the run in flight).
 */
import { QueueFullError } from '@docket/protocol';
import type { Clock } from '../clock.ts';
import type { EngineCore } from '../engine-core.ts';
import { PeriodicService, validateIntervalMs, type RunResult, type ServiceHooks } from '../services/service.ts';
import { fireDueMany } from './fire.ts';
import type { SchedulerConfig } from './scheduler-config.ts';

export const SCHEDULER_SHARED_INTERVAL_MS = 1_000;
export const SCHEDULER_LOCAL_INTERVAL_MS = 60_000;
/** Due schedules read per store call. */
const DUE_BATCH = 1_000;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;

export class Scheduler extends PeriodicService {
  readonly name = 'scheduler';
  readonly #core: () => EngineCore;
  readonly #clock: Clock;
  #retryMs = 0;
  /** Schedules whose queue was full, and when to try them again. */
  readonly #held = new Map<string, number>();

  constructor(
    core: () => EngineCore,
    clock: Clock,
    shared: boolean,
    hooks: ServiceHooks,
    config: Partial<SchedulerConfig> = {},
  ) {
    const fallback = shared ? SCHEDULER_SHARED_INTERVAL_MS : SCHEDULER_LOCAL_INTERVAL_MS;
    super(clock, validateIntervalMs('scheduler.intervalMs', config.intervalMs ?? fallback), hooks);
    this.#core = core;
    this.#clock = clock;
  }

  /** Starts, and fires what fell due while no server ran (catch-up) at once. */
  override start(): void {
    super.start();
    this.wakeAt(this.#clock.now());
  }

  protected async runOnce(now: number): Promise<RunResult> {
    try {
      const result = await this.#fireDue(now);
      this.#retryMs = 0;
      return result;
    } catch (err) {
      this.#retryMs = Math.min(RETRY_MAX_MS, Math.max(RETRY_MIN_MS, this.#retryMs * 2));
      this.wakeAt(this.#clock.now() + this.#retryMs);
      throw err;
    }
  }

  async #fireDue(now: number): Promise<RunResult> {
    const core = this.#core();
    const { due, nextAt } = await core.store.scheduleDue({ now, limit: DUE_BATCH });
    const ready = due.filter((record) => (this.#held.get(record.name) ?? -Infinity) <= now);
    const outcomes = ready.length === 0 ? [] : await fireDueMany(core, ready, now);
    let fired = 0;
    let failure: Error | null = null;
    let earliest = nextAt ?? Infinity;
    for (const [i, outcome] of outcomes.entries()) {
      const name = ready[i]?.name ?? '';
      if (outcome.ok) {
        this.#held.delete(name);
        const { result } = outcome;
        if (!result.fired) continue;
        fired += result.results.length;
        if (result.schedule.nextFireAt !== null) earliest = Math.min(earliest, result.schedule.nextFireAt);
      } else if (outcome.error instanceof QueueFullError) {
        this.#held.set(name, now + RETRY_MAX_MS);
      } else {
        failure ??= outcome.error;
      }
    }
    for (const at of this.#held.values()) earliest = Math.min(earliest, at);
    if (earliest !== Infinity) this.wakeAt(earliest);
    if (failure !== null) throw failure;
    return { count: fired, more: due.length >= DUE_BATCH && ready.length > 0 };
  }
}
