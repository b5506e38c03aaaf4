/**
 * Shared pieces of the auth tests: the bootstrap admin token, minting tokens over /v1/tokens,
 * and the fixture every route case starts from (a queue with one leased and one waiting job).
 */
import type { Engine } from '@docket/core';
import type { DocketApp } from '../../src/mod.ts';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function mint(
  app: DocketApp,
  grants: readonly string[],
  options: { readonly expiresInMs?: number; readonly name?: string } = {},
): Promise<{ readonly id: string; readonly secret: string }> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/tokens',
    headers: bearer(ADMIN_TOKEN),
    payload: { name: options.name ?? 'test', grants, ...options },
  });
  if (response.statusCode !== 201) throw new Error(`cannot mint a token: ${response.statusCode} ${response.body}`);
  const body = response.json<{ token: { id: string }; secret: string }>();
  return { id: body.token.id, secret: body.secret };
}

/** A token that expires 1 ms after it is made, returned once its expiry has passed. */
export async function mintExpired(
  app: DocketApp,
  grants: readonly string[],
): Promise<{ readonly id: string; readonly secret: string }> {
  const token = await mint(app, grants, { expiresInMs: 1 });
  // The server set expiresAt to at most now + 1 while answering: past that, it has expired.
  const expiresBy = Date.now() + 1;
  while (Date.now() <= expiresBy) await new Promise((resolve) => setImmediate(resolve));
  return token;
}

export interface Fixture {
  readonly queue: string;
  /** An active job of `queue` and its lease token. */
  readonly active: { readonly id: string; readonly lease: string };
  /** A waiting job of `queue`. */
  readonly waiting: string;
}

export async function fixture(engine: Engine, queue: string): Promise<Fixture> {
  const first = await engine.enqueue(queue, { data: { n: 1 } });
  const [leased] = await engine.lease({ queues: [queue], max: 1, waitMs: 0 });
  if (leased === undefined) throw new Error('fixture: nothing leased');
  const second = await engine.enqueue(queue, { data: { n: 2 } });
  return { queue, active: { id: first.job.id, lease: leased.leaseToken }, waiting: second.job.id };
}

/** Everything a refused call must leave as it was: the queue, both jobs, the workers, the tokens. */
export async function snapshot(app: DocketApp, engine: Engine, f: Fixture): Promise<string> {
  const state = {
    queue: await engine.stats(f.queue),
    active: await engine.get(f.active.id),
    waiting: await engine.get(f.waiting),
    workers: await engine.listWorkers({}),
    // lastUsedAt aside: an authenticated call that is then refused did use its token.
    tokens: (await app.inject({ method: 'GET', url: '/v1/tokens', headers: bearer(ADMIN_TOKEN) }))
      .json<{ items: { id: string; grants: string[]; expiresAt: number | null }[] }>()
      .items.map(({ id, grants, expiresAt }) => ({ id, grants, expiresAt })),
  };
  return JSON.stringify(state);
}
