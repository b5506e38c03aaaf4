/**
 * In-flight tracking: the jobs a worker holds, keyed by lease token (unique per lease, so a job
 * given back and leased again is a new entry). A job holds a slot while its handler runs; once
 * the handler has returned a result its slot is free for the next job (`release`), while its
 * ack on the way keeps it in flight. So the next lease goes out beside the acks of the last
 * batch instead of after them. The lease loop asks for free slots and waits for one to open;
 * close waits for the last job to settle.
 *
 * A lease request on its way reserves the slots it asks for, so that two lease requests in
 * flight at once never ask for more than the free slots between them.
 *
 * Invariants: `running` (handlers not yet returned) plus the reserved slots never exceeds the
 * worker's concurrency, and `size` (running plus settling) plus the reserved slots never exceeds
 * twice that, because a lease asks for at most `free(limit)` jobs, reserved until it answers, and
 * each leased job is added before the reservation is let go.
 */
export class InFlight<E> {
  readonly #entries = new Map<string, E>();
  readonly #running = new Set<string>();
  #reserved = 0;
  #changed: Array<() => void> = [];

  /** Jobs held: running or settling. */
  get size(): number {
    return this.#entries.size;
  }

  /** Jobs whose handler has not returned. */
  get running(): number {
    return this.#running.size;
  }

  /** Nothing held and no lease on its way. */
  get idle(): boolean {
    return this.#entries.size === 0 && this.#reserved === 0;
  }

  /** Holds `count` slots for a lease request on its way. */
  reserve(count: number): void {
    this.#reserved += count;
  }

  /** Lets go of a lease request's slots, after adding the jobs it brought. */
  unreserve(count: number): void {
    this.#reserved -= count;
    this.#wake();
  }

  add(key: string, entry: E): void {
    this.#entries.set(key, entry);
    this.#running.add(key);
  }

  /** The job's handler returned: its slot is free, though it stays held until it settles. */
  release(key: string): void {
    if (this.#running.delete(key)) this.#wake();
  }

  delete(key: string): void {
    this.#running.delete(key);
    if (this.#entries.delete(key)) this.#wake();
  }

  values(): E[] {
    return [...this.#entries.values()];
  }

  /** How many jobs may be added now under `limit` running (and 2 × `limit` held). */
  free(limit: number): number {
    const held = this.#reserved;
    return Math.max(0, Math.min(limit - this.#running.size - held, 2 * limit - this.#entries.size - held));
  }

  /** Resolves once a job may be added under `limit`, or when `cancel` aborts. */
  async freeSlot(limit: number, cancel: AbortSignal): Promise<void> {
    while (this.free(limit) === 0 && !cancel.aborted) await this.#nextChange(cancel);
  }

  /** Resolves once nothing is held. */
  async empty(): Promise<void> {
    while (this.#entries.size > 0) await this.#nextChange();
  }

  #wake(): void {
    const waiters = this.#changed;
    this.#changed = [];
    for (const wake of waiters) wake();
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
