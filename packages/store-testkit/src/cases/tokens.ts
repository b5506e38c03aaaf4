/**
 * Access tokens: tokenCreate stores a token once (a second create of its id changes nothing),
 * tokenGet reads it back whole, tokenList pages through every token once by id, tokenRevoke
 * deletes it, and tokenTouch only ever raises lastUsedAt and never revives a revoked token.
 */
import { describe, expect } from 'vitest';
import type { TokenRecord } from '@docket/core';
import type { CaseContext } from '../case-registry.ts';
import { T0 } from '../support/new-jobs.ts';
import { collectPages } from '../support/pages.ts';

function token(id: string, overrides: Partial<TokenRecord> = {}): TokenRecord {
  return {
    id,
    name: `name-${id}`,
    hash: 'ab'.repeat(32),
    grants: ['produce:emails*', 'read:*'],
    createdAt: T0,
    expiresAt: null,
    lastUsedAt: null,
    ...overrides,
  };
}

export function registerTokenCases(ctx: CaseContext): void {
  describe('tokens', () => {
    ctx.test('tokenCreate stores a token that tokenGet reads back whole', async () => {
      const store = ctx.store();
      const made = token('t1', { expiresAt: T0 + 86_400_000, grants: ['admin:*', 'consume:billing.*'] });
      expect(await store.tokenCreate({ token: made })).toBe(true);
      expect(await store.tokenGet({ id: 't1' })).toEqual(made);
      expect(await store.tokenGet({ id: 'missing' })).toBeNull();
    });

    ctx.test('tokenCreate of an existing id returns false and changes nothing', async () => {
      const store = ctx.store();
      await store.tokenCreate({ token: token('t1') });
      expect(await store.tokenCreate({ token: token('t1', { name: 'other', hash: 'cd'.repeat(32) }) })).toBe(false);
      expect(await store.tokenGet({ id: 't1' })).toEqual(token('t1'));
    });

    ctx.test('tokenList pages through every token once, by id', async () => {
      const store = ctx.store();
      const ids = ['t05', 't03', 't01', 't04', 't02'];
      for (const id of ids) await store.tokenCreate({ token: token(id) });
      const listed = await collectPages(2, (page) => store.tokenList(page));
      expect(listed.map((t) => t.id)).toEqual([...ids].sort());
      expect(listed[0]).toEqual(token('t01'));
    });

    ctx.test('tokenRevoke deletes the token and says whether it existed', async () => {
      const store = ctx.store();
      await store.tokenCreate({ token: token('t1') });
      await store.tokenCreate({ token: token('t2') });
      expect(await store.tokenRevoke({ id: 't1' })).toBe(true);
      expect(await store.tokenRevoke({ id: 't1' })).toBe(false);
      expect(await store.tokenGet({ id: 't1' })).toBeNull();
      const listed = await collectPages(10, (page) => store.tokenList(page));
      expect(listed.map((t) => t.id)).toEqual(['t2']);
    });

    ctx.test('tokenTouch raises lastUsedAt and never lowers it', async () => {
      const store = ctx.store();
      await store.tokenCreate({ token: token('t1') });
      await store.tokenTouch({ id: 't1', lastUsedAt: T0 + 60_000 });
      expect((await store.tokenGet({ id: 't1' }))?.lastUsedAt).toBe(T0 + 60_000);
      await store.tokenTouch({ id: 't1', lastUsedAt: T0 + 1000 });
      expect(await store.tokenGet({ id: 't1' })).toEqual(token('t1', { lastUsedAt: T0 + 60_000 }));
    });

    ctx.test('tokenTouch of a missing or revoked token creates nothing', async () => {
      const store = ctx.store();
      await store.tokenCreate({ token: token('t1') });
      await store.tokenRevoke({ id: 't1' });
      await store.tokenTouch({ id: 't1', lastUsedAt: T0 + 5 });
      await store.tokenTouch({ id: 'never', lastUsedAt: T0 + 5 });
      expect(await store.tokenGet({ id: 't1' })).toBeNull();
      expect(await store.tokenGet({ id: 'never' })).toBeNull();
      expect((await store.tokenList({ limit: 10, cursor: null })).items).toEqual([]);
    });
  });
}
