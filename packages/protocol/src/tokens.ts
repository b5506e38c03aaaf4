/**
 * Access tokens as the API shows them. The secret is shown once, when the token is made; the
 * store keeps only its SHA-256 hash. `id` is public: it names the token in lists and revocations.
 */
export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  /** `action:pattern` strings (grants.ts). */
  readonly grants: readonly string[];
  readonly createdAt: number;
  /** Null: never expires. */
  readonly expiresAt: number | null;
  /** Null: never used. Updated at most once a minute per token and server. */
  readonly lastUsedAt: number | null;
}

/** Token names: letters, digits and `._:/@-`, as worker ids. */
export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9._:/@-]{1,100}$/;
