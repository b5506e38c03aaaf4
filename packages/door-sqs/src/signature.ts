/**
 * The one place request signatures are checked: every request passes through a
 * `VerifySignature` before its action runs. SigV4 verification plugs in here when Docket's
 * authentication is on (access key id → a Docket token, secret from the token): the verifier
 * throws an SqsError (`InvalidClientTokenId` or `SignatureDoesNotMatch`, status 403), which
 * the door answers in the request's protocol. With authentication off, signatures are accepted
 * unchecked: `acceptUnchecked`, the door's default.
 */
import type { RawRequest } from './wire/protocols.ts';

export type VerifySignature = (request: RawRequest) => Promise<void>;

export const acceptUnchecked: VerifySignature = () => Promise.resolve();
