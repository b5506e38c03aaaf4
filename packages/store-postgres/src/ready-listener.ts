/**
 * The one dedicated connection per store that LISTENs for other stores' ready notifications and
 * hands them to the engine's subscribers, so a long-poll parked on this server wakes when a job
 * is enqueued (or promoted, reaped, redriven) on another server.
 *
 * Why a dedicated connection: LISTEN is per session, and pooled connections come and go.
 *
 * States: idle (no subscriber, no connection) → listening (connected, LISTEN issued) ⇄
 * reconnecting (the connection failed or a ping went unanswered; retried with backoff from
 * RECONNECT_MIN_MS to RECONNECT_MAX_MS) → closed. It connects when the first subscriber arrives
 * and disconnects when the last one leaves or the store closes. Notifications sent while it was
 * reconnecting are lost, which the port allows (a parked long-poll then waits for its next wake
 * or its timeout). Its own node id's notifications are dropped; a subscriber that throws is
 * isolated from the others.
 */
import pg from 'pg';
import { decodeReady } from './ready-channel.ts';

export const RECONNECT_MIN_MS = 100;
export const RECONNECT_MAX_MS = 5_000;
/** A connection that died without a TCP reset is noticed by an unanswered ping within this + query timeout. */
export const PING_INTERVAL_MS = 15_000;

export type ReadySubscriber = (queue: string, count: number) => void;

export interface ReadyListenerOptions {
  readonly config: pg.ClientConfig;
  readonly channel: string;
  readonly nodeId: string;
}

export class ReadyListener {
  readonly #options: ReadyListenerOptions;
  readonly #subscribers = new Set<ReadySubscriber>();
  #client: pg.Client | null = null;
  #listening = false;
  #closed = false;
  #retryMs = RECONNECT_MIN_MS;
  #retryTimer: NodeJS.Timeout | null = null;
  #pingTimer: NodeJS.Timeout | null = null;

  constructor(options: ReadyListenerOptions) {
    this.#options = options;
  }

  /** True once LISTEN is in effect on a live connection. */
  get listening(): boolean {
    return this.#listening;
  }

  subscribe(subscriber: ReadySubscriber): () => void {
    if (this.#closed) return () => undefined;
    this.#subscribers.add(subscriber);
    if (this.#subscribers.size === 1) this.#connect();
    return () => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size === 0) void this.#disconnect();
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#subscribers.clear();
    await this.#disconnect();
  }

  #connect(): void {
    if (this.#closed || this.#client !== null || this.#subscribers.size === 0) return;
    const client = new pg.Client(this.#options.config);
    this.#client = client;
    client.on('notification', (message) => {
      if (message.channel === this.#options.channel) this.#deliver(message.payload);
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    client
      .connect()
      .then(() => client.query(`LISTEN "${this.#options.channel}"`))
      .then(() => {
        if (this.#client !== client) return;
        this.#listening = true;
        this.#retryMs = RECONNECT_MIN_MS;
        this.#pingTimer = setInterval(() => {
          client.query('SELECT 1').catch(() => this.#lost(client));
        }, PING_INTERVAL_MS).unref();
      })
      .catch(() => this.#lost(client));
  }

  #deliver(payload: string | undefined): void {
    const message = decodeReady(payload);
    if (message === null || message.node === this.#options.nodeId) return;
    for (const subscriber of [...this.#subscribers]) {
      try {
        subscriber(message.queue, message.count);
      } catch {
        // A subscriber's failure must not keep the others from waking.
      }
    }
  }

  /** The connection failed: drop it and try again later (unless nobody listens any more). */
  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#stopConnection();
    client.end().catch(() => undefined);
    if (this.#closed || this.#subscribers.size === 0) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, this.#retryMs).unref();
    this.#retryMs = Math.min(this.#retryMs * 2, RECONNECT_MAX_MS);
  }

  #stopConnection(): void {
    this.#client = null;
    this.#listening = false;
    if (this.#pingTimer !== null) clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }

  async #disconnect(): Promise<void> {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const client = this.#client;
    this.#stopConnection();
    if (client !== null) await client.end().catch(() => undefined);
  }
}
