/**
 * The clock: the one source of time for the engine and its services.
 *
 * `systemClock` stamps with wall time sampled once at creation and advanced by the monotonic
 * clock, so a wall-clock jump cannot expire a lease early or late. Its reading is the wall time
 * floored to the millisecond, as `Date.now()` and the backends' clocks (Redis TIME, PostgreSQL
 * `now()`) give it: a stamp that lagged by a millisecond or two would let a worker that aborted
 * at its job's timeout be judged as not past it against a backend's lease stamp.
 *
 * `manualClock` moves only when a test calls `advance`/`set`, firing due timers in deadline
 * order; engine tests run on it with no sleeps. Stores never read a clock: the engine passes `now` in.
 */

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms` of this clock's time. */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

export function systemClock(): Clock {
  const origin = monotonicOrigin();
  return {
    now: () => Math.floor(origin + performance.now()),
    setTimer(ms, fn) {
      const timer = setTimeout(fn, Math.max(0, ms));
      timer.unref?.();
      return { cancel: () => clearTimeout(timer) };
    },
  };
}

/**
 * The wall time at `performance.now()` zero, to a fraction of a millisecond: the process's own
 * `timeOrigin`, unless the wall clock was stepped since the process started (then the step, to
 * the millisecond `Date.now()` gives).
 */
function monotonicOrigin(): number {
  const origin = performance.timeOrigin;
  const step = Date.now() - (origin + performance.now());
  return Math.abs(step) > 1 ? origin + step : origin;
}

export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, firing every timer that falls due, in order. A timer set for a
   * time already reached (delay 0, or a deadline a service computed in the past) fires on the
   * next turn of the event loop, as a real timer would.
   */
  advance(ms: number): void;
  /** Moves time to `t` (never backwards). */
  set(t: number): void;
  /** Timers not yet fired or cancelled. */
  pendingTimers(): number;
}

interface ManualTimer {
  readonly at: number;
  readonly order: number;
  readonly fn: () => void;
  cancelled: boolean;
}

export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let current = start;
  let order = 0;
  let timers: ManualTimer[] = [];

  const fireDue = (target: number): void => {
    for (;;) {
      const due = timers
        .filter((t) => !t.cancelled && t.at <= target)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (due === undefined) break;
      current = Math.max(current, due.at);
      due.cancelled = true;
      timers = timers.filter((t) => !t.cancelled);
      due.fn();
    }
    current = Math.max(current, target);
  };

  return {
    now: () => current,
    setTimer(ms, fn) {
      const timer: ManualTimer = { at: current + Math.max(0, ms), order: order++, fn, cancelled: false };
      timers.push(timer);
      if (ms <= 0) setImmediate(() => fireDue(current));
      return {
        cancel: () => {
          timer.cancelled = true;
          timers = timers.filter((t) => !t.cancelled);
        },
      };
    },
    advance: (ms) => fireDue(current + ms),
    set: (t) => fireDue(Math.max(current, t)),
    pendingTimers: () => timers.length,
  };
}
