/**
 * Receipt handles: an opaque, URL-safe encoding of the queue, the job id and the lease token of
 * one receive. A new receive of the same message gets a new lease token, so an older handle no
 * longer matches the job's lease: the engine refuses to settle with it, which the actions turn
 * into SQS's answers (a delete with a stale handle succeeds and deletes nothing, as the service
 * documents). The queue is part of the handle so a handle is refused on any other queue.
 */
import { sqsErrors } from './errors.ts';

export interface Receipt {
  readonly queue: string;
  readonly id: string;
  readonly token: string;
}

const SEPARATOR = '\n';

export function encodeReceipt(receipt: Receipt): string {
  return Buffer.from([receipt.queue, receipt.id, receipt.token].join(SEPARATOR), 'utf8').toString('base64url');
}

/** ReceiptHandleIsInvalid for anything this door did not issue for `queue`. */
export function decodeReceipt(handle: string, queue: string): Receipt {
  const parts = /^[A-Za-z0-9_-]+$/.test(handle)
    ? Buffer.from(handle, 'base64url').toString('utf8').split(SEPARATOR)
    : [];
  const [owner, id, token] = parts;
  if (parts.length !== 3 || owner !== queue || id === undefined || id === '' || token === undefined || token === '') {
    throw sqsErrors.receiptHandleIsInvalid(handle);
  }
  return { queue: owner, id, token };
}
