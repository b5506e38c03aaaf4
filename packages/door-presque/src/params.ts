/**
 * presque's request rules: the queue named by the rest of the path, the Content-Type and body
 * checks of job inserts, `?delayed=` (an epoch in seconds), `?uniq=`, `?batch_size=` and the
 * worker's identity. Queue names outside Docket's rule and values the original would have
 * mishandled (a job lost to a bad `delayed`) are refused with a 400 in presque's format.
 */
import type { FastifyRequest } from 'fastify';
import { QUEUE_NAME_RULE, WORKER_ID_PATTERN, isQueueName, limits } from '@docket/protocol';
import { PresqueError } from './errors.ts';

export const WORKER_HEADER = 'x-presque-workerid';
/** presque's batch size when `batch_size` is missing, empty or 0. */
export const BATCH_SIZE_DEFAULT = 10;

type Query = Record<string, string | string[] | undefined>;

function queryValue(request: FastifyRequest, name: string): string | undefined {
  const raw = (request.query as Query)[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

export function queueOf(rest: string): string {
  if (rest === '') throw new PresqueError('queue name is missing', 404);
  if (!isQueueName(rest)) {
    throw new PresqueError(`invalid queue name: ${QUEUE_NAME_RULE}`);
  }
  return rest;
}

/** The body of a job insert: Content-Type must contain application/json, the body must be there. */
export function jobBody(request: FastifyRequest): Buffer {
  if (!(request.headers['content-type'] ?? '').includes('application/json')) {
    throw new PresqueError('content-type must be set to application/json');
  }
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  if (body.byteLength === 0 || (body.byteLength === 1 && body.toString() === '0')) {
    throw new PresqueError('job is missing');
  }
  return body;
}

/** `?delayed=<epoch seconds>` as the engine's runAt in ms; undefined when absent, empty or 0. */
export function runAtOf(request: FastifyRequest): number | undefined {
  const text = queryValue(request, 'delayed');
  if (text === undefined || text === '' || text === '0') return undefined;
  if (!/^\d{1,12}(\.\d+)?$/.test(text)) {
    throw new PresqueError('delayed must be a date in epoch seconds');
  }
  return Math.floor(Number(text) * 1000);
}

export function uniqOf(request: FastifyRequest): string | undefined {
  const text = queryValue(request, 'uniq');
  if (text === undefined || text === '') return undefined;
  if (text.length > limits.MAX_DEDUP_KEY_LENGTH) {
    throw new PresqueError(`uniq is longer than ${limits.MAX_DEDUP_KEY_LENGTH} characters`);
  }
  return text;
}

/** `?batch_size=`: 10 when missing, empty or 0; at most one lease's worth. */
export function batchSizeOf(request: FastifyRequest): number {
  const text = queryValue(request, 'batch_size');
  if (text === undefined || text === '' || text === '0') return BATCH_SIZE_DEFAULT;
  if (!/^\d+$/.test(text)) throw new PresqueError('batch_size must be a positive integer');
  return Math.min(Number(text), limits.MAX_LEASE_COUNT);
}

function checkedWorker(id: string): string {
  if (!WORKER_ID_PATTERN.test(id)) {
    throw new PresqueError('invalid worker id: expected 1 to 100 characters of letters, digits and . _ : / @ -');
  }
  return id;
}

/** The `X-presque-workerid` header, when the request carries one. */
export function headerWorkerOf(request: FastifyRequest): string | undefined {
  const raw = request.headers[WORKER_HEADER];
  const id = Array.isArray(raw) ? raw[0] : raw;
  return id === undefined || id === '' ? undefined : checkedWorker(id);
}

function bodyWorker(request: FastifyRequest): string | undefined {
  if (!Buffer.isBuffer(request.body)) return undefined;
  try {
    const value: unknown = JSON.parse(request.body.toString('utf8'));
    const id: unknown =
      typeof value === 'object' && value !== null ? (value as { worker_id?: unknown }).worker_id : undefined;
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The worker a registration names: the header (presque's code), else `?worker_id=` or a JSON
 * body `{"worker_id": …}` (presque's documentation and its own test).
 */
export function registeringWorkerOf(request: FastifyRequest): string {
  const id = headerWorkerOf(request) ?? queryValue(request, 'worker_id') ?? bodyWorker(request);
  if (id === undefined || id === '') throw new PresqueError('worker_id is missing');
  return checkedWorker(id);
}

export function queryOf(request: FastifyRequest, name: string): string | undefined {
  return queryValue(request, name);
}
