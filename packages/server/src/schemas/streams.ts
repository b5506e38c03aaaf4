/** Schemas of the two streams: the consumer stream's query string and the event stream's. */
import { Type } from '@sinclair/typebox';
import { WORKER_ID_PATTERN, limits } from '@docket/protocol';

/** Up to 100 queue names of up to 200 characters, with the commas between them. */
const MAX_QUEUES_TEXT = 100 * 201;

export const StreamQuery = Type.Object(
  {
    queues: Type.String({
      minLength: 1,
      maxLength: MAX_QUEUES_TEXT,
      description: 'queue names separated by commas (1 to 100), as lease takes them',
    }),
    prefetch: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: limits.MAX_STREAM_PREFETCH,
        default: 10,
        description:
          'most jobs leased to this connection and not yet settled; 0 delivers nothing until a window message',
      }),
    ),
    leaseMs: Type.Optional(
      Type.Integer({
        minimum: limits.MIN_LEASE_MS,
        maximum: limits.MAX_LEASE_MS,
        description: 'overrides each job leaseMs',
      }),
    ),
    worker: Type.Optional(Type.String({ pattern: WORKER_ID_PATTERN.source, description: 'the worker registry id' })),
  },
  { additionalProperties: false },
);

export const EventsQuery = Type.Object(
  {
    lastEventId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'resume after this event id (the Last-Event-ID header does the same and wins)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SwitchingProtocols = Type.Null({
  description: 'the WebSocket upgrade; messages are described in docs/streams.md',
});

/** The answer's media type is text/event-stream; errors before it starts are JSON like every route's. */
export const EventStreamReply = Type.Unsafe<string>({
  description: 'the event stream: `id`, `event` (the event type) and `data` (JSON) per event; see docs/streams.md',
  content: { 'text/event-stream': { schema: { type: 'string' } } },
});
