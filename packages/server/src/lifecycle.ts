/**
 * The app's serving lifecycle, which readiness and shutdown share.
 *
 * States: serving → draining → closing.
 * - serving: everything answered; /readyz 200 when the injected check passes.
 * - draining: /readyz 503 so load balancers stop sending work; requests are still served.
 * - closing: fastify is closing; new requests get 503 UNAVAILABLE, long-polls and
 *   enqueue-and-wait calls are released at once (through `closing`), in-flight requests finish.
 * Transitions only move forward, and each happens once.
 */
import { CloseNotice } from './close-notice.ts';

export type LifecyclePhase = 'serving' | 'draining' | 'closing';

export class Lifecycle {
  #phase: LifecyclePhase = 'serving';
  readonly #closing = new CloseNotice();

  get phase(): LifecyclePhase {
    return this.#phase;
  }

  /** Fires when closing starts: long-running requests listen to it (and detach when they end). */
  get closing(): CloseNotice {
    return this.#closing;
  }

  drain(): void {
    if (this.#phase === 'serving') this.#phase = 'draining';
  }

  close(): void {
    if (this.#phase === 'closing') return;
    this.#phase = 'closing';
    this.#closing.fire();
  }
}
