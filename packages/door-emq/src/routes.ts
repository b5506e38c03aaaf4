/**
 * emq's six endpoints as thin adapters: each decodes the request in emq's rules, calls engine
 * operations and answers in emq's form. Only the multi-queue all-or-nothing wait needs more than
 * one call; it lives in wait-room.ts and take.ts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DocketError, ErrorCode, limits, type JsonValue } from '@docket/protocol';
import type { Engine } from '@docket/core';
import { requestSignal, type DoorContext, allQueues } from '@docket/server/door-support';
import { decodeRequest, type RequestShape } from './decode.ts';
import { EmqError, badRequest } from './errors.ts';
import { jobIdOf } from './ids.ts';
import { queueOf } from './paths.ts';
import { renderTask, sendEmpty, sendGetJson, sendPostJson } from './render.ts';
import { planOf, takeAvailable, type WaitAnswer } from './take.ts';
import { TASK_CONFIG, taskInput } from './task-options.ts';
import type { WaitRoom } from './wait-room.ts';

export interface EmqContext extends DoorContext {
  readonly room: WaitRoom;
}

export type EmqHandler = (
  rest: string,
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: EmqContext,
) => Promise<FastifyReply>;

/** emq's request structs, named as Go's decoding errors name them. */
const WAIT_CONFIG: RequestShape = { type: 'WaitSpecConfig', fields: { timeout: 'uint32', queues: 'strings' } };
const IDS_CONFIG: RequestShape = { type: 'UIDs', fields: { ids: 'uids' } };

/** emq's Content-Type rule for POST bodies, case-sensitive as in the original. */
const JSON_CONTENT_TYPE = /^application\/json(;.+)?$/;
/** One wait answers at most as many positions as one lease may return. */
const MAX_WAIT_POSITIONS = limits.MAX_LEASE_COUNT;
/** Ack and nak settle ids in slices of this many, so a huge id list cannot flood the store at once. */
const SETTLE_SLICE = 100;
/** Refusals that mean "not in dispatch": emq ignores such ids silently. */
const NOT_IN_DISPATCH = new Set<string>([
  ErrorCode.JOB_NOT_FOUND,
  ErrorCode.LEASE_MISMATCH,
  ErrorCode.JOB_EXPIRED,
  ErrorCode.JOB_FINISHED,
]);

function jsonBody(request: FastifyRequest): string | undefined {
  if (!JSON_CONTENT_TYPE.test(request.headers['content-type'] ?? '')) throw badRequest();
  return typeof request.body === 'string' ? request.body : undefined;
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? item : '')) : [];
}

export const enqueue: EmqHandler = async (rest, request, reply, { engine }) => {
  const body = jsonBody(request);
  const queue = queueOf(rest);
  await engine.enqueue(queue, taskInput(decodeRequest(body, TASK_CONFIG)));
  return sendEmpty(reply);
};

export const wait: EmqHandler = async (_rest, request, reply, { engine, lifecycle, room }) => {
  const decoded = decodeRequest(jsonBody(request), WAIT_CONFIG);
  const queues = strings(decoded['queues']);
  if (queues.length > MAX_WAIT_POSITIONS) {
    throw new EmqError(`too many queues: a wait takes at most ${MAX_WAIT_POSITIONS} positions`);
  }
  for (const queue of queues) queueOf(queue);
  if (queues.length === 0) return sendPostJson(reply, []);
  const plan = planOf(queues);
  const timeout = typeof decoded['timeout'] === 'number' ? decoded['timeout'] : 0;
  let answer: WaitAnswer;
  if (timeout === 0) answer = await takeAvailable(engine, plan);
  else {
    const { signal, release } = requestSignal(request, reply, lifecycle.closing);
    try {
      answer = await room.wait(plan, Math.min(timeout, limits.MAX_WAIT_MS), signal);
    } finally {
      release();
    }
  }
  return sendPostJson(
    reply,
    answer.map((job) => (job === null ? null : renderTask(job))),
  );
};

async function settleOne(engine: Engine, id: string, kind: 'ack' | 'nak'): Promise<void> {
  try {
    const job = await engine.get(id);
    if (job.state !== 'active' || job.leaseToken === null) return;
    const token = job.leaseToken;
    if (kind === 'ack') await engine.ack(id, { token });
    else await engine.nack(id, { token, placement: 'back' });
  } catch (err) {
    if (err instanceof DocketError && NOT_IN_DISPATCH.has(err.code)) return;
    throw err;
  }
}

function settle(kind: 'ack' | 'nak'): EmqHandler {
  return async (_rest, request, reply, { engine }) => {
    const decoded = decodeRequest(jsonBody(request), IDS_CONFIG);
    const ids = strings(decoded['ids']).map(jobIdOf);
    for (let at = 0; at < ids.length; at += SETTLE_SLICE) {
      await Promise.all(ids.slice(at, at + SETTLE_SLICE).map((id) => settleOne(engine, id, kind)));
    }
    return sendEmpty(reply);
  };
}

export const ack = settle('ack');
export const nak = settle('nak');

/** Go's strconv.Atoi on the first `n` of the query, with its messages. */
function peekCount(request: FastifyRequest): number {
  const raw = (request.query as Record<string, string | string[] | undefined>)['n'];
  const text = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  if (!/^[+-]?\d+$/.test(text)) throw new EmqError(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new EmqError(`strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`);
  return n;
}

export const peek: EmqHandler = async (rest, request, reply, { engine }) => {
  const n = peekCount(request);
  const queue = queueOf(rest);
  if (n <= 0) return sendGetJson(reply, []);
  const page = await engine.list(queue, { state: 'waiting', limit: Math.min(n, limits.MAX_LIST_LIMIT) });
  return sendGetJson(reply, page.items.map(renderTask));
};

/** Queues holding at least one live task: waiting, delayed or in dispatch. */
export const queues: EmqHandler = async (_rest, _request, reply, { engine }) => {
  const live = (await allQueues(engine)).filter(({ counts }) => counts.waiting + counts.delayed + counts.active > 0);
  return sendGetJson(
    reply,
    live.map((queue) => queue.name),
  );
};
