/**
 * How a front door turns any failure into its own status and message: the door's own refusal
 * class first, then Docket's catalog through the door's status table, then fastify's framework
 * errors (a body over the limit, a malformed request). Anything else is unexpected: null, and the
 * door answers it as INTERNAL in its own format.
 */
import type { ErrorCode } from '@docket/protocol';
import { DocketError } from '@docket/protocol';
import { isFastifyError } from '../fastify-errors.ts';

export interface DoorFailure {
  readonly status: number;
  readonly message: string;
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

export function doorFailure(err: unknown, rules: DoorErrorRules): DoorFailure | null {
  const own = rules.own(err);
  if (own !== null) return own;
  if (err instanceof DocketError) return { status: rules.statusByCode[err.code], message: err.message };
  if (isFastifyError(err)) {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return rules.tooLarge;
    if (err.statusCode !== undefined && err.statusCode < 500) return { status: 400, message: rules.badRequest };
  }
  return null;
}
