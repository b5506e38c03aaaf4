/**
 * The fast path of auth over a real SQLite store, on a clock the test moves: a token-cache hit
 * decides without a promise (and a miss, a stale entry or a revoked token goes back to the
 * store), the Bearer reader and the token parser agree with their regexes on every input, the
 * admin token is still accepted when it has the shape of a stored token, and remembered grant
 * decisions stay exact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createSqliteStore } from '@docket/store-sqlite';
import { UnauthenticatedError } from '@docket/protocol';
import { bearerToken, createAuthenticator } from '../../src/auth/authenticator.ts';
import { allows, authorize } from '../../src/auth/authorize.ts';
import { mintToken, parseToken, sameText } from '../../src/auth/token-format.ts';
import type { Principal } from '../../src/auth/principal.ts';

type Store = ReturnType<typeof createSqliteStore>;

const TTL_MS = 500;

describe('auth fast path', () => {
  let dir: string;
  let store: Store;
  let clock: number;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'docket-auth-fast-'));
    store = createSqliteStore({ path: join(dir, 'docket.sqlite') });
    await store.migrate();
    clock = 1_000_000;
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function stored(expiresAt: number | null = null): Promise<string> {
    const token = mintToken();
    const record = {
      id: token.id,
      name: 'ci',
      grants: ['produce:emails'],
      createdAt: clock,
      expiresAt,
      lastUsedAt: null,
    };
    await store.tokenCreate({ token: { ...record, hash: token.hash } });
    return token.text;
  }

  const authenticator = (adminToken?: string) =>
    createAuthenticator({
      tokens: store,
      cacheTtlMs: TTL_MS,
      now: () => clock,
      ...(adminToken === undefined ? {} : { adminToken }),
    });

  test('a cache hit answers without a promise; a stale entry reads the store again and sees a revocation', async () => {
    const text = await stored();
    const auth = authenticator();
    const first = auth.authenticateNow(`Bearer ${text}`, { ip: '10.0.0.1' });
    expect(first).toBeInstanceOf(Promise);
    expect((await first).name).toBe('ci');
    const hit = auth.authenticateNow(`Bearer ${text}`, { ip: '10.0.0.1' });
    expect(hit).not.toBeInstanceOf(Promise);
    expect((hit as Principal).grants).toEqual([{ action: 'produce', pattern: 'emails' }]);

    await store.tokenRevoke({ id: text.split('_')[1] ?? '' });
    clock += TTL_MS - 1;
    expect(auth.authenticateNow(`Bearer ${text}`, { ip: '10.0.0.1' })).not.toBeInstanceOf(Promise);
    clock += 1;
    const reread = auth.authenticateNow(`Bearer ${text}`, { ip: '10.0.0.1' });
    expect(reread).toBeInstanceOf(Promise);
    await expect(reread).rejects.toMatchObject({ details: { reason: 'unknown' } });
  });

  test('a wrong secret or an expired token is refused at once on a hit, as a thrown error', async () => {
    const text = await stored(clock + 10_000);
    const auth = authenticator();
    await auth.authenticateNow(`Bearer ${text}`, { ip: '10.0.0.2' });
    const wrong = `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`;
    expect(() => auth.authenticateNow(`Bearer ${wrong}`, { ip: '10.0.0.2' })).toThrow(UnauthenticatedError);
    clock += 10_000;
    // The entry is stale by now: read again, then refused as expired.
    await expect(auth.authenticate(`Bearer ${text}`, '10.0.0.2')).rejects.toMatchObject({
      details: { reason: 'expired' },
    });
    expect(() => auth.authenticateNow(`Bearer ${text}`, { ip: '10.0.0.2' })).toThrow(/expired/);
  });

  test('once a text is verified, any other text of the same id and shape is refused, hit or not', async () => {
    const text = await stored();
    const auth = authenticator();
    await auth.authenticate(`Bearer ${text}`, '10.0.0.4');
    const prefix = text.slice(0, text.lastIndexOf('_') + 1);
    let run = 0;
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), (secret) => {
        const other = `${prefix}${secret}`;
        if (other === text) return;
        // One address a run: the failure limiter would refuse a burst from one address as rate-limited.
        run += 1;
        const address = `10.1.${run >> 8}.${run & 255}`;
        expect(() => auth.authenticateNow(`Bearer ${other}`, { ip: address })).toThrow(UnauthenticatedError);
        expect((auth.authenticateNow(`Bearer ${text}`, { ip: address }) as Principal).name).toBe('ci');
      }),
      { numRuns: 300 },
    );
  });

  test('sameText is string equality', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(sameText(a, b)).toBe(a === b);
        expect(sameText(a, a)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  test('the admin token is accepted even in the shape of a stored token, which is checked first', async () => {
    const admin = mintToken().text;
    const text = await stored();
    const auth = authenticator(admin);
    expect((await auth.authenticate(`Bearer ${admin}`, '10.0.0.3')).id).toBe('admin');
    expect((await auth.authenticate(`Bearer ${text}`, '10.0.0.3')).name).toBe('ci');
    await expect(auth.authenticate('Bearer not-a-stored-token-0123456789abcdef', '10.0.0.3')).rejects.toMatchObject({
      details: { reason: 'malformed' },
    });
  });

  test('the Bearer reader agrees with /^Bearer +(\\S+) *$/i on any input', () => {
    const regex = /^Bearer +(\S+) *$/i;
    const piece = fc.constantFrom(
      'Bearer',
      'bearer',
      'BEARER',
      'BeArEr',
      'Basic',
      ' ',
      '  ',
      '\t',
      '\u00a0',
      'dkt_',
      'x',
      'é',
      '',
    );
    const text = fc.oneof(
      fc.string(),
      fc.array(piece, { maxLength: 6 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, fc.string(), (head, tail) => {
        for (const value of [head, `${head}${tail}`, `Bearer ${tail}`, `bearer ${head}`]) {
          expect(bearerToken(value)).toBe(regex.exec(value)?.[1]);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  test('the token parser agrees with the token shape regex on every input', () => {
    const shape = /^dkt_([0-9a-f]{20})_([A-Za-z0-9_-]{43})$/;
    const reference = (text: string) => {
      const match = shape.exec(text);
      return match === null ? null : { id: match[1], secret: match[2] };
    };
    const minted = mintToken().text;
    const near = fc
      .tuple(
        fc.nat({ max: minted.length - 1 }),
        fc.constantFrom('', 'G', 'A', 'z', '-', '_', '/', '+', '=', ' ', 'é', '0', 'f'),
      )
      .map(([at, put]) => minted.slice(0, at) + put + minted.slice(at + 1));
    fc.assert(
      fc.property(fc.oneof(near, fc.string(), fc.constant(minted), fc.constant(`${minted}x`)), (text) => {
        expect(parseToken(text)).toEqual(reference(text));
      }),
      { numRuns: 5_000 },
    );
    expect(parseToken(minted)).not.toBeNull();
  });

  test('remembered grant decisions stay exact, past the bound on remembered queues', () => {
    const principal: Principal = { id: 't', name: 't', grants: [{ action: 'produce', pattern: 'bench-*' }] };
    for (let i = 0; i < 2_500; i += 1) {
      expect(allows(principal, 'produce', `bench-${i}`)).toBe(true);
      expect(allows(principal, 'produce', `other-${i}`)).toBe(false);
      expect(allows(principal, 'consume', `bench-${i}`)).toBe(false);
    }
    expect(() => authorize(principal, 'produce', ['bench-1', 'other-1'])).toThrow(/may not produce on queue other-1/);
    const another: Principal = { id: 'u', name: 'u', grants: [{ action: 'produce', pattern: 'other-*' }] };
    expect(allows(another, 'produce', 'other-1')).toBe(true);
    expect(allows(another, 'produce', 'bench-1')).toBe(false);
  });
});
