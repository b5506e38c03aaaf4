/**
 * Translation between the engine's values and the JSON wire: a job's bytes payload travels as
 * base64 text next to `encoding: 'bytes'`, a JSON payload as the value itself. The same rule
 * holds both ways, so a job read from the API can be enqueued again as it is.
 */
import type { Static } from '@sinclair/typebox';
import type { AckOptions, EnqueueInput, ExtendOptions, NackOptions } from '@docket/core';
import { InvalidArgumentError, type Job, type JsonValue } from '@docket/protocol';
import type { WireJob } from './schemas/entities.ts';
import type { AckBody, EnqueueBytesQuery, EnqueueJobBody, ExtendBody, NackBody } from './schemas/jobs.ts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** A job as the API shows it: every field, bytes payloads in base64. */
export function renderJob(job: Job): WireJob {
  const data = job.data instanceof Uint8Array ? toBase64(job.data) : job.data;
  return { ...job, data };
}

export function renderJobs(jobs: readonly Job[]): WireJob[] {
  return jobs.map(renderJob);
}

/** Where a job sits in a batch body: `jobs` of a queue's batch, or `items` of `POST /v1/jobs`. */
export interface BatchPlace {
  readonly list: 'jobs' | 'items';
  readonly index: number;
}

/** One job of a JSON enqueue body, as the engine takes it. */
export function enqueueInputFromJson(body: Static<typeof EnqueueJobBody>, place?: BatchPlace): EnqueueInput {
  const { encoding, data, ...options } = body;
  if (encoding !== 'bytes') return { ...options, data: data as JsonValue };
  if (typeof data !== 'string' || !BASE64.test(data)) {
    const where = place === undefined ? 'data' : `${place.list}/${place.index}/data`;
    throw new InvalidArgumentError(`invalid ${where}: encoding bytes needs base64 text`, {
      field: 'data',
      ...(place === undefined ? {} : { index: place.index }),
    });
  }
  return { ...options, data: Buffer.from(data, 'base64') };
}

/** A raw (non-JSON) enqueue body: one job of these bytes, options from the query string. */
export function enqueueInputFromBytes(body: Buffer, query: Static<typeof EnqueueBytesQuery>): EnqueueInput {
  return { ...query, data: body };
}

/** `lease` on the wire is the engine's `token`. */
export function ackOptions(body: Static<typeof AckBody>): AckOptions {
  const { lease, result } = body;
  return result === undefined ? { token: lease } : { token: lease, result: result as JsonValue };
}

export function nackOptions(body: Static<typeof NackBody>): NackOptions {
  const { lease, ...rest } = body;
  return { token: lease, ...rest };
}

export function extendOptions(body: Static<typeof ExtendBody>): ExtendOptions {
  const { lease, ...rest } = body;
  return { token: lease, ...rest };
}
