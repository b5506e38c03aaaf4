/**
 * Schema building blocks shared by every route: nullable scalars, path parameters, pagination
 * and the error body. Nullable scalars use JSON Schema type arrays (OpenAPI 3.1), which the
 * response serializer handles without trying each branch of an `anyOf`.
 */
import { Type, type Static, type TInteger, type TNumber, type TSchema, type TString } from '@sinclair/typebox';
import { ErrorCode, QUEUE_NAME_PATTERN, limits } from '@docket/protocol';

export function Nullable<T extends TString | TInteger | TNumber>(schema: T) {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}

export const QueueName = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: QUEUE_NAME_PATTERN.source,
  description: 'a queue name; `/` is percent-encoded (`%2F`) in paths',
});

export const JobId = Type.String({ minLength: 1, maxLength: limits.MAX_ID_LENGTH });

export const QueueParams = Type.Object({ queue: QueueName }, { additionalProperties: false });
export const JobParams = Type.Object({ id: JobId }, { additionalProperties: false });

export const Cursor = Type.String({ minLength: 1, maxLength: 1000, description: 'from the previous page' });

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: limits.MAX_LIST_LIMIT, default: 100 })),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), cursor: Nullable(Type.String()) });
}

export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: Type.Unsafe<ErrorCode>({ type: 'string', enum: Object.values(ErrorCode) }),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { $id: 'Error', description: 'every error answer' },
);

const ErrorRef = Type.Unsafe<Static<typeof ErrorBodySchema>>(Type.Ref('Error'));

/** Error answers a route documents, by status: every route may answer 400, 413, 415 and 503. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorRef> {
  const all = new Set([400, 413, 415, 503, ...statuses]);
  return Object.fromEntries([...all].sort((a, b) => a - b).map((status) => [status, ErrorRef]));
}
