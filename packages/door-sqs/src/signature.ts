/**
 * The one place request signatures are checked: every request passes through `authenticate`
 * before its action runs. While Docket's authentication is on (the guard needs a login), the
 * request must carry an AWS Signature Version 4 (sigv4.ts) whose access key id is a Docket token
 * and whose secret access key is the same token: the signature is verified with the token as the
 * secret, then the token is looked up like a Bearer token (its grants, expiry, revocation). With
 * authentication off, signatures are accepted unchecked, or none.
 *
 * Refusals, in this order: no signature `MissingAuthenticationToken` (403), an unreadable one
 * `IncompleteSignature` (400), a wrong one `SignatureDoesNotMatch` (403), a signing time more
 * than 15 minutes away (or a presigned request past its expiry) `RequestExpired` (400), an
 * unknown, revoked or expired token `InvalidClientTokenId` (403); an address that failed too
 * often `OverLimit` (403, the guard's rate limit).
 */
import { UnauthenticatedError } from '@docket/protocol';
import { OPEN_PRINCIPAL, type DoorGuard, type Principal } from '@docket/server';
import { sqsErrors } from './errors.ts';
import {
  IncompleteSignature,
  MAX_SKEW_MS,
  payloadClaimHolds,
  signatureMatches,
  signatureOf,
  signedAt,
  type Signature,
} from './sigv4.ts';
import type { RawRequest } from './wire/protocols.ts';

function readSignature(request: RawRequest): Signature {
  let signature: Signature | null;
  try {
    signature = signatureOf(request);
  } catch (err) {
    if (err instanceof IncompleteSignature) throw sqsErrors.incompleteSignature(err.message);
    throw err;
  }
  if (signature === null) throw sqsErrors.missingAuthenticationToken();
  return signature;
}

function checkTime(signature: Signature, now: number): void {
  const at = signedAt(signature.amzDate);
  if (Number.isNaN(at)) throw sqsErrors.incompleteSignature(`X-Amz-Date ${signature.amzDate} is not yyyymmddThhmmssZ.`);
  if (!signature.amzDate.startsWith(signature.scopeDate)) throw sqsErrors.signatureDoesNotMatch();
  if (at > now + MAX_SKEW_MS) {
    throw sqsErrors.requestExpired(
      `Signature not yet current: ${signature.amzDate} is still later than the server's time plus 15 minutes.`,
    );
  }
  if (signature.expiresSeconds === undefined) {
    if (at < now - MAX_SKEW_MS) {
      throw sqsErrors.requestExpired(
        `Signature expired: ${signature.amzDate} is now earlier than the server's time minus 15 minutes.`,
      );
    }
  } else if (now > at + signature.expiresSeconds * 1000) {
    throw sqsErrors.requestExpired(
      `Request has expired: signed at ${signature.amzDate} for ${signature.expiresSeconds} seconds.`,
    );
  }
}

/** Who sent the request (the open principal while auth is off); throws the SqsError of a refusal. */
export async function authenticate(
  guard: DoorGuard,
  request: RawRequest,
  address: string,
  now: number,
): Promise<Principal> {
  if (!guard.needsLogin) return OPEN_PRINCIPAL;
  const signature = readSignature(request);
  if (!payloadClaimHolds(request) || !signatureMatches(request, signature, signature.accessKeyId)) {
    throw sqsErrors.signatureDoesNotMatch();
  }
  checkTime(signature, now);
  try {
    return await guard.login(signature.accessKeyId, address);
  } catch (err) {
    if (err instanceof UnauthenticatedError) throw sqsErrors.invalidClientTokenId();
    throw err;
  }
}
