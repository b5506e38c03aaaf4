/**
 * Wake-ups across servers: notifyReady publishes `{ node, queue, count }` on the deployment's
 * channel; listeners hear the messages of other store instances through one subscriber
 * connection (a duplicate of the command connection, opened on the first listener), which
 * ignores messages carrying its own random node id. It subscribes on every (re)connection.
 * Best effort: a publish that fails is dropped (a remote long-poll then waits for its next wake
 * or its timeout), and messages sent while the subscriber is disconnected are missed.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

type ReadyListener = (queue: string, count: number) => void;

interface ReadyMessage {
  readonly node: string;
  readonly queue: string;
  readonly count: number;
}

function parseMessage(text: string): ReadyMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { node, queue, count } = value as Record<string, unknown>;
  if (typeof node !== 'string' || typeof queue !== 'string' || typeof count !== 'number') return null;
  return { node, queue, count };
}

export class ReadyNotifier {
  /** This store instance, so its own messages are not delivered back to it. */
  readonly node = randomUUID();
  readonly #client: Redis;
  readonly #channel: string;
  readonly #listeners = new Set<ReadyListener>();
  #subscriber: Redis | null = null;

  constructor(client: Redis, channel: string) {
    this.#client = client;
    this.#channel = channel;
  }

  notify(queue: string, count: number): void {
    const message = JSON.stringify({ node: this.node, queue, count } satisfies ReadyMessage);
    this.#client.publish(this.#channel, message).catch(() => undefined);
  }

  listen(listener: ReadyListener): () => void {
    this.#listeners.add(listener);
    this.#subscriber ??= this.#subscribe();
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #subscribe(): Redis {
    const subscriber = this.#client.duplicate();
    subscriber.on('error', () => undefined);
    // Subscribing on every ready (re)connection covers a first attempt that failed; SUBSCRIBE to a
    // channel already subscribed is a no-op.
    subscriber.on('ready', () => {
      subscriber.subscribe(this.#channel).catch(() => undefined);
    });
    subscriber.on('message', (channel: string, text: string) => {
      const message = channel === this.#channel ? parseMessage(text) : null;
      if (message === null || message.node === this.node) return;
      for (const listener of this.#listeners) {
        try {
          listener(message.queue, message.count);
        } catch {
          // A listener's failure is its own; the other listeners still hear the message.
        }
      }
    });
    return subscriber;
  }

  close(): void {
    this.#listeners.clear();
    this.#subscriber?.disconnect();
    this.#subscriber = null;
  }
}
