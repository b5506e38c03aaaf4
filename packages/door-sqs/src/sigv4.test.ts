/**
 * SigV4 verification against the signer the AWS SDK for JavaScript v3 uses (@smithy/signature-v4):
 * requests it signs (header form and presigned) verify with their secret and fail with any other,
 * and with any change to what was signed.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../test/support/node-sha256.ts';
import type { HttpRequest } from '@smithy/types';
import { describe, expect, test } from 'vitest';
import { IncompleteSignature, payloadClaimHolds, signatureMatches, signatureOf, signedAt } from './sigv4.ts';
import type { RawRequest } from './wire/protocols.ts';

const TOKEN = 'dkt_0123456789abcdef0123_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';

function signer(secret = TOKEN, region = 'us-east-1'): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: TOKEN, secretAccessKey: secret },
    region,
    service: 'sqs',
    sha256: NodeSha256,
    uriEscapePath: true,
  });
}

function request(overrides: Partial<HttpRequest> = {}): HttpRequest {
  const body = '{"QueueUrl":"http://127.0.0.1:9324/000000000000/jobs","MessageBody":"hi there"}';
  return {
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 9324,
    path: '/',
    query: {},
    headers: {
      host: '127.0.0.1:9324',
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'AmazonSQS.SendMessage',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
    ...overrides,
  };
}

/** The request as the door receives it. */
function received(signed: HttpRequest): RawRequest {
  const query = Object.entries(signed.query ?? {})
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => [key, v ?? ''] as const))
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return {
    method: signed.method,
    url: `${signed.path}${query === '' ? '' : `?${query}`}`,
    headers: Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v])),
    body: Buffer.from(typeof signed.body === 'string' ? signed.body : ''),
  };
}

function verifies(raw: RawRequest, secret = TOKEN): boolean {
  const signature = signatureOf(raw);
  if (signature === null) throw new Error('unsigned');
  expect(signature.accessKeyId).toBe(TOKEN);
  return payloadClaimHolds(raw) && signatureMatches(raw, signature, secret);
}

describe('SigV4, header form', () => {
  test('a request the SDK signer signed verifies with its secret, not with another', async () => {
    const raw = received(await signer().sign(request()));
    expect(raw.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=dkt_/);
    expect(verifies(raw)).toBe(true);
    expect(verifies(raw, `${TOKEN}x`)).toBe(false);
  });

  test('a request signed with another secret does not verify with the token', async () => {
    expect(verifies(received(await signer('wrong secret').sign(request())))).toBe(false);
  });

  test('any region in the scope verifies: the scope is read from the credential', async () => {
    expect(verifies(received(await signer(TOKEN, 'eu-west-3').sign(request())))).toBe(true);
  });

  test('a changed body, header, path or method fails', async () => {
    const raw = received(await signer().sign(request()));
    expect(verifies({ ...raw, body: Buffer.from(`${raw.body.toString()} `) })).toBe(false);
    expect(verifies({ ...raw, headers: { ...raw.headers, 'x-amz-target': 'AmazonSQS.PurgeQueue' } })).toBe(false);
    expect(verifies({ ...raw, url: '/000000000000/jobs' })).toBe(false);
    expect(verifies({ ...raw, method: 'PUT' })).toBe(false);
  });

  test('a query-protocol POST to a queue URL path with a query string verifies', async () => {
    const body = 'Action=SendMessage&MessageBody=a%20b%2Bc&Version=2012-11-05';
    const raw = received(
      await signer().sign(
        request({
          path: '/000000000000/jobs',
          query: { 'b key': 'x y', a: ['2', '1'] },
          headers: {
            host: '127.0.0.1:9324',
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
            'content-length': String(body.length),
          },
          body,
        }),
      ),
    );
    expect(verifies(raw)).toBe(true);
  });

  test('a payload hash header that is not the body is refused', async () => {
    const raw = received(await signer().sign(request()));
    expect(payloadClaimHolds({ ...raw, headers: { ...raw.headers, 'x-amz-content-sha256': 'ab'.repeat(32) } })).toBe(
      false,
    );
  });
});

describe('SigV4, presigned query form', () => {
  test('a presigned GET verifies, and its expiry is read', async () => {
    const presigned = await signer().presign(
      request({
        method: 'GET',
        path: '/000000000000/jobs',
        query: { Action: 'ReceiveMessage', Version: '2012-11-05' },
        headers: { host: '127.0.0.1:9324' },
        body: undefined,
      }),
      { expiresIn: 300 },
    );
    const raw = received(presigned);
    expect(raw.headers['authorization']).toBeUndefined();
    expect(verifies(raw)).toBe(true);
    expect(signatureOf(raw)?.expiresSeconds).toBe(300);
    expect(verifies({ ...raw, url: raw.url.replace('ReceiveMessage', 'PurgeQueue') })).toBe(false);
  });
});

describe('reading signatures', () => {
  const base: RawRequest = { method: 'POST', url: '/', headers: {}, body: Buffer.alloc(0) };

  test('no Authorization and no X-Amz-Signature: unsigned', () => {
    expect(signatureOf(base)).toBeNull();
  });

  test('another scheme, missing parts and a bad credential scope are IncompleteSignature', () => {
    const withAuth = (authorization: string): RawRequest => ({
      ...base,
      headers: { authorization, 'x-amz-date': '20260101T000000Z' },
    });
    expect(() => signatureOf(withAuth('Bearer x'))).toThrow(IncompleteSignature);
    expect(() => signatureOf(withAuth('AWS4-HMAC-SHA256 Credential=a/20260101/r/sqs/aws4_request'))).toThrow(
      IncompleteSignature,
    );
    expect(() =>
      signatureOf(withAuth('AWS4-HMAC-SHA256 Credential=a/r/sqs/aws4_request, SignedHeaders=host, Signature=00')),
    ).toThrow(IncompleteSignature);
    expect(() =>
      signatureOf({
        ...base,
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=a/20260101/r/sqs/aws4_request, SignedHeaders=host, Signature=00',
        },
      }),
    ).toThrow(IncompleteSignature);
    expect(() => signatureOf({ ...base, url: '/?X-Amz-Signature=00' })).toThrow(IncompleteSignature);
  });

  test('an access key id may hold slashes (a bootstrap admin token is any string)', () => {
    const signature = signatureOf({
      ...base,
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=a/b/c/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=00',
        'x-amz-date': '20260101T000000Z',
      },
    });
    expect(signature?.accessKeyId).toBe('a/b/c');
    expect(signature?.scope).toBe('20260101/us-east-1/sqs/aws4_request');
  });

  test('signing times', () => {
    expect(signedAt('20260102T030405Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(signedAt('2026-01-02T03:04:05Z')).toBeNaN();
  });
});
