export {
  startSqsDoor,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  DEFAULT_SQS_BODY_LIMIT,
  type SqsDoor,
  type SqsDoorOptions,
} from './door.ts';
export type { RawRequest } from './wire/protocols.ts';
export { SqsError } from './errors.ts';
