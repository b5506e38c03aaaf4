/**
 * Graceful shutdown of an app built by buildApp:
 * 1. /readyz answers 503 (draining), optionally for `drainMs` while traffic moves elsewhere;
 * 2. closing: the server stops listening; new requests (on connections already open) get 503
 *    UNAVAILABLE with `connection: close`; waiting long-polls return empty, enqueue-and-wait
 *    calls return the job as it is, the event and consumer streams and the doors' subscribe
 *    streams end (their held jobs given back); HTTP/2 sessions get GOAWAY;
 * 3. in-flight requests finish; the HTTP/1.1 connections left close after a short grace once
 *    none is in flight (listeners/closing-connections.ts);
 * 4. the engine closes (its pending group commit flushed), unless buildApp was told not to.
 */
import type { FastifyInstance } from 'fastify';
import { Lifecycle } from './lifecycle.ts';

const lifecycles = new WeakMap<FastifyInstance, Lifecycle>();

/** Creates the lifecycle of a new app and ties it to fastify's close. */
export function attachLifecycle(app: FastifyInstance): Lifecycle {
  const lifecycle = new Lifecycle();
  lifecycles.set(app, lifecycle);
  app.addHook('preClose', (done) => {
    lifecycle.close();
    done();
  });
  return lifecycle;
}

/** The lifecycle of an app built by buildApp (undefined for any other fastify instance). */
export function lifecycleOf(app: FastifyInstance): Lifecycle | undefined {
  return lifecycles.get(app);
}

export interface CloseAppOptions {
  /** How long /readyz answers 503 while requests are still served (default 0). */
  readonly drainMs?: number;
}

/**
 * @example
 * process.once('SIGTERM', () => void closeApp(app, { drainMs: 5_000 }));
 */
export async function closeApp(app: FastifyInstance, options: CloseAppOptions = {}): Promise<void> {
  lifecycleOf(app)?.drain();
  const drainMs = options.drainMs ?? 0;
  if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
  await app.close();
}
