/**
 * Access tokens: one hash of the deployment (`<base>:tokens`, id → the token's JSON without its
 * last-used time) and one of last-used times (`<base>:token-use`), see key-layout.ts. A touch
 * writes only the second, through a script that skips revoked tokens, so a touch racing a revoke
 * never brings a token back. Tokens are few (people make them by hand): a list reads them all and
 * pages in memory.
 */
import type { Page } from '@docket/protocol';
import type { TokenCreateParams, TokenListParams, TokenRecord, TokenRefParams, TokenTouchParams } from '@docket/core';
import { decodeStringCursor, encodeStringCursor } from '@docket/core/store-support';
import { asNumber } from './replies.ts';
import { run, type StoreContext } from './store-context.ts';

const CURSOR_KIND = 'token';
const ID_SHAPE = /^./s;

type StoredToken = Omit<TokenRecord, 'lastUsedAt'>;

function toToken(json: string, used: string | null | undefined): TokenRecord {
  const stored = JSON.parse(json) as StoredToken;
  return { ...stored, lastUsedAt: used === null || used === undefined ? null : Number(used) };
}

export async function tokenCreate(ctx: StoreContext, p: TokenCreateParams): Promise<boolean> {
  const { lastUsedAt, ...stored } = p.token;
  const created = await ctx.client.hsetnx(ctx.keys.tokens, stored.id, JSON.stringify(stored));
  if (created === 1 && lastUsedAt !== null) await run(ctx, 'token-touch', [stored.id, String(lastUsedAt)]);
  return created === 1;
}

export async function tokenGet(ctx: StoreContext, p: TokenRefParams): Promise<TokenRecord | null> {
  const replies = await ctx.client.multi().hget(ctx.keys.tokens, p.id).hget(ctx.keys.tokenUse, p.id).exec();
  const [json, used] = (replies ?? []).map(([err, value]) => {
    if (err !== null) throw err;
    return value as string | null;
  });
  return json === null || json === undefined ? null : toToken(json, used);
}

export async function tokenList(ctx: StoreContext, p: TokenListParams): Promise<Page<TokenRecord>> {
  const after = p.cursor === null ? '' : decodeStringCursor(p.cursor, CURSOR_KIND, ID_SHAPE);
  const replies = await ctx.client.multi().hgetall(ctx.keys.tokens).hgetall(ctx.keys.tokenUse).exec();
  const [all, uses] = (replies ?? []).map(([err, value]) => {
    if (err !== null) throw err;
    return value as Record<string, string>;
  });
  const ids = Object.keys(all ?? {})
    .filter((id) => id > after)
    .sort();
  const page = ids.slice(0, p.limit);
  const last = page.at(-1);
  return {
    items: page.map((id) => toToken(all?.[id] ?? '{}', uses?.[id])),
    cursor: ids.length > p.limit && last !== undefined ? encodeStringCursor(CURSOR_KIND, last) : null,
  };
}

export async function tokenRevoke(ctx: StoreContext, p: TokenRefParams): Promise<boolean> {
  return asNumber(await run(ctx, 'token-revoke', [p.id])) > 0;
}

export async function tokenTouch(ctx: StoreContext, p: TokenTouchParams): Promise<void> {
  await run(ctx, 'token-touch', [p.id, String(p.lastUsedAt)]);
}
