/**
 * Script replies as protocol values. Scripts that settle one job reply `{ 'ok', fields }` or a
 * refusal (`not-found`, `expired`, `mismatch`, `finished`), which becomes the matching protocol
 * error here; list replies are arrays of jobs' fields.
 */
import {
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
