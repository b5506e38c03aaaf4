/** Schemas of the dashboard's session routes (`/v1/session`). */
import { Type } from '@sinclair/typebox';
import { Nullable } from './common.ts';

export const LoginBody = Type.Object(
  {
    token: Type.String({
      minLength: 1,
      maxLength: 1000,
      description: 'an access token (`dkt_…`) or the bootstrap admin token; kept only in the HttpOnly cookie',
    }),
  },
  { additionalProperties: false },
);

export const SessionReply = Type.Object({
  session: Type.Object({
    auth: Type.Boolean({ description: 'whether the server has authentication on (false: no login needed)' }),
    token: Type.Union(
      [
        Type.Object({
          id: Type.String({ description: 'the token id (`admin` for the bootstrap admin token)' }),
          name: Type.String(),
          grants: Type.Array(Type.String()),
        }),
        Type.Null(),
      ],
      { description: 'the token the session acts as; null while auth is off' },
    ),
    via: Nullable(Type.String({ description: '`cookie` or `bearer`: how this request authenticated' })),
  }),
});
