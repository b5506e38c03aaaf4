/**
 * Waiting depth per queue over the last 5 minutes, one sample per 10 s slot, for the dashboard's
 * depth sparklines (`GET /v1/stats/queues`).
 *
 * Invariants: samples are taken only where counts are read anyway (each walk of QueueTotals and
 * each page of `/v1/stats/queues`), never by a timer of its own, so a server nobody watches pays
 * nothing and the history covers the time some dashboard was polling; the last sample of a slot
 * wins; a queue with no sample for 5 minutes is forgotten at the next sweep.
 */
const SLOTS = 30;
const SLOT_MS = 10_000;

interface Ring {
  readonly values: Float64Array;
  readonly stamps: Float64Array;
  lastSlot: number;
}

export class DepthHistory {
  readonly #queues = new Map<string, Ring>();

  record(queue: string, waiting: number, now: number): void {
    const slot = Math.floor(now / SLOT_MS);
    let ring = this.#queues.get(queue);
    if (ring === undefined) {
      ring = { values: new Float64Array(SLOTS), stamps: new Float64Array(SLOTS).fill(-1), lastSlot: slot };
      this.#queues.set(queue, ring);
    }
    ring.values[slot % SLOTS] = waiting;
    ring.stamps[slot % SLOTS] = slot;
    ring.lastSlot = slot;
  }

  /** The queue's samples over the last 5 minutes, oldest first (slots without a sample are left out). */
  series(queue: string, now: number): number[] {
    const ring = this.#queues.get(queue);
    if (ring === undefined) return [];
    const current = Math.floor(now / SLOT_MS);
    const out: number[] = [];
    for (let slot = current - SLOTS + 1; slot <= current; slot += 1) {
      if (ring.stamps[slot % SLOTS] === slot) out.push(ring.values[slot % SLOTS] ?? 0);
    }
    return out;
  }

  /** Forgets queues with no sample in the window. */
  sweep(now: number): void {
    const oldest = Math.floor(now / SLOT_MS) - SLOTS;
    for (const [queue, ring] of this.#queues) if (ring.lastSlot < oldest) this.#queues.delete(queue);
  }

  get trackedQueues(): number {
    return this.#queues.size;
  }
}
