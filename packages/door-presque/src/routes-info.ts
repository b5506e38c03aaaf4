/**
 * presque's queue information and control: `/j/<queue>` (counts), `/status/` (queues, sizes) and
 * `/control/<queue>` (open or stopped = resumed or paused). Counts come from engine stats:
 * `job_count` and `size` are the waiting jobs, `job_processed` the queue's completed total,
 * `job_failed` its failed total (failed attempts and `PUT /q/` re-queues).
 */
import { limits } from '@docket/protocol';
import { allQueues, statsOf } from '@docket/server/door-support';
import { PresqueError } from './errors.ts';
import { queryOf, queueOf } from './params.ts';
import { bodyOf } from './payload.ts';
import { countOrZero, sendJson } from './render.ts';
import type { PresqueHandler } from './routes-jobs.ts';

export const jobInfo: PresqueHandler = async (rest, _request, reply, { engine }) => {
  const queue = queueOf(rest);
  const stats = await statsOf(engine, queue);
  return sendJson(reply, 200, {
    queue_name: queue,
    job_count: countOrZero(stats?.counts.waiting ?? 0),
    job_failed: countOrZero(stats?.totals.failed ?? 0),
    job_processed: countOrZero(stats?.totals.completed ?? 0),
  });
};

/** `/status/`: every queue; `/status/<queue>`: its size as a string, and with `?with_desc=1` its jobs. */
export const status: PresqueHandler = async (rest, request, reply, { engine }) => {
  if (rest === '') {
    const queues = (await allQueues(engine)).map((queue) => queue.name);
    return sendJson(reply, 200, { queues, size: queues.length });
  }
  const queue = queueOf(rest);
  const waiting = (await statsOf(engine, queue))?.counts.waiting ?? 0;
  const withDesc = queryOf(request, 'with_desc');
  if (withDesc === undefined || withDesc === '' || withDesc === '0') {
    return sendJson(reply, 200, { queue, size: String(waiting) });
  }
  const page = await engine.list(queue, { state: 'waiting', limit: limits.MAX_LIST_LIMIT });
  const jobs = page.items.map((job) => bodyOf(job).toString('utf8'));
  return sendJson(reply, 200, { queue, size: String(waiting), jobs });
};

/** `"1"` open, `"0"` stopped, null for a queue never used. */
export const controlStatus: PresqueHandler = async (rest, _request, reply, { engine }) => {
  const queue = queueOf(rest);
  const stats = await statsOf(engine, queue);
  return sendJson(reply, 200, { queue, status: stats === null ? null : stats.paused ? '0' : '1' });
};

function requestedStatus(body: unknown): 'start' | 'stop' {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  if (text === '') throw new PresqueError('content is missing');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PresqueError('content is not valid JSON: expected {"status": "start" | "stop"}');
  }
  const status: unknown =
    typeof value === 'object' && value !== null ? (value as { status?: unknown }).status : undefined;
  if (status !== 'start' && status !== 'stop') throw new PresqueError('status must be start or stop');
  return status;
}

/** POST `/control/<queue>` `{"status": "start" | "stop"}`; no Content-Type needed, as in presque. */
export const control: PresqueHandler = async (rest, request, reply, { engine }) => {
  const queue = queueOf(rest);
  if (requestedStatus(request.body) === 'stop') await engine.pause(queue);
  else await engine.resume(queue);
  return sendJson(reply, 200, { queue, response: 'updated' });
};
