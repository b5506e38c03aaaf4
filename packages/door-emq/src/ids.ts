/**
 * emq task ids and Docket job ids. emq ids are 16 bytes in unpadded standard base64 (22
 * characters, `+` and `/` included). Docket's generated ids are ULIDs, which are 128 bits too,
 * so the mapping is a change of alphabet and needs no lookup table:
 *
 * - a job whose id is a ULID (every job enqueued without a client-chosen id, through any door)
 *   has the emq id `base64(ulid bytes)`, and every 22-character emq id names exactly one ULID;
 * - a job given another id through the native API is shown as `~<docket id>` (`~` is neither in
 *   base64 nor in Docket ids, so the two forms never meet).
 *
 * Parsing follows emq: anything else that is not 16 bytes of unpadded base64 is refused with
 * Go's message (`illegal base64 data at input byte N`, `invalid length`).
 */
import { limits } from '@docket/protocol';
import { EmqError } from './errors.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const BASE64_CHAR = /[A-Za-z0-9+/]/;
const ID_BYTES = 16;
const FOREIGN_PREFIX = '~';

function ulidToBytes(ulid: string): Uint8Array {
  let value = 0n;
  for (const char of ulid) value = (value << 5n) | BigInt(CROCKFORD.indexOf(char));
  const bytes = new Uint8Array(ID_BYTES);
  for (let i = ID_BYTES - 1; i >= 0; i -= 1) {
    bytes[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return bytes;
}

function bytesToUlid(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < 26; i += 1) {
    out = (CROCKFORD[Number(value & 31n)] ?? '0') + out;
    value >>= 5n;
  }
  return out;
}

/** The emq id of a Docket job. */
export function emqIdOf(jobId: string): string {
  if (!ULID_PATTERN.test(jobId)) return `${FOREIGN_PREFIX}${jobId}`;
  return Buffer.from(ulidToBytes(jobId)).toString('base64').replace(/=+$/, '');
}

/** The Docket job id an emq id names; EmqError for an id emq would refuse. */
export function jobIdOf(emqId: string): string {
  if (emqId.startsWith(FOREIGN_PREFIX) && emqId.length > 1 && emqId.length <= limits.MAX_ID_LENGTH + 1) {
    return emqId.slice(FOREIGN_PREFIX.length);
  }
  for (let i = 0; i < emqId.length; i += 1) {
    if (!BASE64_CHAR.test(emqId.charAt(i))) throw new EmqError(`illegal base64 data at input byte ${i}`);
  }
  if (emqId.length % 4 === 1) throw new EmqError(`illegal base64 data at input byte ${emqId.length - 1}`);
  const bytes = Buffer.from(emqId, 'base64');
  if (bytes.byteLength !== ID_BYTES) throw new EmqError('invalid length');
  return bytesToUlid(bytes);
}
