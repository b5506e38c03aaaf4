/**
 * ack, and what ack and nack share: the batch form's per-item outcomes, and the announcement of
 * a job that expiry made dead while its holder tried to settle it (expiry beats everything: the
 * store made the job dead and refused; the engine announces it, then the refusal goes on).
 */
import { isFinished, type Job } from '@docket/protocol';
import type { EngineCore } from '../engine-core.ts';
import type { AckItem } from '../engine-api.ts';
import type { JobAckItem, SettleOutcome } from '../store.ts';
import { assertJobId, assertPayload, assertToken } from '../validate.ts';

export async function ackJob(core: EngineCore, item: AckItem): Promise<Job> {
  const ack = validAck(item);
  const job = await core.store
    .jobAck({ ...ack, now: core.clock.now() })
    .catch((err: unknown) => announceExpired(core, item.id, err));
  core.events.emit('job:completed', { job });
  return job;
}

/** One outcome per item, in order; an invalid item is refused alone, the valid ones go in one store call. */
export async function ackJobs(core: EngineCore, items: readonly AckItem[]): Promise<SettleOutcome[]> {
  const checked = items.map((item) => {
    try {
      return validAck(item);
    } catch (err) {
      return refusedOutcome(err);
    }
  });
  const now = core.clock.now();
  return settleBatch(
    core,
    checked,
    (acks) => core.store.jobAckMany({ acks, now }),
    (job) => core.events.emit('job:completed', { job }),
  );
}

/**
 * The batch forms' common path: items already refused keep their outcome; the others go to the
 * store in one call; each settled job is announced, and an item refused by expiry has the job's
 * death announced. One outcome per item, in order.
 */
export async function settleBatch<I extends { readonly id: string }>(
  core: EngineCore,
  prepared: readonly (I | RefusedOutcome)[],
  settleMany: (items: I[]) => Promise<SettleOutcome[]>,
  announce: (job: Job, item: I) => void,
): Promise<SettleOutcome[]> {
  const items = prepared.filter((entry): entry is I => !('ok' in entry));
  const settled = await settleInStore(items.length, () => settleMany(items));
  let next = 0;
  return Promise.all(
    prepared.map(async (entry): Promise<SettleOutcome> => {
      if ('ok' in entry) return entry;
      const outcome = settled[next++] ?? refusedOutcome(new Error('the store answered fewer outcomes than items'));
      if (!outcome.ok) return announceExpired(core, entry.id, outcome.error).catch(refusedOutcome);
      announce(outcome.job, entry);
      return outcome;
    }),
  );
}

function validAck(item: AckItem): JobAckItem {
  assertJobId(item.id);
  assertToken(item.token);
  if (item.result !== undefined) assertPayload(item.result, 'result');
  return { id: item.id, token: item.token, result: item.result ?? null };
}

export type RefusedOutcome = SettleOutcome & { readonly ok: false };

export function refusedOutcome(err: unknown): RefusedOutcome {
  return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
}

/** Calls the store's batch form; when the whole call fails, every item gets that failure. */
async function settleInStore(count: number, call: () => Promise<SettleOutcome[]>): Promise<SettleOutcome[]> {
  if (count === 0) return [];
  try {
    return await call();
  } catch (err) {
    return new Array<SettleOutcome>(count).fill(refusedOutcome(err));
  }
}

/** Rethrows `err`; first, when expiry refused the settle, announces the job's death. */
export async function announceExpired(core: EngineCore, id: string, err: unknown): Promise<never> {
  if (err instanceof Error && 'code' in err && err.code === 'JOB_EXPIRED') {
    const job = await core.store.jobGet({ id });
    if (job !== null && isFinished(job)) {
      core.events.emit('job:expired', { job });
      core.events.emit('job:dead', { job });
    }
  }
  throw err;
}
