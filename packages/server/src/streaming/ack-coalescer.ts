/**
 * Acks that consumer streams send in one turn of the event loop reach the engine as one
 * ackMany: one validation pass, one store call (one group-commit op on SQLite), each ack still
 * answered on its own. A consumer acks job by job as it finishes them; thousands of such
 * messages a second would otherwise each pay a store call of their own.
 *
 * Invariants: every `ack` promise settles, with its own item's outcome, after the batch it joined
 * was answered by the engine; a batch is sent after the current turn's I/O callbacks ran
 * (setImmediate), so acks parsed from every socket read in that turn travel together.
 */
import type { AckItem, Engine } from '@docket/core';
import type { Job } from '@docket/protocol';

interface PendingAck {
  readonly item: AckItem;
  readonly resolve: (job: Job) => void;
  readonly reject: (err: Error) => void;
}

export type CoalescedAck = (item: AckItem) => Promise<Job>;

export function createAckCoalescer(engine: Pick<Engine, 'ackMany'>): CoalescedAck {
  let pending: PendingAck[] = [];

  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    try {
      const outcomes = await engine.ackMany(batch.map((ack) => ack.item));
      batch.forEach((ack, i) => {
        const outcome = outcomes[i];
        if (outcome === undefined) ack.reject(new Error('the engine answered fewer outcomes than acks'));
        else if (outcome.ok) ack.resolve(outcome.job);
        else ack.reject(outcome.error);
      });
    } catch (err) {
      for (const ack of batch) ack.reject(err instanceof Error ? err : new Error(String(err)));
    }
  };

  return (item) =>
    new Promise<Job>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length === 1) setImmediate(() => void flush());
    });
}
