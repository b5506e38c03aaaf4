/**
 * Test harness: an app over a real engine on a temporary SQLite file, with the front doors
 * `docket serve` composes (unless `frontDoors` says otherwise). Each harness owns its directory
 * and removes it on close; closing the app closes the engine and the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeEach } from 'vitest';
import { createEngine, type Clock, type Engine } from '@docket/core';
import { createSqliteStore } from '@docket/store-sqlite';
import { buildApp, closeApp, type BuildAppOptions, type DocketApp } from '../../src/mod.ts';
import { FRONT_DOORS } from './front-doors.ts';

export interface Harness {
  readonly app: DocketApp;
  readonly engine: Engine;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<BuildAppOptions> {
  readonly clock?: Clock;
  /** An in-memory database, where durability (and fsync latency) is not the subject. */
  readonly memory?: boolean;
  /** Run the engine's background services (default true); off, stored jobs only move on request. */
  readonly services?: boolean;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'docket-server-'));
  const { clock, memory, services, ...appOptions } = options;
  const store = createSqliteStore({ path: memory === true ? ':memory:' : join(dir, 'docket.sqlite') });
  await store.migrate();
  const engine = createEngine(clock === undefined ? { store } : { store, clock });
  if (services !== false) engine.start();
  const app = buildApp({
    logger: false,
    defaultMetrics: false,
    tokens: store,
    frontDoors: FRONT_DOORS,
    ...appOptions,
    engine,
  });
  return {
    app,
    engine,
    async close() {
      await closeApp(app);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A harness shared by a test file's tests, and queue names no other test of the file uses. */
export interface FileHarness {
  readonly app: DocketApp;
  readonly engine: Engine;
  /** `name` made unique to the running test (`t<n>-<name>`). */
  q(name: string): string;
}

/** Opens one harness before the file's first test and closes it after the last. */
export function harnessPerFile(options: HarnessOptions = {}): FileHarness {
  let harness: Harness | undefined;
  let test = 0;
  beforeEach(async () => {
    harness ??= await createHarness(options);
    test += 1;
  });
  afterAll(async () => {
    await harness?.close();
  });
  const current = (): Harness => {
    if (harness === undefined) throw new Error('the harness opens before the first test: use it inside a test');
    return harness;
  };
  return withLiveHarness(current, { q: (name: string) => `t${test}-${name}` });
}

/** `fields` with `app` and `engine` read from `current()` at each use (the harness opens later). */
export function withLiveHarness<T extends object>(
  current: () => Harness,
  fields: T,
): T & { readonly app: DocketApp; readonly engine: Engine } {
  return Object.defineProperties(fields, {
    app: { get: () => current().app, enumerable: true },
    engine: { get: () => current().engine, enumerable: true },
  }) as T & { readonly app: DocketApp; readonly engine: Engine };
}

export interface ErrorShape {
  readonly error: { readonly code: string; readonly message: string; readonly details: Record<string, unknown> };
}

/** Parses an error answer, checking the `{error: {code, message, details}}` shape on the way. */
export function errorOf(response: LightMyRequestResponse): ErrorShape['error'] {
  const body = response.json<ErrorShape>();
  const { code, message, details } = body.error;
  if (typeof code !== 'string' || typeof message !== 'string' || typeof details !== 'object' || details === null) {
    throw new Error(`not an error body: ${response.body}`);
  }
  if (Object.keys(body).length !== 1 || Object.keys(body.error).sort().join() !== 'code,details,message') {
    throw new Error(`unexpected keys in error body: ${response.body}`);
  }
  if (!/^[a-z]/.test(message) || message.endsWith('.')) {
    throw new Error(`error message style: ${message}`);
  }
  return body.error;
}

export interface WireJobShape {
  readonly id: string;
  readonly queue: string;
  readonly state: string;
  readonly encoding: string;
  readonly data: unknown;
  readonly leaseToken: string | null;
  readonly [key: string]: unknown;
}

/**
 * Resolves the next time a request reaches its handler, counting from the call. Install before
 * the app listens or first injects.
 */
export function handlerReached(app: DocketApp): () => Promise<void> {
  const waiting: Array<() => void> = [];
  app.addHook('preHandler', (_request, _reply, done) => {
    for (const resolve of waiting.splice(0)) resolve();
    done();
  });
  return () => new Promise((resolve) => waiting.push(resolve));
}

/**
 * Resolves when the response of the next request to reach its handler closes, whether sent
 * or cut by a client that went away. Install before the app listens.
 */
export function responseClosed(app: DocketApp): () => Promise<void> {
  const waiting: Array<() => void> = [];
  app.addHook('preHandler', (_request, reply, done) => {
    const resolvers = waiting.splice(0);
    if (resolvers.length > 0) reply.raw.once('close', () => resolvers.forEach((resolve) => resolve()));
    done();
  });
  return () => new Promise((resolve) => waiting.push(resolve));
}
