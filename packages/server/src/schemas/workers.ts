/** Schemas of the worker registry routes. */
import { Type } from '@sinclair/typebox';
import { WORKER_ID_PATTERN } from '@docket/protocol';
import { Page, QueueName } from './common.ts';
import { WorkerRef } from './entities.ts';

export const WorkerParams = Type.Object(
  { id: Type.String({ pattern: WORKER_ID_PATTERN.source }) },
  { additionalProperties: false },
);

export const HeartbeatBody = Type.Object(
  { queues: Type.Array(QueueName, { maxItems: 100 }) },
  { additionalProperties: false },
);

export const WorkerPage = Page(WorkerRef);
