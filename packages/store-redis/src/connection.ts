/**
 * The store's Redis connections. Commands fail fast instead of waiting for a connection: no
 * offline queue (a command while disconnected rejects at once), no resending of commands in
 * flight when a connection drops (a write may have run; resending could run it twice), and a
 * command timeout for a connection that stops answering. Reconnection runs forever with capped
 * exponential backoff, so the store recovers by itself when Redis returns. The last connection
 * error is remembered for probe().
 */
import { Redis, type RedisOptions } from 'ioredis';
import { UnavailableError } from '@docket/protocol';

/** 15 s: far above any single script's run time, far below an HTTP client's patience. */
export const COMMAND_TIMEOUT_MS_DEFAULT = 15_000;
/** 5 s to open a connection before the attempt counts as failed and backoff applies. */
export const CONNECT_TIMEOUT_MS_DEFAULT = 5_000;
/** Reconnect backoff: 50 ms doubling to at most 2 s, so recovery is noticed within 2 s. */
const RECONNECT_FIRST_MS = 50;
export const RECONNECT_MAX_MS = 2_000;

export interface ConnectionOptions {
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

export function reconnectDelay(attempt: number): number {
  return Math.min(RECONNECT_FIRST_MS * 2 ** Math.min(attempt - 1, 16), RECONNECT_MAX_MS);
}

export function commandOptions(options: ConnectionOptions): RedisOptions {
  return {
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs,
    retryStrategy: reconnectDelay,
  };
}

/** A command connection that remembers its last error (null once it is ready again). */
export class Connection {
  readonly client: Redis;
  #lastError: string | null = null;

  constructor(url: string, options: ConnectionOptions) {
    this.client = new Redis(url, commandOptions(options));
    this.client.on('error', (err: Error) => {
      this.#lastError = err.message;
    });
    this.client.on('ready', () => {
      this.#lastError = null;
    });
  }

  /** Null when ready; otherwise the connection's state and its last error. */
  get problem(): string | null {
    if (this.client.status === 'ready') return null;
    return `redis unreachable (${this.client.status}${this.#lastError === null ? '' : `: ${this.#lastError}`})`;
  }

  /** Resolves once the connection is ready; UnavailableError after `ms`. */
  async ready(ms: number): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        reject(new UnavailableError(`${this.problem ?? 'redis unreachable'} after ${ms} ms`));
      }, ms);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('ready', onReady);
    });
  }

  async close(): Promise<void> {
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }
}
