/**
 * HTTP-level limits and timeouts: the defaults `docket serve` runs with, each with its reason.
 * Payload-level limits (payload size, batch size, waitMs, …) live in the protocol and are
 * enforced by the engine and the route schemas alike.
 */
import { limits } from '@docket/protocol';

export interface ServerLimits {
  /** Any JSON body but the batch forms: a 1 MiB payload or result plus its envelope. */
  readonly bodyBytes: number;
  /** Enqueue, and batch ack/nack/extend: up to MAX_BATCH_SIZE items. */
  readonly batchBodyBytes: number;
  /** A raw (non-JSON) enqueue body: the payload itself. */
  readonly rawPayloadBytes: number;
  /** Longest path parameter, percent-encoded. */
  readonly maxParamLength: number;
}

export interface ServerTimeouts {
  /** Receiving a whole request (headers and body); long-poll waits come after and do not count. */
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** How often Node checks the two timeouts above. */
  readonly connectionsCheckingIntervalMs: number;
}

/**
 * 64 KiB of envelope over the payload limit: options, meta and JSON escaping of a payload at
 * the limit fit; a larger body is refused before it is read.
 */
const ENVELOPE_BYTES = 64 * 1024;

export const DEFAULT_LIMITS: ServerLimits = {
  bodyBytes: limits.MAX_PAYLOAD_BYTES + ENVELOPE_BYTES,
  /**
   * 16 MiB: 1 000 jobs of 16 KiB each. JSON.parse of 16 MiB takes about 100 ms of event loop;
   * bigger batches would stall other requests for longer than one commit takes.
   */
  batchBodyBytes: 16 * 1024 * 1024,
  rawPayloadBytes: limits.MAX_PAYLOAD_BYTES,
  /** A 200-character queue name or job id made only of percent-encoded characters (3 each). */
  maxParamLength: 600,
};

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  /** A client that has not sent its whole request in 30 s is slow-loris, not slow. */
  requestTimeoutMs: 30_000,
  /** Headers are small: 10 s is generous on any real network. */
  headersTimeoutMs: 10_000,
  /**
   * fastify's default, above the 60 s idle timeout of common load balancers: a server that
   * closes an idle connection first makes a proxy reuse a dead one and answer 502.
   */
  keepAliveTimeoutMs: 72_000,
  connectionsCheckingIntervalMs: 1_000,
};
