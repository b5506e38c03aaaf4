/**
 * The SDK's Client over an in-process engine (library mode): the same interface as
 * `createClient` over HTTP, so queues, workers, tasks and typed jobs work unchanged. The engine
 * belongs to the caller, who starts and closes it.
 */
import { clientFromTransport, type Client } from '@docket/client';
import type { Engine } from '@docket/core';
import { createLocalTransport } from './local-transport.ts';

export interface LocalClientOptions {
  readonly engine: Engine;
}

/**
 * @example
 * const store = createSqliteStore({ path: './data/docket.db' });
 * await store.migrate();
 * const engine = createEngine({ store });
 * engine.start();
 * const client = createLocalClient({ engine });
 * await client.queue('emails').enqueue({ to: 'a@example.com' });
 */
export function createLocalClient(options: LocalClientOptions): Client {
  return clientFromTransport(createLocalTransport(options.engine));
}
