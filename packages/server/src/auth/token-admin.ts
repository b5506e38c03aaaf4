/**
 * Token management behind `/v1/tokens` and `docket tokens`: create (the secret is returned
 * once and never stored), list (never with hashes), revoke. A revoke on this server stops the
 * token here at once (the cache forgets it) and on other servers over the same backend within
 * the token cache's TTL.
 */
import {
  InvalidArgumentError,
  TOKEN_NAME_PATTERN,
  TokenNotFoundError,
  formatGrant,
  parseGrant,
  type Page,
  type TokenInfo,
} from '@docket/protocol';
import type { TokenRecord } from '@docket/core';
import type { Authenticator } from './authenticator.ts';
import { mintToken } from './token-format.ts';
import type { TokenStore } from './token-store.ts';

export interface NewToken {
  readonly name: string;
  readonly grants: readonly string[];
  /** Null: never expires. */
  readonly expiresInMs: number | null;
}

export interface CreatedToken {
  readonly token: TokenInfo;
  /** The whole token (`dkt_<id>_<secret>`): shown once. */
  readonly secret: string;
}

export interface TokenAdmin {
  create(input: NewToken): Promise<CreatedToken>;
  list(page: { readonly limit: number; readonly cursor: string | null }): Promise<Page<TokenInfo>>;
  revoke(id: string): Promise<void>;
}

export const MAX_GRANTS = 100;

function info(record: TokenRecord): TokenInfo {
  const { hash: _hash, ...rest } = record;
  return rest;
}

export function createTokenAdmin(tokens: TokenStore, authenticator: Authenticator, now: () => number): TokenAdmin {
  return {
    async create(input) {
      if (!TOKEN_NAME_PATTERN.test(input.name)) {
        throw new InvalidArgumentError('invalid name: 1 to 100 of A-Z a-z 0-9 . _ : / @ -', { field: 'name' });
      }
      if (input.grants.length === 0 || input.grants.length > MAX_GRANTS) {
        throw new InvalidArgumentError(`invalid grants: 1 to ${MAX_GRANTS} grants`, { field: 'grants' });
      }
      const grants = [...new Set(input.grants.map((grant) => formatGrant(parseGrant(grant))))];
      const minted = mintToken();
      const createdAt = now();
      const record: TokenRecord = {
        id: minted.id,
        name: input.name,
        hash: minted.hash,
        grants,
        createdAt,
        expiresAt: input.expiresInMs === null ? null : createdAt + input.expiresInMs,
        lastUsedAt: null,
      };
      if (!(await tokens.tokenCreate({ token: record }))) {
        throw new InvalidArgumentError('token id collision: try again', { field: 'id' });
      }
      return { token: info(record), secret: minted.text };
    },
    async list(page) {
      const listed = await tokens.tokenList(page);
      return { items: listed.items.map(info), cursor: listed.cursor };
    },
    async revoke(id) {
      const revoked = await tokens.tokenRevoke({ id });
      authenticator.forget(id);
      if (!revoked) throw new TokenNotFoundError(id);
    },
  };
}
