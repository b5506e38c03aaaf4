/**
 * How engine failures reach the wire: catalog errors keep their code, status and Retry-After;
 * anything else is a 500 INTERNAL with a generic message, logged with the request id.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import type { Engine } from '@docket/core';
import {
  QueueFullError,
  RateLimitedError,
  StorageFullError,
  UnavailableError,
  type DocketError,
} from '@docket/protocol';
import { buildApp, type DocketApp } from '../src/mod.ts';
import { createHarness, errorOf, type Harness } from './support/harness.ts';

let h: Harness | undefined;
let app: DocketApp | undefined;
afterEach(async () => {
  await app?.close();
  await h?.close();
  app = undefined;
  h = undefined;
});

/** The harness engine, with `stats` failing as given. */
function failingStats(engine: Engine, error: unknown): Engine {
  return new Proxy(engine, {
    get(target, property, receiver) {
      if (property === 'stats') return () => Promise.reject(error);
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function appFailingWith(error: unknown, lines: string[] = []): Promise<DocketApp> {
  h = await createHarness();
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  app = buildApp({
    engine: failingStats(h.engine, error),
    logger: { level: 'info', stream },
    defaultMetrics: false,
    closeEngine: false,
  });
  return app;
}

describe('engine errors on the wire', () => {
  const cases: Array<[DocketError, number, string, string]> = [
    [new QueueFullError('q'), 429, 'QUEUE_FULL', '1'],
    [new RateLimitedError(), 429, 'RATE_LIMITED', '1'],
    [new UnavailableError('storage is unreachable'), 503, 'UNAVAILABLE', '1'],
    [new StorageFullError(), 507, 'STORAGE_FULL', '30'],
    [new RateLimitedError('slow down', { retryAfterMs: 2_500 }), 429, 'RATE_LIMITED', '3'],
  ];
  test.each(cases)('%s answers its status with Retry-After', async (error, status, code, retryAfter) => {
    const failing = await appFailingWith(error);
    const response = await failing.inject({ method: 'GET', url: '/v1/queues/q' });
    expect(response.statusCode).toBe(status);
    expect(response.headers['retry-after']).toBe(retryAfter);
    expect(errorOf(response)).toMatchObject({ code, message: error.message });
  });

  test('an unexpected error is 500 INTERNAL with a generic message, logged with the request id', async () => {
    const lines: string[] = [];
    const failing = await appFailingWith(new TypeError('cannot read properties of undefined (secret detail)'), lines);
    const response = await failing.inject({ method: 'GET', url: '/v1/queues/q' });
    expect(response.statusCode).toBe(500);
    const error = errorOf(response);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).not.toContain('secret detail');
    expect(error.details).toEqual({});
    const logged = lines.map(
      (line) => JSON.parse(line) as { level: number; reqId?: string; err?: { message: string } },
    );
    const entry = logged.find((line) => line.level === 50 && line.err?.message.includes('secret detail'));
    expect(entry?.reqId).toMatch(/^req-/);
  });
});
