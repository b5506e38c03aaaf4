/**
 * Every door on a real listener of 127.0.0.1, as `docket serve` composes them: the app (with
 * /v1 and the emq, presque and miniqueue HTTP doors), the miniqueue RESP door and the SQS door,
 * all over one engine. Closing stops the doors' own listeners, then the app and its engine.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { startRespDoor, type RespDoor } from '@docket/door-miniqueue';
import { startSqsDoor, type SqsDoor } from '@docket/door-sqs';
import { createMetricsRegistry } from '../../src/mod.ts';
import { createHarness, type Harness, type HarnessOptions } from './harness.ts';

export interface DoorListeners {
  readonly harness: Harness;
  /** The app's base URL (`http://127.0.0.1:<port>`). */
  readonly httpUrl: string;
  readonly httpPort: number;
  readonly respPort: number;
  readonly sqsUrl: string;
  close(): Promise<void>;
}

export interface DoorListenerOptions extends HarnessOptions {
  /** The RESP and SQS doors' logger (default: the app's). */
  readonly doorLog?: FastifyBaseLogger;
}

export async function openDoorListeners(options: DoorListenerOptions = {}): Promise<DoorListeners> {
  const { doorLog, ...harnessOptions } = options;
  const registry = createMetricsRegistry();
  const harness = await createHarness({ registry, ...harnessOptions });
  const log = doorLog ?? harness.app.log;
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  const httpPort = (harness.app.server.address() as AddressInfo).port;
  const { engine } = harness;
  const resp: RespDoor = await startRespDoor({ engine, host: '127.0.0.1', port: 0, log, registry });
  const sqs: SqsDoor = await startSqsDoor({ engine, host: '127.0.0.1', port: 0, log });
  return {
    harness,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    httpPort,
    respPort: resp.port,
    sqsUrl: `http://127.0.0.1:${sqs.port}`,
    async close() {
      await sqs.close();
      await resp.close();
      await harness.close();
    },
  };
}
