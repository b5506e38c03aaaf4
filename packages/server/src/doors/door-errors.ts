/**
 * How a front door turns any failure into its own status and message: the door's own refusal
 * class first, then Docket's catalog through the door's status table, then fastify's framework
 * errors (a body over the limit, a malformed request). A catalog error keeps the native API's
 * `Retry-After` (a rate-limited address, a full queue, a store away). Anything else is
 * unexpected: it is logged and answered as INTERNAL, in the door's own format.
 */
import type { FastifyBaseLogger } from 'fastify';
import { DocketError, ErrorCode } from '@docket/protocol';
import { BodyTooLargeError } from '../body/read-body.ts';
import { isFastifyError } from '../fastify-errors.ts';
import { errorReply } from '../http-errors.ts';

export interface DoorFailure {
  readonly status: number;
  readonly message: string;
  /** `Retry-After` in seconds, as the native API would send it; absent: none. */
  readonly retryAfter?: number;
}

export interface DoorErrorRules {
  /** The door's own refusal, when `err` is one. */
  readonly own: (err: unknown) => DoorFailure | null;
  readonly statusByCode: Readonly<Record<ErrorCode, number>>;
  /** The answer to a body over the route's limit. */
  readonly tooLarge: DoorFailure;
  /** The message of any other framework refusal (status 400). */
  readonly badRequest: string;
}

/** The door's status and message for `err`; an unexpected error is logged, naming the door. */
export function doorAnswer(err: unknown, rules: DoorErrorRules, door: string, log: FastifyBaseLogger): DoorFailure {
  const known = doorFailure(err, rules);
  if (known !== null) return known;
  log.error({ err }, `${door} request failed with an unexpected error`);
  return { status: rules.statusByCode[ErrorCode.INTERNAL], message: 'internal error' };
}

function doorFailure(err: unknown, rules: DoorErrorRules): DoorFailure | null {
  const own = rules.own(err);
  if (own !== null) return own;
  if (err instanceof BodyTooLargeError) return rules.tooLarge;
  if (err instanceof DocketError) {
    const { retryAfter } = errorReply(err);
    return {
      status: rules.statusByCode[err.code],
      message: err.message,
      ...(retryAfter === null ? {} : { retryAfter }),
    };
  }
  if (isFastifyError(err)) {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return rules.tooLarge;
    if (err.statusCode !== undefined && err.statusCode < 500) return { status: 400, message: rules.badRequest };
  }
  return null;
}
