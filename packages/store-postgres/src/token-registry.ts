/**
 * Access tokens: rows of the tokens table (0004_tokens.sql) holding each token's public fields
 * and the hash of its secret. Every server over the schema reads the same rows, so a token made
 * or revoked on one is seen by the others on their next read.
 */
import type { Page } from '@docket/protocol';
import type { TokenCreateParams, TokenListParams, TokenRecord, TokenRefParams, TokenTouchParams } from '@docket/core';
import { tokenPage, tokenPageAfter } from '@docket/core/store-support';
import type { Session } from './session.ts';

interface TokenRow {
  readonly id: string;
  readonly name: string;
  readonly hash: string;
  readonly grants: string[];
  readonly created_at: number;
  readonly expires_at: number | null;
  readonly last_used_at: number | null;
}

function rowToToken(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    hash: row.hash,
    grants: row.grants,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  };
}

export async function tokenCreate(s: Session, p: TokenCreateParams): Promise<boolean> {
  return (await s.count('token-insert', p.token)) > 0;
}

export async function tokenGet(s: Session, p: TokenRefParams): Promise<TokenRecord | null> {
  const [row] = await s.rows<TokenRow>('token-get', p);
  return row === undefined ? null : rowToToken(row);
}

export async function tokenList(s: Session, p: TokenListParams): Promise<Page<TokenRecord>> {
  const rows = await s.rows<TokenRow>('token-list', { after: tokenPageAfter(p.cursor), limit: p.limit + 1 });
  return tokenPage(rows.map(rowToToken), p.limit);
}

export async function tokenRevoke(s: Session, p: TokenRefParams): Promise<boolean> {
  return (await s.count('token-delete', p)) > 0;
}

export async function tokenTouch(s: Session, p: TokenTouchParams): Promise<void> {
  await s.count('token-touch', p);
}
