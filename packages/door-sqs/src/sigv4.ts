/**
 * AWS Signature Version 4 as the SDKs compute it for SQS, as plain functions: reading a
 * request's signature (the `Authorization: AWS4-HMAC-SHA256 …` header, or the presigned query
 * form `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Signature=…`), and the
 * signature the request should carry for a secret. The canonical request follows the SDKs'
 * signers (AWS SDK for JavaScript v3, botocore): the path normalized and escaped once more, the
 * query sorted and re-escaped, the signed headers trimmed with inner whitespace collapsed, the
 * payload's SHA-256 (or the `x-amz-content-sha256` the client signed).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RawRequest } from './wire/protocols.ts';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** How far a signed time may be from the server's clock (SQS's 15 minutes). */
export const MAX_SKEW_MS = 15 * 60 * 1000;
/** The longest a presigned request lives (7 days, as the SDKs allow). */
export const MAX_PRESIGN_SECONDS = 604_800;

export interface Signature {
  readonly accessKeyId: string;
  /** `yyyymmdd/region/service/aws4_request`. */
  readonly scope: string;
  readonly scopeDate: string;
  /** `yyyymmddThhmmssZ`. */
  readonly amzDate: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** Seconds the presigned request lives; undefined for the header form. */
  readonly expiresSeconds: number | undefined;
}

/** A signature that cannot be read: SQS's IncompleteSignature. */
export class IncompleteSignature extends Error {}

function header(request: RawRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function queryPairs(url: string): [string, string][] {
  const at = url.indexOf('?');
  if (at < 0) return [];
  const pairs: [string, string][] = [];
  for (const part of url.slice(at + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    try {
      pairs.push([decodeURIComponent(key), decodeURIComponent(value)]);
    } catch {
      throw new IncompleteSignature('The query string is not valid percent-encoding.');
    }
  }
  return pairs;
}

function credentialOf(credential: string): Pick<Signature, 'accessKeyId' | 'scope' | 'scopeDate'> {
  // The scope is the last four parts: the access key id (a token) may hold any character.
  const parts = credential.split('/');
  const scope = parts.slice(-4);
  const accessKeyId = parts.slice(0, -4).join('/');
  if (parts.length < 5 || accessKeyId === '' || scope[3] !== 'aws4_request' || !/^\d{8}$/.test(scope[0] ?? '')) {
    throw new IncompleteSignature(`Credential should be <access key id>/<date>/<region>/<service>/aws4_request.`);
  }
  return { accessKeyId, scope: scope.join('/'), scopeDate: scope[0] ?? '' };
}

function fromHeader(request: RawRequest, authorization: string): Signature {
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    throw new IncompleteSignature(`Authorization header requires the ${ALGORITHM} algorithm.`);
  }
  const fields = new Map<string, string>();
  for (const field of authorization.slice(ALGORITHM.length + 1).split(',')) {
    const eq = field.indexOf('=');
    if (eq > 0) fields.set(field.slice(0, eq).trim(), field.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    throw new IncompleteSignature(
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
    );
  }
  const amzDate = header(request, 'x-amz-date');
  if (amzDate === undefined) throw new IncompleteSignature("Authorization header requires the 'X-Amz-Date' header.");
  return {
    ...credentialOf(credential),
    amzDate,
    signedHeaders: signedHeaders.split(';'),
    signature,
    expiresSeconds: undefined,
  };
}

function fromQuery(query: ReadonlyMap<string, string>): Signature {
  const get = (name: string): string => {
    const value = query.get(name);
    if (value === undefined) throw new IncompleteSignature(`A presigned request requires the ${name} parameter.`);
    return value;
  };
  if (get('X-Amz-Algorithm') !== ALGORITHM) {
    throw new IncompleteSignature(`X-Amz-Algorithm must be ${ALGORITHM}.`);
  }
  const expires = get('X-Amz-Expires');
  if (!/^\d{1,6}$/.test(expires) || Number(expires) > MAX_PRESIGN_SECONDS) {
    throw new IncompleteSignature(`X-Amz-Expires must be 0 to ${MAX_PRESIGN_SECONDS} seconds.`);
  }
  return {
    ...credentialOf(get('X-Amz-Credential')),
    amzDate: get('X-Amz-Date'),
    signedHeaders: get('X-Amz-SignedHeaders').split(';'),
    signature: get('X-Amz-Signature'),
    expiresSeconds: Number(expires),
  };
}

/** The request's signature, or null when it is unsigned; IncompleteSignature when it cannot be read. */
export function signatureOf(request: RawRequest): Signature | null {
  const authorization = header(request, 'authorization');
  if (authorization !== undefined && authorization !== '') return fromHeader(request, authorization);
  const query = new Map(queryPairs(request.url));
  if (query.has('X-Amz-Signature') || query.has('X-Amz-Credential')) return fromQuery(query);
  return null;
}

/** The time a signature was made (ms since the epoch), or NaN when `amzDate` is not one. */
export function signedAt(amzDate: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (match === null) return Number.NaN;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 0, h ?? 0, mi ?? 0, s ?? 0);
}

/** RFC 3986 escaping, as the SDKs escape URI parts. */
function escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return escape(`/${segments.join('/')}${trailing}`).replace(/%2F/g, '/');
}

function canonicalQuery(url: string): string {
  return queryPairs(url)
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => `${escape(key)}=${escape(value)}`)
    .sort()
    .join('&');
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** The payload hash the client signed: its `x-amz-content-sha256`, or the body's SHA-256. */
function payloadHash(request: RawRequest): string {
  return header(request, 'x-amz-content-sha256') ?? sha256(request.body);
}

/** The canonical request of SigV4 (exported for tests). */
export function canonicalRequest(request: RawRequest, signature: Signature): string {
  const path = request.url.split('?', 1)[0] ?? '/';
  const names = [...signature.signedHeaders].map((name) => name.toLowerCase()).sort();
  const headers = names.map((name) => `${name}:${(header(request, name) ?? '').trim().replace(/\s+/g, ' ')}`);
  return [
    request.method,
    canonicalPath(path),
    canonicalQuery(request.url),
    ...headers,
    '',
    names.join(';'),
    payloadHash(request),
  ].join('\n');
}

/** The signature `request` should carry if it was signed with `secret`. */
export function expectedSignature(request: RawRequest, signature: Signature, secret: string): string {
  const toSign = [ALGORITHM, signature.amzDate, signature.scope, sha256(canonicalRequest(request, signature))].join(
    '\n',
  );
  let key: Buffer = Buffer.from(`AWS4${secret}`, 'utf8');
  for (const part of signature.scope.split('/')) key = hmac(key, part);
  return hmac(key, toSign).toString('hex');
}

/** Whether the request's signature is the one `secret` makes, compared in constant time. */
export function signatureMatches(request: RawRequest, signature: Signature, secret: string): boolean {
  const expected = Buffer.from(expectedSignature(request, signature, secret), 'utf8');
  const given = Buffer.from(signature.signature, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * The content hash a signed request claims must be its body's (or `UNSIGNED-PAYLOAD`): otherwise
 * the signature would cover a body other than the one received.
 */
export function payloadClaimHolds(request: RawRequest): boolean {
  const claimed = header(request, 'x-amz-content-sha256');
  return claimed === undefined || claimed === 'UNSIGNED-PAYLOAD' || claimed === sha256(request.body);
}
