/**
 * The bookkeeping behind runStoreConformance: which store the running test uses, which cases a
 * store skips and why, and how many cases actually ran.
 *
 * Invariants: case names are unique across the suite (a duplicate throws while the suite is
 * collected, so a skip entry can never match two cases); a skipped case is registered with
 * `it.skip` and its reason printed, never dropped; every skip entry must name a real case.
 * Cases run one at a time within a file (vitest's default), so one store is current at a time.
 */
import { it } from 'vitest';
import type { Store } from '@docket/core';

export interface StoreSkip {
  /** Why the store cannot pass these cases, tied to a capability it lacks. */
  readonly reason: string;
  /** Case names exactly as registered (the `it` title, without the describe path). */
  readonly tests: readonly string[];
}

/** What each case file gets: the running test's store and a skip-aware way to register cases. */
export interface CaseContext {
  /** The running test's store: fresh, migrated, isolated, closed after the test. */
  readonly store: () => Store;
  /**
   * A second store over the running test's backend and namespace, as another server would open
   * it (closed after the test, before the first); the running store itself when the store has one
   * server (SQLite), so the same races run on one store.
   */
  readonly peer: () => Promise<Store>;
  /** Closes the running test's store early (lifecycle cases); the suite then leaves it alone. */
  readonly closeStore: () => Promise<void>;
  /** Registers one case with `it`, or with `it.skip` (printing the reason) when the store skips it. */
  readonly test: (name: string, body: () => Promise<void>) => void;
}

export interface CaseRegistry {
  readonly context: CaseContext;
  /** Opens a fresh store for the next test. */
  readonly open: () => Promise<void>;
  /** Closes the running test's store unless the test closed it already. */
  readonly release: () => Promise<void>;
  readonly executedCount: () => number;
  /** Skip entries that matched no registered case (a typo or a renamed case). */
  readonly unmatchedSkips: () => string[];
}

export function createCaseRegistry(
  storeName: string,
  createStore: () => Promise<Store>,
  skips: readonly StoreSkip[],
  openPeer?: (store: Store) => Promise<Store>,
): CaseRegistry {
  const skipReasons = new Map<string, string>();
  for (const skip of skips) for (const name of skip.tests) skipReasons.set(name, skip.reason);
  const registered = new Set<string>();
  let current: Store | null = null;
  const peers: Store[] = [];
  let executed = 0;

  const store = (): Store => {
    if (current === null) throw new Error('no store is open: store() is only valid inside a conformance case');
    return current;
  };

  const release = async (): Promise<void> => {
    const open = current;
    current = null;
    for (const peer of peers.splice(0)) await peer.close();
    if (open !== null) await open.close();
  };

  const peer = async (): Promise<Store> => {
    const running = store();
    if (openPeer === undefined) return running;
    const opened = await openPeer(running);
    peers.push(opened);
    return opened;
  };

  const test = (name: string, body: () => Promise<void>): void => {
    if (registered.has(name)) throw new Error(`duplicate conformance case name: ${name}`);
    registered.add(name);
    const reason = skipReasons.get(name);
    if (reason !== undefined) {
      console.warn(`[store conformance: ${storeName}] skipping "${name}": ${reason}`);
      it.skip(name, body);
      return;
    }
    it(name, async () => {
      executed += 1;
      await body();
    });
  };

  return {
    context: { store, peer, closeStore: release, test },
    open: async () => {
      current = await createStore();
    },
    release,
    executedCount: () => executed,
    unmatchedSkips: () => [...skipReasons.keys()].filter((name) => !registered.has(name)),
  };
}
