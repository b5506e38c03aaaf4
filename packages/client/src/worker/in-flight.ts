/**
 * In-flight tracking: the jobs a worker is running, keyed by lease token (unique per lease, so a
 * job given back and leased again is a new entry). The lease loop asks it for free slots and
 * waits on it for one to open; close waits on it for the last job to settle.
 *
 * Invariant: `size` never exceeds the worker's concurrency, because the loop leases at most the
 * free slots and adds each leased job before it asks again.
 */
export class InFlight<E> {
  readonly #entries = new Map<string, E>();
  #changed: Array<() => void> = [];

  get size(): number {
    return this.#entries.size;
  }

  add(key: string, entry: E): void {
    this.#entries.set(key, entry);
  }

  delete(key: string): void {
    if (!this.#entries.delete(key)) return;
    const waiters = this.#changed;
    this.#changed = [];
    for (const wake of waiters) wake();
  }

  values(): E[] {
    return [...this.#entries.values()];
  }

  /** Resolves once fewer than `limit` jobs run, or when `cancel` aborts. */
  async freeSlot(limit: number, cancel: AbortSignal): Promise<void> {
    while (this.#entries.size >= limit && !cancel.aborted) await this.#nextChange(cancel);
  }

  /** Resolves once nothing runs. */
  async empty(): Promise<void> {
    while (this.#entries.size > 0) await this.#nextChange();
  }

  #nextChange(cancel?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        cancel?.removeEventListener('abort', done);
        resolve();
      };
      this.#changed.push(done);
      cancel?.addEventListener('abort', done, { once: true });
    });
  }
}
