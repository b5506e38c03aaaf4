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
  const acks = checked.filter((check): check is JobAckItem => !('ok' in check));
  const now = core.clock.now();
  const settled = await settleInStore(acks.length, () => core.store.jobAckMany({ acks, now }));
  let next = 0;
  return Promise.all(
    checked.map(async (check): Promise<SettleOutcome> => {
      if ('ok' in check) return check;
      const outcome = settled[next++] ?? refusedOutcome(new Error('the store answered fewer outcomes than items'));
      if (!outcome.ok) return announceExpired(core, check.id, outcome.error).catch(refusedOutcome);
      core.events.emit('job:completed', { job: outcome.job });
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

export function refusedOutcome(err: unknown): SettleOutcome & { readonly ok: false } {
  return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
}

/** Calls the store's batch form; when the whole call fails, every item gets that failure. */
export async function settleInStore(count: number, call: () => Promise<SettleOutcome[]>): Promise<SettleOutcome[]> {
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
