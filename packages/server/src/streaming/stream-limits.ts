/**
 * Tunables of the consumer stream and the event stream: the defaults `docket serve` runs with,
 * each with its reason (docs/streams.md). buildApp takes overrides, so tests can shorten the
 * waits; the protocol's limits (MAX_STREAM_PREFETCH) bound what clients may ask for.
 */
import { limits } from '@docket/protocol';

export interface StreamLimits {
  /** Delivery pauses while this many bytes wait in a stream's send buffer. */
  readonly highWaterBytes: number;
  /** A stream whose send buffer passes this is a slow consumer at once (replies it does not read). */
  readonly maxBufferedBytes: number;
  /** A stream whose buffer stays above high water this long is a slow consumer. */
  readonly slowConsumerMs: number;
  /** How often a paused stream checks whether its buffer drained. */
  readonly drainCheckMs: number;
  /** A stream the server ended is cut after this if the client has not closed it (it may not be reading). */
  readonly closeGraceMs: number;
  /** WebSocket ping interval; a peer that has not answered the previous ping is dropped. */
  readonly pingIntervalMs: number;
  /** SSE comment heartbeat interval. */
  readonly heartbeatMs: number;
  /** Recent events kept per queue for resumption with Last-Event-ID. */
  readonly eventBufferSize: number;
  /** How long a queue's event buffer outlives its last subscriber, so a reconnect can resume. */
  readonly eventBufferIdleMs: number;
  /** Queues with an event buffer at once; a subscription beyond this is refused (503). */
  readonly maxEventQueues: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  /** 1 MiB: a few hundred small jobs in flight on the wire, or one job at the payload limit. */
  highWaterBytes: 1024 * 1024,
  /** Replies a consumer sent for but never read: 8 MiB is thousands of them, far past any healthy lag. */
  maxBufferedBytes: 8 * 1024 * 1024,
  /** A reader stalled 10 s is not catching up; its jobs serve others better. */
  slowConsumerMs: 10_000,
  /** Checked only while paused: 25 ms adds little latency and costs nothing while flowing. */
  drainCheckMs: 25,
  /** 1 s: a reading client answers a close frame in milliseconds. */
  closeGraceMs: 1000,
  /** 15 s: below the 30–60 s idle cut of common proxies, and finds a dead peer within 30 s. */
  pingIntervalMs: 15_000,
  heartbeatMs: 15_000,
  /** 1 000 events of a few hundred bytes each: well under 1 MiB per queue. */
  eventBufferSize: 1000,
  /** 5 minutes: long enough to ride out a client restart or a redeploy. */
  eventBufferIdleMs: 5 * 60_000,
  /**
   * 200 queues × 1 000 events of at most about 1.5 KiB (an error message is cut at 1 000
   * characters; most events are under 300 bytes): event memory stays under 300 MiB in the worst
   * case and a few tens of MiB in practice.
   */
  maxEventQueues: 200,
};

/** Largest client message: an ack whose result is at the payload limit, plus its envelope. */
export const MAX_STREAM_MESSAGE_BYTES = limits.MAX_PAYLOAD_BYTES + 64 * 1024;
/** The long-poll wait of a stream's lease calls; ended early whenever the window changes. */
export const STREAM_LEASE_WAIT_MS = 30_000;
