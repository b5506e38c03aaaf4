/**
 * Closing a worker.
 *
 * States: open → closing → closed. Closing is graceful or forced:
 * - graceful (`close()`): no new leases (a pending long-poll is aborted; the server gives back
 *   what it claimed after the abort), running jobs finish and settle, then closed;
 * - forced (`close({ force: true })`, also while a graceful close is under way): running jobs'
 *   signals abort and their jobs go back to the front of their queues at once; closed when those
 *   give-backs are committed. A handler that ignores its signal may still be running then, but it
 *   can no longer ack: its job was given back.
 * Every close() call resolves when the worker is closed, whichever way it got there.
 */
import type { InFlight } from './in-flight.ts';

export interface Closable {
  /** Stops the lease loop: no lease is sent after this. */
  stopLeasing(): void;
  /** Settles when the lease loop has ended (every job it leased is in flight or given back). */
  readonly leasing: Promise<void>;
  readonly inFlight: InFlight<{ giveBack(): Promise<void> }>;
}

export interface CloseOptions {
  /** Abort running handlers and give their jobs back now instead of waiting for them. */
  readonly force?: boolean;
}

export class WorkerCloser {
  readonly #target: Closable;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #forced = false;
  #closed: Promise<void> | undefined;
  #markClosed: () => void = () => undefined;

  constructor(target: Closable) {
    this.#target = target;
  }

  get state(): 'open' | 'closing' | 'closed' {
    return this.#state;
  }

  close(options: CloseOptions = {}): Promise<void> {
    if (this.#closed === undefined) {
      this.#state = 'closing';
      this.#closed = new Promise((resolve) => (this.#markClosed = resolve));
      this.#target.stopLeasing();
      void this.#finishGracefully();
    }
    if (options.force === true && !this.#forced && this.#state !== 'closed') {
      this.#forced = true;
      void this.#finishForcibly();
    }
    return this.#closed;
  }

  async #finishGracefully(): Promise<void> {
    await this.#target.leasing;
    await this.#target.inFlight.empty();
    this.#done();
  }

  async #finishForcibly(): Promise<void> {
    await this.#target.leasing;
    await Promise.all(this.#target.inFlight.values().map((run) => run.giveBack()));
    this.#done();
  }

  #done(): void {
    this.#state = 'closed';
    this.#markClosed();
  }
}
