/**
 * A read-through cache of queue configs, so enqueue does not read the store for every job.
 * Entries live `ttlMs`, so a config changed on another node is seen within that time; changes
 * made through this engine replace the entry at once.
 */
import type { QueueConfig, QueueInfo } from '@docket/protocol';
import type { Clock } from './clock.ts';
import type { Store } from './store.ts';

/** 5 s: config changes are rare; a few seconds of staleness on other nodes is acceptable. */
export const QUEUE_CONFIG_TTL_MS_DEFAULT = 5_000;
/** Bounded so that a flood of distinct queue names cannot grow memory without limit. */
const MAX_ENTRIES = 10_000;

export class QueueConfigs {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #entries = new Map<string, { config: QueueConfig; at: number }>();

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async get(queue: string): Promise<QueueConfig> {
    const now = this.#clock.now();
    const hit = this.#entries.get(queue);
    if (hit !== undefined && now - hit.at < QUEUE_CONFIG_TTL_MS_DEFAULT) return hit.config;
    const info = await this.#store.queueGet({ queue });
    const config = info?.config ?? {};
    this.#remember(queue, config, now);
    return config;
  }

  /** The cached config, however old, without reading the store; undefined when not cached. */
  peek(queue: string): QueueConfig | undefined {
    return this.#entries.get(queue)?.config;
  }

  update(info: QueueInfo): void {
    this.#remember(info.name, info.config, this.#clock.now());
  }

  forget(queue: string): void {
    this.#entries.delete(queue);
  }

  #remember(queue: string, config: QueueConfig, at: number): void {
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(queue, { config, at });
  }
}
