/**
 * The SDK suite in library mode over the shared stores: createLocalClient over an engine on the
 * machine's Redis, then on its PostgreSQL, each run on a fresh key prefix or schema. These stores
 * take time from the backend, so an absolute runAt moves by the clock offset measured at the
 * call: on one machine, the time between the engine's clock read and the backend's (well under
 * 50 ms).
 */
import { createLocalClient } from '@docket/client-local';
import { createEngine, type Store } from '@docket/core';
import { createPostgresStore } from '@docket/store-postgres';
import { createRedisStore } from '@docket/store-redis';
import { BACKENDS, backendAvailable, type Backend } from '../../../test/support/backends.ts';
import { runSdkSuite } from './sdk-suite.ts';

function storeFor(backend: Backend, namespace: string): Store {
  return backend.name === 'redis'
    ? createRedisStore({ url: 'redis://127.0.0.1:6379', prefix: namespace })
    : createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', schema: namespace });
}

for (const backend of BACKENDS) {
  if (!(await backendAvailable(backend))) continue;
  runSdkSuite(`an in-process engine over ${backend.name}`, async () => {
    const namespace = backend.namespace();
    const store = storeFor(backend, namespace);
    await store.migrate();
    const engine = createEngine({ store });
    engine.start();
    return {
      client: createLocalClient({ engine }),
      clockOffsetMs: 50,
      async close() {
        await engine.close();
        await backend.drop(namespace);
      },
    };
  });
}
