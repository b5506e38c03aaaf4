/**
 * Script replies as protocol values. Scripts that settle one job reply `{ 'ok', fields }` or a
 * refusal (`not-found`, `expired`, `mismatch`, `finished`), which becomes the matching protocol
 * error here; list replies are arrays of jobs' fields.
 */
import type { SettleOutcome } from '@docket/core';
import {
  DocketError,
  InternalError,
  JobExpiredError,
  JobFinishedError,
  JobNotFoundError,
  LeaseMismatchError,
  type Job,
} from '@docket/protocol';
import { fieldsToJob, toFields } from './job-fields.ts';

export function asArray(reply: unknown): unknown[] {
  if (!Array.isArray(reply)) throw new InternalError('redis returned a malformed reply: expected an array');
  return reply;
}

export function asNumber(reply: unknown): number {
  if (typeof reply !== 'number' && typeof reply !== 'string') {
    throw new InternalError('redis returned a malformed reply: expected a number');
  }
  return Number(reply);
}

export function jobsReply(reply: unknown): Job[] {
  return asArray(reply).map((fields) => fieldsToJob(toFields(fields)));
}

/** The job of an `ok` reply, or the refusal as a protocol error. */
export function settledJob(reply: unknown, id: string): Job {
  const [status, detail] = asArray(reply);
  switch (status) {
    case 'ok':
      return fieldsToJob(toFields(detail));
    case 'not-found':
      throw new JobNotFoundError(id);
    case 'expired':
      throw new JobExpiredError(id);
    case 'mismatch':
      throw new LeaseMismatchError(id, detail === undefined ? undefined : { leaseExpiresAt: asNumber(detail) });
    case 'finished':
      throw new JobFinishedError(id, String(detail));
    default:
      throw new InternalError(`redis returned an unknown status ${String(status)}`);
  }
}

/**
 * The replies of a batch settle, one per item in order: each item's job, or its refusal as that
 * item's outcome. A malformed reply (an unknown status, a missing item) fails the whole call.
 */
export function settledMany(reply: unknown, ids: readonly string[]): SettleOutcome[] {
  const replies = asArray(reply);
  if (replies.length !== ids.length) {
    throw new InternalError(`redis answered ${replies.length} outcomes for ${ids.length} items`);
  }
  return ids.map((id, i): SettleOutcome => {
    try {
      return { ok: true, job: settledJob(replies[i], id) };
    } catch (err) {
      if (err instanceof DocketError && !(err instanceof InternalError)) return { ok: false, error: err };
      throw err;
    }
  });
}
