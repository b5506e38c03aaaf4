/** Schemas of the access-token routes (`/v1/tokens`). */
import { Type } from '@sinclair/typebox';
import { TOKEN_NAME_PATTERN } from '@docket/protocol';
import { MAX_GRANTS } from '../auth/token-admin.ts';
import { Nullable, Page } from './common.ts';

/** Ten years. */
const MAX_EXPIRES_IN_MS = 10 * 365 * 24 * 3_600_000;

const GrantText = Type.String({
  minLength: 3,
  maxLength: 220,
  description: '`action:pattern`, action one of produce, consume, read, admin; `*` in a pattern matches any run',
  examples: ['produce:emails*', 'consume:billing.*', 'read:*'],
});

export const TokenSchema = Type.Object(
  {
    id: Type.String({ description: 'public: names the token in lists and revocations' }),
    name: Type.String(),
    grants: Type.Array(Type.String()),
    createdAt: Type.Integer(),
    expiresAt: Nullable(Type.Integer()),
    lastUsedAt: Nullable(Type.Integer({ description: 'updated at most once a minute per server' })),
  },
  { $id: 'Token', additionalProperties: false },
);

const TokenRef = Type.Unsafe<typeof TokenSchema.static>(Type.Ref('Token'));

export const TokenParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[0-9a-f]+$' }) },
  { additionalProperties: false },
);

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: TOKEN_NAME_PATTERN.source }),
    grants: Type.Array(GrantText, { minItems: 1, maxItems: MAX_GRANTS }),
    expiresInMs: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_EXPIRES_IN_MS })),
  },
  { additionalProperties: false },
);

export const CreatedTokenReply = Type.Object({
  token: TokenRef,
  secret: Type.String({ description: 'the token to send as `Authorization: Bearer …`; shown only here' }),
});

export const TokenPage = Page(TokenRef);
