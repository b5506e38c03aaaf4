/**
 * The worker's typed events and a small emitter for them (no node:events, so the SDK bundles
 * for the browser). A listener that throws is reported as an `error` event; an `error` nobody
 * listens to is written to the console rather than lost or thrown into the worker's loop.
 */
import type { JobOf, LeasedJobOf } from '../typed-job.ts';

export interface WorkerEvents<T, R> {
  /** The handler returned and the ack was committed. */
  completed: [job: JobOf<T, R>, result: R];
  /** The handler threw (or ran past its timeout); `retrying` or `dead` follows once the nack is committed. */
  failed: [job: LeasedJobOf<T>, error: Error];
  /** The job will run again: a failed attempt with attempts left, or RetryLater. */
  retrying: [job: JobOf<T, R>, error: Error];
  /** The job will not run again by itself: FailPermanently, or no attempts left. */
  dead: [job: JobOf<T, R>, error: Error];
  /** Trouble outside the handler: a lease, ack or nack failed, a lease was lost, a listener threw. */
  error: [error: Error];
  /** A lease found nothing to do while nothing was running. */
  drained: [];
}

type Listener<A extends unknown[]> = (...args: A) => void;

export class Emitter<E extends { [K in keyof E]: unknown[] } & { error: [error: Error] }> {
  readonly #listeners: { [K in keyof E]?: Set<Listener<E[K]>> } = {};

  on<K extends keyof E>(name: K, listener: Listener<E[K]>): () => void {
    const set = (this.#listeners[name] ??= new Set());
    set.add(listener);
    return () => this.off(name, listener);
  }

  off<K extends keyof E>(name: K, listener: Listener<E[K]>): void {
    this.#listeners[name]?.delete(listener);
  }

  /** The arguments of the next `name` event. */
  once<K extends keyof E>(name: K): Promise<E[K]> {
    return new Promise((resolve) => {
      const off = this.on(name, (...args) => {
        off();
        resolve(args);
      });
    });
  }

  emit<K extends keyof E>(name: K, ...args: E[K]): void {
    const set = this.#listeners[name];
    if (name === 'error' && (set === undefined || set.size === 0)) {
      console.error('docket worker error (listen to "error" to handle it):', ...args);
      return;
    }
    for (const listener of [...(set ?? [])]) {
      try {
        listener(...args);
      } catch (err) {
        // An "error" listener that throws has nowhere left to report to but the console.
        if (name === 'error') console.error('docket worker: an "error" listener threw:', err);
        else this.#emitError(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  #emitError(error: Error): void {
    this.emit('error', ...([error] as E['error']));
  }
}
