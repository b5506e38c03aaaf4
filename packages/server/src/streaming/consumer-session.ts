/**
 * One consumer stream connection: pushes leased jobs up to its prefetch window and settles them
 * (ack, nack, extend) as the consumer asks, on the same connection. Transport-free: it talks to
 * a StreamSocket (a WebSocket in production) so the rules live in one place.
 *
 * States: open → closing → closed.
 * - open: the delivery loop leases while the window has room and the socket is not backed up;
 *   client messages are applied.
 * - closing: no lease is sent; the lease in flight is aborted (the engine gives back what it
 *   claimed after the abort); client messages are ignored.
 * - closed: every job held by the connection was given back to the front of its queue.
 *
 * Invariants:
 * - held + (jobs of the lease in flight) ≤ prefetch: a lease asks for prefetch − held at most,
 *   and only one lease is in flight at a time. `held` counts leased and unsettled jobs.
 * - Every job leased for the connection ends in exactly one of: settled by the consumer, taken
 *   back by the engine (expiry, reaping: its settle is refused and it leaves `held`), or given
 *   back to the front when the connection ends.
 * - An `ok` reply is sent only after the engine call resolved (acked means durable).
 * - Memory is bounded: nothing is sent while the socket's buffer is above high water, and a
 *   buffer over the hard cap, or above high water for too long, ends the stream (slow-consumer).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Engine } from '@docket/core';
import {
  ErrorCode,
  InvalidArgumentError,
  STREAM_CLOSE_CODES,
  type Job,
  type JsonValue,
  type LeasedJob,
  type StreamClientMessage,
  type StreamCloseReason,
  type StreamRef,
} from '@docket/protocol';
import { errorReply } from '../http-errors.ts';
import type { CoalescedAck } from './ack-coalescer.ts';
import { renderJob } from '../wire.ts';
import { parseClientMessage } from './stream-messages.ts';
import { STREAM_LEASE_WAIT_MS, type StreamLimits } from './stream-limits.ts';

/** What the session needs of a WebSocket. */
export interface StreamSocket {
  send(text: string): void;
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

export interface SessionOptions {
  readonly engine: Engine;
  /** Acks go through here, so the acks of every stream in one loop turn share one engine call. */
  readonly ack: CoalescedAck;
  readonly queues: readonly string[];
  readonly prefetch: number;
  readonly leaseMs: number | undefined;
  readonly worker: string | undefined;
  readonly socket: StreamSocket;
  readonly limits: StreamLimits;
  readonly log: FastifyBaseLogger;
  /** Called once when the stream decides to end itself (slow consumer, shutdown), with why. */
  readonly onEnd?: (reason: StreamCloseReason) => void;
}

/** Codes meaning the job is no longer this connection's: its slot in the window is free. */
const NOT_OURS = new Set<string>([
  ErrorCode.LEASE_MISMATCH,
  ErrorCode.JOB_EXPIRED,
  ErrorCode.JOB_FINISHED,
  ErrorCode.JOB_NOT_FOUND,
]);
/** A lease that failed (storage trouble) is tried again after this pause, not in a tight loop. */
const LEASE_RETRY_MS = 1000;

const CLOSE_MESSAGES: Readonly<Record<StreamCloseReason, string>> = {
  shutdown: 'the server is shutting down: reconnect, your unacked jobs went back to the front',
  'slow-consumer': 'the consumer fell too far behind reading: its unacked jobs went back to the front',
  revoked: 'the access token was revoked or expired: its unacked jobs went back to the front',
  unresponsive: 'the consumer did not answer pings: its unacked jobs went back to the front',
};

export class ConsumerSession {
  readonly #o: SessionOptions;
  /** Leased and unsettled jobs of this connection: id → lease token. */
  readonly #held = new Map<string, string>();
  #prefetch: number;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #lease: AbortController | undefined;
  #leaseDone: Promise<void> = Promise.resolve();
  #announcedEmpty = false;
  /** Size of the last round's job frames; before the first, a 16th of high water (a first round of 16 jobs). */
  #frameBytes: number;
  #wake: (() => void) | undefined;
  #backedUpSince: number | undefined;
  readonly #delivering: Promise<void>;
  #closed: Promise<void> | undefined;

  constructor(options: SessionOptions) {
    this.#o = options;
    this.#prefetch = options.prefetch;
    this.#frameBytes = Math.max(1, Math.floor(options.limits.highWaterBytes / 16));
    this.#delivering = this.#deliver().catch((err: unknown) => {
      options.log.error({ err }, 'consumer stream delivery failed');
      void this.end();
    });
  }

  /** Jobs leased to this connection and not settled yet. */
  get held(): number {
    return this.#held.size;
  }

  get state(): 'open' | 'closing' | 'closed' {
    return this.#state;
  }

  /** One text message from the consumer. Never throws: a bad message gets an `error` reply. */
  receive(text: string): void {
    if (this.#state !== 'open') return;
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      this.#sendError(parsed.ref, undefined, parsed.error);
      return;
    }
    void this.#apply(parsed.message);
  }

  /** A binary message: the protocol is JSON text only. */
  refuseBinary(): void {
    if (this.#state !== 'open') return;
    this.#sendError(undefined, undefined, new InvalidArgumentError('invalid message: expected JSON text, not binary'));
  }

  /**
   * Ends the stream: stops delivery, gives every held job back to the front, and resolves once
   * those give-backs are committed. With a reason, the consumer is told (`closing`, then a close
   * frame with the reason's code). Idempotent.
   */
  end(reason?: StreamCloseReason): Promise<void> {
    if (this.#closed !== undefined) return this.#closed;
    this.#state = 'closing';
    this.#lease?.abort();
    this.#notify();
    if (reason !== undefined) {
      const message = CLOSE_MESSAGES[reason];
      this.#o.onEnd?.(reason);
      this.#trySend(JSON.stringify({ type: 'closing', reason, message }));
      this.#o.socket.close(STREAM_CLOSE_CODES[reason], reason);
    }
    this.#closed = this.#giveBackAll();
    return this.#closed;
  }

  async #giveBackAll(): Promise<void> {
    await this.#delivering;
    // Each nack to the front goes ahead of the queue's waiting jobs: giving back the last-leased
    // first leaves them in their leased order. One nackMany applies them in that order.
    const held = [...this.#held].reverse();
    this.#held.clear();
    const outcomes = await this.#o.engine.nackMany(held.map(([id, token]) => ({ id, token, placement: 'front' })));
    const failed = outcomes.filter((outcome) => !outcome.ok && !isNotOurs(outcome.error)).length;
    if (failed > 0) this.#o.log.warn({ failed }, 'consumer stream could not give every job back; leases will expire');
    this.#state = 'closed';
  }

  async #deliver(): Promise<void> {
    for (;;) {
      await this.#roomToDeliver();
      if (this.#state !== 'open') return;
      let done: () => void = () => undefined;
      this.#leaseDone = new Promise((resolve) => (done = resolve));
      try {
        await this.#leaseAndSend();
      } finally {
        done();
      }
    }
  }

  /**
   * One round: lease up to the free window and send what came. With nothing held and no `empty`
   * announced since the last job, it checks without waiting and announces `empty` when there is
   * nothing; otherwise it long-polls.
   */
  async #leaseAndSend(): Promise<void> {
    const free = Math.min(this.#prefetch - this.#held.size, this.#affordable());
    if (free <= 0) return;
    const probe = this.#held.size === 0 && !this.#announcedEmpty;
    const jobs = await this.#leaseJobs(free, probe ? 0 : STREAM_LEASE_WAIT_MS);
    if (jobs === null) return;
    for (const job of jobs) this.#held.set(job.id, job.leaseToken);
    if (this.#state !== 'open') return;
    if (jobs.length > 0) {
      this.#announcedEmpty = false;
      let bytes = 0;
      for (const job of jobs) {
        const frame = JSON.stringify({ type: 'job', job: renderJob(job) });
        bytes += frame.length;
        this.#o.socket.send(frame);
      }
      this.#frameBytes = Math.max(1, Math.round(bytes / jobs.length));
      this.#checkBuffer();
    } else if (probe) {
      this.#announcedEmpty = true;
      this.#o.socket.send('{"type":"empty"}');
    }
  }

  /**
   * Jobs whose frames fit in the room left under high water, going by the last round's frame
   * size: the lease itself stays within the buffer budget, so a window of large jobs is filled
   * a few at a time rather than read into memory at once.
   */
  #affordable(): number {
    const room = this.#o.limits.highWaterBytes - this.#o.socket.bufferedAmount;
    return Math.max(1, Math.floor(room / this.#frameBytes));
  }

  /** One lease call, abortable; null when it failed (reported, then paused). */
  async #leaseJobs(max: number, waitMs: number): Promise<readonly LeasedJob[] | null> {
    const controller = new AbortController();
    this.#lease = controller;
    try {
      return await this.#o.engine.lease({
        queues: this.#o.queues,
        max,
        waitMs,
        signal: controller.signal,
        ...(this.#o.leaseMs === undefined ? {} : { leaseMs: this.#o.leaseMs }),
        ...(this.#o.worker === undefined ? {} : { worker: this.#o.worker }),
      });
    } catch (err) {
      if (this.#state !== 'open') return [];
      this.#sendError(undefined, undefined, err);
      await new Promise((resolve) => setTimeout(resolve, LEASE_RETRY_MS));
      return null;
    } finally {
      this.#lease = undefined;
    }
  }

  /**
   * Resolves when the window has room and the socket drained below high water (or the stream
   * is closing). One macrotask passes first, so acks committed together free their slots
   * together and the next lease asks for all of them at once.
   */
  async #roomToDeliver(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#state !== 'open') return;
      if (this.#o.socket.bufferedAmount >= this.#o.limits.highWaterBytes) {
        await this.#waitForDrain();
        continue;
      }
      this.#backedUpSince = undefined;
      if (this.#held.size < this.#prefetch) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  async #waitForDrain(): Promise<void> {
    const now = performance.now();
    this.#backedUpSince ??= now;
    if (now - this.#backedUpSince >= this.#o.limits.slowConsumerMs) {
      void this.end('slow-consumer');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, this.#o.limits.drainCheckMs));
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async #apply(message: StreamClientMessage): Promise<void> {
    if (message.type === 'window') {
      await this.#setWindow(message.prefetch);
      if (this.#state === 'open') this.#reply(message.ref, undefined);
      return;
    }
    try {
      const job = await this.#settle(message);
      if (message.type !== 'extend') this.#release(message.id, message.token);
      if (this.#state === 'open') this.#reply(message.ref, job);
    } catch (err) {
      if (isNotOurs(err)) this.#release(message.id, message.token);
      if (this.#state === 'open') this.#sendError(message.ref, message.id, err);
    }
  }

  #settle(message: Exclude<StreamClientMessage, { type: 'window' }>): Promise<Job> {
    const engine = this.#o.engine;
    switch (message.type) {
      case 'ack':
        return this.#o.ack({
          id: message.id,
          token: message.token,
          ...(message.result === undefined ? {} : { result: message.result as JsonValue }),
        });
      case 'nack': {
        const { type: _type, ref: _ref, id, ...options } = message;
        return engine.nack(id, options);
      }
      case 'extend':
        return engine.extend(message.id, {
          token: message.token,
          ...(message.leaseMs === undefined ? {} : { leaseMs: message.leaseMs }),
        });
    }
  }

  /** A new window applies at once: the lease in flight (asked under the old one) is aborted. */
  async #setWindow(prefetch: number): Promise<void> {
    this.#prefetch = prefetch;
    this.#lease?.abort();
    await this.#leaseDone;
    this.#notify();
  }

  /** The job left the connection: its slot is free; an emptied window re-checks for work now. */
  #release(id: string, token: string): void {
    if (this.#held.get(id) !== token) return;
    this.#held.delete(id);
    if (this.#held.size === 0 && !this.#announcedEmpty) this.#lease?.abort();
    this.#notify();
  }

  #reply(ref: StreamRef | undefined, job: Job | undefined): void {
    if (ref === undefined) return;
    this.#trySend(JSON.stringify(job === undefined ? { type: 'ok', ref } : { type: 'ok', ref, job: renderJob(job) }));
    this.#checkBuffer();
  }

  #sendError(ref: StreamRef | undefined, id: string | undefined, err: unknown): void {
    const answer = errorReply(err);
    if (answer.body.error.code === ErrorCode.INTERNAL) {
      this.#o.log.error({ err, jobId: id }, 'consumer stream message failed with an unexpected error');
    }
    this.#trySend(JSON.stringify({ type: 'error', ref, id, error: answer.body.error }));
    this.#checkBuffer();
  }

  #trySend(text: string): void {
    try {
      this.#o.socket.send(text);
    } catch (err) {
      this.#o.log.debug({ err }, 'consumer stream send failed');
    }
  }

  /** Replies the consumer does not read pile up here: past the hard cap, the stream ends. */
  #checkBuffer(): void {
    if (this.#state === 'open' && this.#o.socket.bufferedAmount > this.#o.limits.maxBufferedBytes) {
      void this.end('slow-consumer');
    }
  }
}

function isNotOurs(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && NOT_OURS.has(String(err.code));
}
