/**
 * Throughput: enqueue, lease, ack and failure counts of this server process, kept in memory from
 * the engine's events, for `GET /v1/stats` and the dashboard.
 *
 * Why in memory: the stores keep lifetime totals, not rates; counting here costs one array
 * increment per event and no storage round trip. Invariants:
 * - what is counted is what *this* process's engine did: over a shared store (Redis,
 *   PostgreSQL) each server reports its own share, and a restart starts from zero;
 * - the whole-server series is one slot per second over the last hour (3 600 slots × 4 kinds);
 * - per queue, one slot per 10 s over the last 5 minutes; a queue with no event for 5 minutes is
 *   forgotten at the next sweep, so memory follows the active queues, not every queue ever seen.
 */
import type { EventHub, EngineEvents } from '@docket/core';

export const THROUGHPUT_KINDS = ['enqueued', 'leased', 'acked', 'failed'] as const;
export type ThroughputKind = (typeof THROUGHPUT_KINDS)[number];
export type Rates = Record<ThroughputKind, number>;

const KINDS = THROUGHPUT_KINDS.length;
const SERVER_SLOTS = 3600;
const SERVER_SLOT_MS = 1000;
const QUEUE_SLOTS = 30;
const QUEUE_SLOT_MS = 10_000;
const SWEEP_MS = 60_000;

/** A ring of count slots, each `slotMs` long, stamped with the slot number it holds. */
class SlotRing {
  readonly #counts: Float64Array;
  readonly #stamps: Float64Array;
  readonly #slots: number;
  readonly #slotMs: number;
  lastSlot = -1;
  /** Events of every kind ever added: the activity feed compares it between its ticks. */
  events = 0;

  constructor(slots: number, slotMs: number) {
    this.#slots = slots;
    this.#slotMs = slotMs;
    this.#counts = new Float64Array(slots * KINDS);
    this.#stamps = new Float64Array(slots).fill(-1);
  }

  add(kind: number, now: number): void {
    const slot = Math.floor(now / this.#slotMs);
    const index = slot % this.#slots;
    if (this.#stamps[index] !== slot) {
      this.#stamps[index] = slot;
      this.#counts.fill(0, index * KINDS, index * KINDS + KINDS);
    }
    this.#counts[index * KINDS + kind] = (this.#counts[index * KINDS + kind] ?? 0) + 1;
    this.lastSlot = slot;
    this.events += 1;
  }

  /** Counts of the slot `slot`, zero when the ring no longer (or never) held it. */
  countsAt(slot: number, out: number[]): void {
    const index = slot % this.#slots;
    const live = this.#stamps[index] === slot;
    for (let kind = 0; kind < KINDS; kind += 1) out[kind] = live ? (this.#counts[index * KINDS + kind] ?? 0) : 0;
  }

  /** Events per second of each kind over the last `windowMs` (whole slots, the current one included). */
  rates(now: number, windowMs: number): Rates {
    const slots = Math.min(this.#slots, Math.max(1, Math.round(windowMs / this.#slotMs)));
    const current = Math.floor(now / this.#slotMs);
    const sums = [0, 0, 0, 0];
    const counts = [0, 0, 0, 0];
    for (let slot = current - slots + 1; slot <= current; slot += 1) {
      this.countsAt(slot, counts);
      for (let kind = 0; kind < KINDS; kind += 1) sums[kind] = (sums[kind] ?? 0) + (counts[kind] ?? 0);
    }
    const seconds = (slots * this.#slotMs) / 1000;
    return Object.fromEntries(THROUGHPUT_KINDS.map((name, kind) => [name, (sums[kind] ?? 0) / seconds])) as Rates;
  }
}

/** One point of a series: the slot's start time and events per second of each kind in it. */
export interface ThroughputPoint extends Rates {
  readonly t: number;
}

export interface ThroughputSeries {
  readonly stepMs: number;
  readonly points: ThroughputPoint[];
}

export class Throughput {
  readonly #server = new SlotRing(SERVER_SLOTS, SERVER_SLOT_MS);
  readonly #queues = new Map<string, SlotRing>();
  readonly #now: () => number;
  readonly #unsubscribe: (() => void)[];
  readonly #sweeper: ReturnType<typeof setInterval>;

  constructor(events: EventHub<EngineEvents>, now: () => number = Date.now) {
    this.#now = now;
    const count = (kind: ThroughputKind) => (event: { readonly job: { readonly queue: string } }) =>
      this.record(event.job.queue, kind);
    this.#unsubscribe = [
      events.on('job:enqueued', count('enqueued')),
      events.on('job:leased', count('leased')),
      events.on('job:completed', count('acked')),
      events.on('job:retrying', count('failed')),
      events.on('job:dead', (event) => {
        if (event.job.deadReason !== 'cancelled') this.record(event.job.queue, 'failed');
      }),
    ];
    this.#sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.#sweeper.unref();
  }

  record(queue: string, kind: ThroughputKind): void {
    const now = this.#now();
    const index = THROUGHPUT_KINDS.indexOf(kind);
    this.#server.add(index, now);
    let ring = this.#queues.get(queue);
    if (ring === undefined) {
      ring = new SlotRing(QUEUE_SLOTS, QUEUE_SLOT_MS);
      this.#queues.set(queue, ring);
    }
    ring.add(index, now);
  }

  /** The whole server's rates over the last `windowMs` (at most one hour). */
  rates(windowMs: number): Rates {
    return this.#server.rates(this.#now(), windowMs);
  }

  /** The queue's rates over the last 5 minutes; zeros for a queue with no recent event. */
  queueRates(queue: string): Rates {
    const ring = this.#queues.get(queue);
    if (ring === undefined) return { enqueued: 0, leased: 0, acked: 0, failed: 0 };
    return ring.rates(this.#now(), QUEUE_SLOTS * QUEUE_SLOT_MS);
  }

  /** `windowMs` (at most one hour) cut into steps of `stepMs` (a multiple of 1 s), oldest first. */
  series(windowMs: number, stepMs: number): ThroughputSeries {
    const perStep = Math.max(1, Math.round(stepMs / SERVER_SLOT_MS));
    const steps = Math.max(1, Math.min(SERVER_SLOTS / perStep, Math.round(windowMs / (perStep * SERVER_SLOT_MS))));
    const current = Math.floor(this.#now() / SERVER_SLOT_MS);
    const firstSlot = current - steps * perStep + 1;
    const counts = [0, 0, 0, 0];
    const points: ThroughputPoint[] = [];
    for (let step = 0; step < steps; step += 1) {
      const sums = [0, 0, 0, 0];
      for (let slot = firstSlot + step * perStep; slot < firstSlot + (step + 1) * perStep; slot += 1) {
        this.#server.countsAt(slot, counts);
        for (let kind = 0; kind < KINDS; kind += 1) sums[kind] = (sums[kind] ?? 0) + (counts[kind] ?? 0);
      }
      const seconds = perStep;
      points.push({
        t: (firstSlot + step * perStep) * SERVER_SLOT_MS,
        enqueued: (sums[0] ?? 0) / seconds,
        leased: (sums[1] ?? 0) / seconds,
        acked: (sums[2] ?? 0) / seconds,
        failed: (sums[3] ?? 0) / seconds,
      });
    }
    return { stepMs: perStep * SERVER_SLOT_MS, points };
  }

  /** Each tracked queue's count of events so far (monotonic while the queue stays tracked). */
  queueEventCounts(): IterableIterator<[string, { readonly events: number }]> {
    return this.#queues.entries();
  }

  /** Forgets queues with no event in the per-queue window. */
  sweep(): void {
    const oldest = Math.floor(this.#now() / QUEUE_SLOT_MS) - QUEUE_SLOTS;
    for (const [queue, ring] of this.#queues) if (ring.lastSlot < oldest) this.#queues.delete(queue);
  }

  /** Queues currently tracked (for tests of the sweep). */
  get trackedQueues(): number {
    return this.#queues.size;
  }

  close(): void {
    clearInterval(this.#sweeper);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
  }
}
