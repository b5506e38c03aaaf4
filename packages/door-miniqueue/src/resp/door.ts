/**
 * miniqueue's Redis front end as a door of its own: a TCP listener speaking RESP2, served next to
 * the HTTP app when `docket serve` is given a port for it. It gets a port of its own because its
 * `PUBLISH`, `SUBSCRIBE` and `PING` mean something else than Redis's (seeds-reference.md 6.2).
 *
 * Who may use it is the miniqueue door's policy, as on its HTTP routes: the composition root
 * passes the app's guard for the door (`doorGuard(app, 'miniqueue')`); without one, every
 * connection is let in (library use).
 *
 * States: listening → closing → closed. `close()` stops accepting, makes every connection give
 * its held message back to the front of its topic, closes them, and resolves once all are gone;
 * it is idempotent.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { limits } from '@docket/protocol';
import type { Engine } from '@docket/core';
import { openDoorGuard, type DoorGuard } from '@docket/server';
import { type MetricsRegistry, CloseNotice, streamMetrics } from '@docket/server/door-support';
import { RespConnection } from './connection.ts';

/** Arguments larger than a payload may be are refused before they are buffered. */
const MAX_BULK_BYTES = limits.MAX_PAYLOAD_BYTES;
/** Enough for every subscriber of a busy deployment; each holds one socket and at most one message. */
const MAX_CONNECTIONS = 10_000;

export interface RespDoorOptions {
  readonly engine: Engine;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly log: FastifyBaseLogger;
  /** The app's metrics registry: subscribers count in its `docket_stream_subscribers`. */
  readonly registry: MetricsRegistry;
  /** The door's policy (`AUTH`, grants); default: every connection let in. */
  readonly guard?: DoorGuard;
}

export interface RespDoor {
  /** The port it listens on. */
  readonly port: number;
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startRespDoor(options: RespDoorOptions): Promise<RespDoor> {
  const closing = new CloseNotice();
  const running = new Set<Promise<void>>();
  const streams = streamMetrics(options.registry);
  const guard = options.guard ?? openDoorGuard();
  const serve = (socket: Socket): void => {
    socket.setNoDelay(true);
    const connection = new RespConnection(socket, {
      engine: options.engine,
      log: options.log,
      closing,
      maxBulkBytes: MAX_BULK_BYTES,
      streams,
      guard,
    });
    const run = connection.run();
    running.add(run);
    void run.finally(() => running.delete(run));
  };
  const server = createServer({ allowHalfOpen: true }, serve);
  server.maxConnections = MAX_CONNECTIONS;
  await listen(server, options.host, options.port);
  const address = server.address();
  let closed: Promise<void> | undefined;
  return {
    port: typeof address === 'object' && address !== null ? address.port : options.port,
    close(): Promise<void> {
      closed ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        closing.fire();
        await Promise.all(running);
        await stopped;
      })();
      return closed;
    },
  };
}
