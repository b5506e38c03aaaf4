/**
 * Live updates: the auto-refresh switch (kept in localStorage) and `usePoll`, which reloads a
 * page's data on an interval while the switch is on and the tab is visible.
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

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: string | null;
  readonly reload: () => void;
}

/** Loads `load()` now, whenever `deps` change, and every `intervalMs` while live. */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number, deps: readonly unknown[]): Loaded<T> {
  const live = useLive();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let stale = false;
    loadRef.current().then(
      (value) => {
        if (!stale) {
          setData(value);
          setError(null);
        }
      },
      (err: unknown) => {
        if (!stale) setError(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      stale = true;
    };
  }, [...deps, tick]);
  useEffect(() => {
    if (!live) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
    }, intervalMs);
    return () => clearInterval(timer);
  }, [live, intervalMs]);
  return { data, error, reload: () => setTick((n) => n + 1) };
}
