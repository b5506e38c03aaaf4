/**
 * Access tokens: rows of the tokens table (0003_tokens.sql) holding each token's public fields
 * and the hash of its secret. Creating, revoking and touching go through the commit batcher like
 * every write, so they resolve after their commit is fsynced.
 */
import type { Page } from '@docket/protocol';
import type { TokenCreateParams, TokenListParams, TokenRecord, TokenRefParams, TokenTouchParams } from '@docket/core';
import { tokenPage, tokenPageAfter } from '@docket/core/store-support';
import type { StoreContext } from './store-context.ts';

interface TokenRow {
  readonly id: string;
  readonly name: string;
  readonly hash: string;
  readonly grants: string;
  readonly created_at: number;
  readonly expires_at: number | null;
  readonly last_used_at: number | null;
}

function rowToToken(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    hash: row.hash,
    grants: JSON.parse(row.grants) as string[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}

export function tokenCreate(ctx: StoreContext, p: TokenCreateParams): boolean {
  const t = p.token;
  const values = { ...t, grants: JSON.stringify(t.grants) };
  return ctx.q.tokenInsert.run(values).changes > 0;
}

export function tokenGet(ctx: StoreContext, p: TokenRefParams): TokenRecord | null {
  const row = ctx.q.tokenGet.get({ id: p.id }) as TokenRow | undefined;
  return row === undefined ? null : rowToToken(row);
}

export function tokenList(ctx: StoreContext, p: TokenListParams): Page<TokenRecord> {
  const rows = ctx.q.tokenList.all({ after: tokenPageAfter(p.cursor), limit: p.limit + 1 }) as TokenRow[];
  return tokenPage(rows.map(rowToToken), p.limit);
}

export function tokenRevoke(ctx: StoreContext, p: TokenRefParams): boolean {
  return ctx.q.tokenDelete.run({ id: p.id }).changes > 0;
}

export function tokenTouch(ctx: StoreContext, p: TokenTouchParams): void {
  ctx.q.tokenTouch.run({ id: p.id, lastUsedAt: p.lastUsedAt });
}
