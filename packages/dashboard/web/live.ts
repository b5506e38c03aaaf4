/**
 * Live updates: the auto-refresh switch (kept in localStorage) and `usePoll`, which reloads a
 * page's data on an interval while the switch is on and the tab is visible, never sooner than
 * the poll budget allows (POLL_BUDGET_FACTOR, or COUNT_BUDGET_FACTOR for reads that count a
 * backlog).
 */
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';

export const LiveContext = createContext<boolean>(true);

export function useLive(): boolean {
  return useContext(LiveContext);
}

export function initialLive(): boolean {
  return localStorage.getItem('docket.live') !== 'off';
}

export function storeLive(on: boolean): void {
  localStorage.setItem('docket.live', on ? 'on' : 'off');
}

/**
 * A poll waits at least this many times as long as its last load took: a page whose loads grow
 * slow (large counts on a busy server) polls less often, so one open page never keeps the
 * server busy more than about 2 % of the time, whatever the job rate or backlog.
 */
export const POLL_BUDGET_FACTOR = 50;

/** An event-driven refresh waits for the budget at most this long, so live views stay live. */
export const LIVE_REFRESH_MAX_WAIT_MS = 2000;

/**
 * The budget of a read that counts a queue's jobs (`GET /v1/queues/{name}`, the queue list):
 * counting reads each state's index, so its cost grows with the backlog (about 35 ms for a
 * million waiting jobs on SQLite). Such a read waits 500 times as long as the server says its
 * counting took (`Server-Timing: count;dur=`), event-driven refreshes included (no
 * LIVE_REFRESH_MAX_WAIT_MS shortcut): at most 0.2 % of the server's time per open page,
 * whatever the backlog, so no more than 2 % of its throughput even when the server gets a tenth
 * of a core; with a small backlog (a count under 2 ms) it still follows every activity frame.
 */
export const COUNT_BUDGET_FACTOR = 500;

export interface PollOptions<T> {
  /** The poll budget: the next load waits at least this many times as long as the last took. */
  readonly budgetFactor?: number;
  /** How long an event-driven refresh waits for the budget at most. */
  readonly refreshMaxWaitMs?: number;
  /** The load's cost in ms, for the budget, instead of the time the load took here (null: that time). */
  readonly costMs?: (value: T) => number | null;
}

/**
 * Options for a read that counts a backlog: its budget is the server's counting time (the time
 * the load took here when the answer does not say), and holds for refreshes too.
 */
export function counting<T extends { readonly countMs: number | null }>(): PollOptions<T> {
  return { budgetFactor: COUNT_BUDGET_FACTOR, refreshMaxWaitMs: Infinity, costMs: (value) => value.countMs };
}

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: string | null;
  /** Loads again now. */
  readonly reload: () => void;
  /**
   * An event-driven refresh: loads again once the budget has passed, or `refreshMaxWaitMs`
   * (LIVE_REFRESH_MAX_WAIT_MS by default) after the last load ended, whichever comes first (now,
   * if that time is past); several calls before then make one load.
   */
  readonly refresh: () => void;
}

/**
 * Loads `load()` now, whenever `deps` change, and while live again `intervalMs` (or the budget's
 * longer wait) after each load ends, skipping turns while the tab is hidden.
 */
export function usePoll<T>(
  load: () => Promise<T>,
  intervalMs: number,
  deps: readonly unknown[],
  options: PollOptions<T> = {},
): Loaded<T> {
  const budgetFactor = options.budgetFactor ?? POLL_BUDGET_FACTOR;
  const refreshMaxWaitMs = options.refreshMaxWaitMs ?? LIVE_REFRESH_MAX_WAIT_MS;
  const live = useLive();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const liveRef = useRef(live);
  liveRef.current = live;
  /** When the last load ended, and until when the budget holds off the next (its duration × factor). */
  const budget = useRef({ endedAt: 0, until: 0 });
  useEffect(() => {
    let stale = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const again = (): void => {
      if (stale || !liveRef.current) return;
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
      else timer = setTimeout(again, intervalMs);
    };
    const started = performance.now();
    const settled = (costMs: number = performance.now() - started): void => {
      const budgetMs = costMs * budgetFactor;
      budget.current = { endedAt: Date.now(), until: Date.now() + budgetMs };
      if (!stale) timer = setTimeout(again, Math.max(intervalMs, budgetMs));
    };
    loadRef.current().then(
      (value) => {
        if (!stale) {
          setData(value);
          setError(null);
        }
        settled(options.costMs?.(value) ?? undefined);
      },
      (err: unknown) => {
        if (!stale) setError(err instanceof Error ? err.message : String(err));
        settled();
      },
    );
    return () => {
      stale = true;
      if (timer !== null) clearTimeout(timer);
    };
  }, [...deps, tick]);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (pending.current !== null) clearTimeout(pending.current);
    },
    [],
  );
  const reload = (): void => setTick((n) => n + 1);
  const refresh = (): void => {
    if (pending.current !== null) return;
    const { endedAt, until } = budget.current;
    const waitMs = Math.min(until, endedAt + refreshMaxWaitMs) - Date.now();
    if (waitMs <= 0) {
      reload();
      return;
    }
    pending.current = setTimeout(() => {
      pending.current = null;
      reload();
    }, waitMs);
  };
  const wasLive = useRef(live);
  useEffect(() => {
    if (live && !wasLive.current) setTick((n) => n + 1);
    wasLive.current = live;
  }, [live]);
  return {
    data,
    error,
    reload,
    refresh,
  };
}
