/**
 * Docket's error catalog in SQS's terms: what the engine refuses becomes the SQS error a client
 * of the real service would see in the same situation; a backend that is away is
 * ServiceUnavailable (503), and anything unexpected InternalFailure (500), logged by the door.
 */
import { DocketError, ErrorCode } from '@docket/protocol';
import { SqsError, sqsErrors } from './errors.ts';

/** The SQS error for `err`, or null when it is unexpected. */
export function sqsErrorOf(err: unknown): SqsError | null {
  if (err instanceof SqsError) return err;
  if (!(err instanceof DocketError)) return null;
  switch (err.code) {
    case ErrorCode.INVALID_ARGUMENT:
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return sqsErrors.invalidParameterValue(err.message);
    case ErrorCode.QUEUE_NOT_FOUND:
      return sqsErrors.nonExistentQueue();
    case ErrorCode.RATE_LIMITED:
    case ErrorCode.QUEUE_FULL:
      return sqsErrors.overLimit(err.message);
    case ErrorCode.UNAVAILABLE:
    case ErrorCode.STORAGE_FULL:
      return sqsErrors.serviceUnavailable();
    default:
      return null;
  }
}

/** True for the refusals a settle with a stale receipt handle gets. */
export function isStaleSettle(err: unknown): boolean {
  return (
    err instanceof DocketError &&
    (err.code === ErrorCode.LEASE_MISMATCH ||
      err.code === ErrorCode.JOB_NOT_FOUND ||
      err.code === ErrorCode.JOB_FINISHED ||
      err.code === ErrorCode.JOB_EXPIRED)
  );
}
