/**
 * The consumer stream's wire protocol (`GET /v1/stream`, a WebSocket): JSON text messages, each
 * with a `type`. The server pushes leased jobs up to the connection's prefetch window; the
 * consumer settles them on the same connection. Shared by the server (which validates client
 * messages with these schemas) and the SDK (which builds them). docs/streams.md is the prose.
 */
import { Type, type Static } from '@sinclair/typebox';
import { NACK_PLACEMENTS } from './job.ts';
import * as L from './limits.ts';

/** A client-chosen correlation value, echoed on the `ok` or `error` reply. */
const Ref = Type.Union([Type.String({ maxLength: 100 }), Type.Integer()]);
const Id = Type.String({ minLength: 1, maxLength: L.MAX_ID_LENGTH });
const Token = Type.String({ minLength: 1, maxLength: 200 });

export const StreamAckSchema = Type.Object(
  {
    type: Type.Literal('ack'),
    ref: Type.Optional(Ref),
    id: Id,
    token: Token,
    result: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

export const StreamNackSchema = Type.Object(
  {
    type: Type.Literal('nack'),
    ref: Type.Optional(Ref),
    id: Id,
    token: Token,
    placement: Type.Optional(Type.Union(NACK_PLACEMENTS.map((p) => Type.Literal(p)))),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: L.MAX_DELAY_MS })),
    fail: Type.Optional(Type.Boolean()),
    retry: Type.Optional(Type.Boolean()),
    rateLimited: Type.Optional(Type.Boolean()),
    error: Type.Optional(
      Type.Object({ message: Type.String(), stack: Type.Optional(Type.String()) }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

export const StreamExtendSchema = Type.Object(
  {
    type: Type.Literal('extend'),
    ref: Type.Optional(Ref),
    id: Id,
    token: Token,
    leaseMs: Type.Optional(Type.Integer({ minimum: L.MIN_LEASE_MS, maximum: L.MAX_LEASE_MS })),
  },
  { additionalProperties: false },
);

/** Sets the prefetch window; 0 stops delivery. The `ok` reply comes after the last job leased under the old window. */
export const StreamWindowSchema = Type.Object(
  {
    type: Type.Literal('window'),
    ref: Type.Optional(Ref),
    prefetch: Type.Integer({ minimum: 0, maximum: L.MAX_STREAM_PREFETCH }),
  },
  { additionalProperties: false },
);

export type StreamAck = Static<typeof StreamAckSchema>;
export type StreamNack = Static<typeof StreamNackSchema>;
export type StreamExtend = Static<typeof StreamExtendSchema>;
export type StreamWindow = Static<typeof StreamWindowSchema>;
export type StreamClientMessage = StreamAck | StreamNack | StreamExtend | StreamWindow;
export type StreamRef = Static<typeof Ref>;

/** Why the server closes a consumer stream, sent in the `closing` message. */
export const STREAM_CLOSE_REASONS = ['shutdown', 'slow-consumer', 'unresponsive', 'revoked'] as const;
export type StreamCloseReason = (typeof STREAM_CLOSE_REASONS)[number];

/**
 * WebSocket close codes the server uses. 1012 (service restart) is the registered code for a
 * server going away to come back; 4000–4999 are private to the application.
 */
export const STREAM_CLOSE_CODES = {
  shutdown: 1012,
  'slow-consumer': 4008,
  unresponsive: 4009,
  /** The stream's access token was revoked or expired: reconnecting with it gets 401. */
  revoked: 4001,
} as const satisfies Record<StreamCloseReason, number>;

/** Messages the server sends. `job` carries the job as the HTTP lease answers it (bytes in base64). */
export type StreamServerMessage =
  | { readonly type: 'job'; readonly job: unknown }
  | { readonly type: 'ok'; readonly ref?: StreamRef; readonly job?: unknown }
  | {
      readonly type: 'error';
      readonly ref?: StreamRef;
      readonly id?: string;
      readonly error: { readonly code: string; readonly message: string; readonly details: Record<string, unknown> };
    }
  | { readonly type: 'empty' }
  | { readonly type: 'closing'; readonly reason: StreamCloseReason; readonly message: string };
