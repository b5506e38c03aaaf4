/**
 * The activity stream (`GET /v1/stats/activity`, SSE) against a real `docket serve` process: one
 * `activity` frame a second, naming the queues that had job events in that second.
 */
import { expect, test } from 'vitest';
import { serverPerFile } from '../../../test/support/server-per-file.ts';

const served = serverPerFile();

interface Frame {
  readonly at: number;
  readonly queues: string[];
}

test('a frame names the queue a job was enqueued into, and quiet seconds send empty frames', async () => {
  const controller = new AbortController();
  const response = await fetch(`${served.server.url}/v1/stats/activity`, { signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const frames: Frame[] = [];
  let enqueued = false;
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk);
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        if (!block.startsWith('event: activity\n')) continue;
        frames.push(JSON.parse(block.slice(block.indexOf('data: ') + 6)) as Frame);
        if (!enqueued) {
          enqueued = true;
          const answer = await fetch(`${served.server.url}/v1/queues/activity-a/jobs`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ data: 1 }),
          });
          expect(answer.status).toBe(201);
        }
      }
      const named = frames.findIndex((frame) => frame.queues.includes('activity-a'));
      if (named !== -1 && frames.length > named + 1) break;
    }
  } finally {
    controller.abort();
  }
  const named = frames.findIndex((frame) => frame.queues.includes('activity-a'));
  expect(named).toBeGreaterThan(0);
  expect(frames[named + 1]?.queues).toEqual([]);
  expect(frames.every((frame) => typeof frame.at === 'number')).toBe(true);
});
