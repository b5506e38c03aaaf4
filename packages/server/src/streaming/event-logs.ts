/**
 * The event logs of the queues someone streams events of: it listens to the engine's lifecycle
 * events and appends each to its queue's log, if that queue has one. Logs exist only for queues
 * with a subscriber now or within the idle window, so a server nobody watches renders nothing.
 *
 * States of a log: live (subscribers) → idle (none, kept `eventBufferIdleMs` for resumption)
 * → dropped. Invariant: at most `maxEventQueues` logs; a new one evicts the longest-idle log,
 * and is refused (UnavailableError, 503) when every log has subscribers.
 */
import { onJobEvents, type EngineEvents, type EventHub } from '@docket/core';
import { UnavailableError, jobEventData } from '@docket/protocol';
import { QueueEventLog, type EventListener, type Resumption } from './queue-event-log.ts';
import type { StreamLimits } from './stream-limits.ts';

export interface EventSubscription {
  readonly resumption: Resumption;
  unsubscribe(): void;
}

/** How often idle logs past their window are dropped. */
const SWEEP_MS = 30_000;

export class EventLogs {
  readonly #limits: StreamLimits;
  readonly #logs = new Map<string, QueueEventLog>();
  readonly #unsubscribe: () => void;
  readonly #sweeper: ReturnType<typeof setInterval>;

  constructor(events: EventHub<EngineEvents>, limits: StreamLimits) {
    this.#limits = limits;
    this.#unsubscribe = onJobEvents(events, (type, job, error) => {
      this.#logs.get(job.queue)?.append(type, jobEventData(job, error));
    });
    this.#sweeper = setInterval(() => this.#sweep(), SWEEP_MS);
    this.#sweeper.unref();
  }

  /** Subscribes to `queue`'s events after `lastEventId`; the replay comes in the resumption. */
  subscribe(queue: string, lastEventId: string | undefined, listener: EventListener): EventSubscription {
    const log = this.#logs.get(queue) ?? this.#create(queue);
    log.subscribers.add(listener);
    log.idleSince = undefined;
    return {
      resumption: log.resume(lastEventId),
      unsubscribe: () => {
        log.subscribers.delete(listener);
        if (log.subscribers.size === 0) log.idleSince = performance.now();
      },
    };
  }

  close(): void {
    clearInterval(this.#sweeper);
    this.#unsubscribe();
    this.#logs.clear();
  }

  #create(queue: string): QueueEventLog {
    this.#sweep();
    if (this.#logs.size >= this.#limits.maxEventQueues) this.#evictIdlest();
    const log = new QueueEventLog(this.#limits.eventBufferSize);
    this.#logs.set(queue, log);
    return log;
  }

  #evictIdlest(): void {
    let idlest: [string, number] | undefined;
    for (const [queue, log] of this.#logs) {
      if (log.idleSince !== undefined && (idlest === undefined || log.idleSince < idlest[1])) {
        idlest = [queue, log.idleSince];
      }
    }
    if (idlest === undefined) {
      throw new UnavailableError(
        `too many queues with event streams: at most ${this.#limits.maxEventQueues} at once on this server`,
        { limit: this.#limits.maxEventQueues },
      );
    }
    this.#logs.delete(idlest[0]);
  }

  #sweep(): void {
    const now = performance.now();
    for (const [queue, log] of this.#logs) {
      if (log.idleSince !== undefined && now - log.idleSince >= this.#limits.eventBufferIdleMs) {
        this.#logs.delete(queue);
      }
    }
  }
}
