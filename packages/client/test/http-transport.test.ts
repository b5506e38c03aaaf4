/**
 * The HTTP transport under injected faults: 503 and 429 with Retry-After, dropped connections,
 * hung servers, foreign error bodies. A fake server plays the faults; the SDK suite covers the
 * behaviour against the real server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, UnexpectedResponseError } from '@docket/client';
import { LeaseMismatchError, RateLimitedError, RouteNotFoundError, UnavailableError } from '@docket/protocol';
import { startFakeServer, type Answer, type FakeServer } from './support/fake-server.ts';

let server: FakeServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(...script: Answer[]): Promise<FakeServer> {
  server = await startFakeServer(script);
  return server;
}

function wireJob(id: string, data: unknown = 'x') {
  return { id, queue: 'q', state: 'waiting', encoding: 'json', data, meta: {}, result: null };
}

const created = (id = 'job-1'): Answer => ({ status: 201, body: { job: wireJob(id), created: true } });
const unavailable = (retryAfter?: string): Answer => ({
  status: 503,
  body: { error: { code: 'UNAVAILABLE', message: 'server is shutting down', details: {} } },
  ...(retryAfter === undefined ? {} : { headers: { 'retry-after': retryAfter } }),
});

const bodyId = (body: unknown): unknown => (body as { id?: unknown }).id;

describe('HTTP transport retries', () => {
  it('retries a 503 after its Retry-After, and the retry carries the same generated job id', async () => {
    const fake = await serve(unavailable('1'), created());
    const began = performance.now();
    const { job } = await createClient({ url: fake.url }).queue('q').enqueue('x');
    expect(job.id).toBe('job-1');
    expect(performance.now() - began).toBeGreaterThanOrEqual(1_000);
    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests.map((request) => bodyId(request.body));
    expect(first).toMatch(/^[0-9A-Z]{26}$/);
    expect(second).toBe(first);
  });

  it('retries a 429 after a Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 1_500).toUTCString();
    const fake = await serve(
      {
        status: 429,
        headers: { 'retry-after': at },
        body: { error: { code: 'RATE_LIMITED', message: 'too many requests', details: {} } },
      },
      created(),
    );
    await createClient({ url: fake.url }).queue('q').enqueue('x');
    expect(fake.requests).toHaveLength(2);
  });

  it("gives up after maxAttempts with the server's error class", async () => {
    const fake = await serve(unavailable());
    const client = createClient({ url: fake.url, retry: { maxAttempts: 3, initialDelayMs: 5 } });
    await expect(client.queue('q').enqueue('x')).rejects.toBeInstanceOf(UnavailableError);
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up at once when Retry-After is beyond the total retry time', async () => {
    const fake = await serve(unavailable('120'), created());
    const began = performance.now();
    await expect(createClient({ url: fake.url }).queue('q').enqueue('x')).rejects.toBeInstanceOf(UnavailableError);
    // Far below the 120 s it was told to wait: it did not wait.
    expect(performance.now() - began).toBeLessThan(30_000);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries an enqueue whose connection dropped, with the same job id', async () => {
    const fake = await serve({ drop: true }, created());
    await createClient({ url: fake.url }).queue('q').enqueue('x');
    expect(fake.requests).toHaveLength(2);
    expect(bodyId(fake.requests[1]?.body)).toBe(bodyId(fake.requests[0]?.body));
  });

  it('does not repeat an ack whose outcome is unknown', async () => {
    const fake = await serve({ drop: true }, { status: 200, body: { job: wireJob('job-1') } });
    const ack = createClient({ url: fake.url }).transport.ack('job-1', { token: 't' });
    await expect(ack).rejects.toBeInstanceOf(UnavailableError);
    expect(fake.requests).toHaveLength(1);
  });

  it('repeats an ack refused with 503: the server did nothing', async () => {
    const fake = await serve(unavailable('0'), { status: 200, body: { job: wireJob('job-1') } });
    await createClient({ url: fake.url }).transport.ack('job-1', { token: 't', result: 1 });
    expect(fake.requests.map((request) => request.body)).toEqual([
      { lease: 't', result: 1 },
      { lease: 't', result: 1 },
    ]);
  });

  it('fails every ack of a batch whose connection dropped, and repeats none of them', async () => {
    const fake = await serve({ drop: true });
    const { transport } = createClient({ url: fake.url });
    const outcomes = await Promise.allSettled([
      transport.ack('job-1', { token: 'a' }),
      transport.ack('job-2', { token: 'b' }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    for (const outcome of outcomes)
      expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(UnavailableError);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.url).toBe('/v1/jobs/ack');
    expect(fake.requests[0]?.body).toEqual({
      items: [
        { id: 'job-1', lease: 'a' },
        { id: 'job-2', lease: 'b' },
      ],
    });
  });

  it('stops waiting for a hung server at the request deadline', async () => {
    const fake = await serve({ hang: true });
    const client = createClient({ url: fake.url, requestTimeoutMs: 200, retry: false });
    // The server never answers: only the deadline can end the call, and its error says so.
    await expect(client.getJob('job-1')).rejects.toThrow(/no answer within 200 ms/);
  });
});

describe('HTTP transport answers', () => {
  it('turns error bodies into the protocol classes, keeping the message', async () => {
    const message = 'lease token does not match job job-1';
    const fake = await serve({
      status: 409,
      body: { error: { code: 'LEASE_MISMATCH', message, details: { id: 'job-1' } } },
    });
    const error = await createClient({ url: fake.url })
      .transport.extend('job-1', { token: 't' })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(LeaseMismatchError);
    expect(error).toMatchObject({ message, code: 'LEASE_MISMATCH', details: { id: 'job-1' } });
  });

  it('turns a route the server does not have into RouteNotFoundError', async () => {
    const message = 'no route for GET /v1/jobs/x';
    const fake = await serve({
      status: 404,
      body: { error: { code: 'ROUTE_NOT_FOUND', message, details: { method: 'GET', url: '/v1/jobs/x' } } },
    });
    const error = await createClient({ url: `${fake.url}/`, retry: false })
      .getJob('x')
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RouteNotFoundError);
    expect(error).toMatchObject({ message, code: 'ROUTE_NOT_FOUND', details: { method: 'GET', url: '/v1/jobs/x' } });
    expect(fake.requests[0]?.url).toBe('/v1/jobs/x');
  });

  it('reports answers that are not Docket errors as what they are', async () => {
    const fake = await serve(
      {
        status: 404,
        body: { error: { code: 'NO_SUCH_THING', message: 'not here', details: {} } },
      },
      { status: 502, body: '<html>bad gateway</html>' },
    );
    const client = createClient({ url: fake.url, retry: false });
    await expect(client.getJob('x')).rejects.toBeInstanceOf(UnexpectedResponseError);
    await expect(client.getJob('x')).rejects.toBeInstanceOf(UnavailableError);
  });

  it('sends the token as a bearer token and decodes bytes payloads', async () => {
    const bytes = { ...wireJob('job-1', btoa('\u0000\u00ff')), encoding: 'bytes' };
    const fake = await serve({ status: 200, body: { job: bytes } });
    const job = await createClient({ url: fake.url, token: 's3cret' }).getJob('job-1');
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer s3cret');
    expect(job.data).toEqual(new Uint8Array([0, 255]));
  });

  it('maps a 429 without a Docket body to RateLimitedError', async () => {
    const fake = await serve({ status: 429, body: 'slow down' });
    const client = createClient({ url: fake.url, retry: false });
    await expect(client.getJob('x')).rejects.toBeInstanceOf(RateLimitedError);
  });
});
