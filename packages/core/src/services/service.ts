/**
 * The base of every background service: runs `runOnce` every `intervalMs` on the engine's clock,
 * never two runs at once, and earlier when asked (`wakeAt`), so a delayed job is promoted at its
 * due time rather than at the next tick. A run that moved a full batch (`limit`) runs again at
 * once, so a backlog drains in bounded steps without blocking the event loop for long.
 *
 * States: stopped → started (a timer is armed, or a run is in flight) → stopped. Invariants: at
 * most one timer armed and at most one run in flight; every requested wake time later than the
 * last run's start is remembered (up to MAX_HINTS, beyond which the interval is the fallback)
 * and the timer is always armed at the earliest of them or the next interval.
 */
import type { Clock, TimerHandle } from '../clock.ts';

export interface ServiceHooks {
  readonly onRan: (service: string, count: number) => void;
  readonly onError: (service: string, error: unknown) => void;
}

export interface RunResult {
  readonly count: number;
  /** True when the run hit its batch limit and more work is likely waiting. */
  readonly more: boolean;
}

export abstract class PeriodicService {
  abstract readonly name: string;
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #hooks: ServiceHooks;
  #timer: TimerHandle | undefined;
  #timerAt = Infinity;
  #running: Promise<void> | undefined;
  #started = false;
  #rerun = false;
  /** Requested wake times not yet served, ascending. */
  #hints: number[] = [];

  constructor(clock: Clock, intervalMs: number, hooks: ServiceHooks) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#hooks = hooks;
  }

  protected abstract runOnce(now: number): Promise<RunResult>;

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#arm(this.#clock.now() + this.#intervalMs);
  }

  /** Stops the timer and waits for a run in flight. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#timerAt = Infinity;
    await this.#running;
  }

  /** Asks for a run no later than `at` (clock time). */
  wakeAt(at: number): void {
    if (!this.#started) return;
    if (this.#running !== undefined && at <= this.#clock.now()) {
      this.#rerun = true;
      return;
    }
    this.#remember(at);
    if (at < this.#timerAt && this.#running === undefined) this.#arm(at);
  }

  #remember(at: number): void {
    const i = this.#hints.findIndex((h) => h >= at);
    if (i === -1) this.#hints.push(at);
    else if (this.#hints[i] !== at) this.#hints.splice(i, 0, at);
    if (this.#hints.length > MAX_HINTS) this.#hints.pop();
  }

  /** Runs now (tests and shutdown use it); resolves when this run ends. */
  async runNow(): Promise<number> {
    while (this.#running !== undefined) await this.#running;
    let count = 0;
    const startedAt = this.#clock.now();
    this.#hints = this.#hints.filter((h) => h > startedAt);
    const run = (async () => {
      try {
        const result = await this.runOnce(startedAt);
        count = result.count;
        this.#rerun ||= result.more;
        this.#hooks.onRan(this.name, result.count);
      } catch (err) {
        this.#hooks.onError(this.name, err);
      }
    })();
    this.#running = run;
    await run;
    this.#running = undefined;
    return count;
  }

  #arm(at: number): void {
    this.#timer?.cancel();
    this.#timerAt = at;
    this.#timer = this.#clock.setTimer(at - this.#clock.now(), () => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      void this.#tick();
    });
  }

  async #tick(): Promise<void> {
    await this.runNow();
    if (!this.#started) return;
    const again = this.#rerun;
    this.#rerun = false;
    const now = this.#clock.now();
    const next = again ? now : Math.min(now + this.#intervalMs, this.#hints[0] ?? Infinity);
    if (next < this.#timerAt) this.#arm(next);
  }
}

/** Wake times remembered at once; beyond this (a burst of distinct delays) the interval catches up. */
const MAX_HINTS = 1_000;

/** Checks a service interval: a positive integer of milliseconds. */
export function validateIntervalMs(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer of ms`);
  return value;
}
