/**
 * The event stream (`GET /v1/queues/{queue}/events`, SSE) against a real `docket serve`
 * process: lifecycle events in order, resumption with Last-Event-ID without loss or repeats,
 * an explicit `missed` event when the id is older than the queue's window, and bad input.
 */
import { describe, expect, test } from 'vitest';
import { serverPerFile } from '../../../test/support/server-per-file.ts';

const served = serverPerFile();
let queueSeq = 0;

function queueName(label: string): string {
  queueSeq += 1;
  return `events-${label}-${queueSeq}`;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(served.server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

interface EventSourceMessage {
  readonly id?: string;
  readonly event?: string;
  readonly data: string;
}

/**
 * Just enough of the SSE format for these tests (the server writes one `data` line per event);
 * the SDK's reader uses eventsource-parser.
 */
function sseParser(onEvent: (event: EventSourceMessage) => void): { feed(text: string): void } {
  let buffer = '';
  return {
    feed(text) {
      buffer += text;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
        }
        if (fields['data'] !== undefined) {
          onEvent({
            data: fields['data'],
            ...(fields['id'] === undefined ? {} : { id: fields['id'] }),
            ...(fields['event'] === undefined ? {} : { event: fields['event'] }),
          });
        }
      }
    },
  };
}

interface Subscription {
  readonly events: EventSourceMessage[];
  /** Resolves once `count` events (comments excluded) arrived. */
  next(count: number): Promise<EventSourceMessage[]>;
  close(): void;
  readonly status: number;
  readonly contentType: string | null;
}

async function subscribe(queue: string, lastEventId?: string): Promise<Subscription> {
  const controller = new AbortController();
  const response = await fetch(`${served.server.url}/v1/queues/${encodeURIComponent(queue)}/events`, {
    headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
    signal: controller.signal,
  });
  const events: EventSourceMessage[] = [];
  let wake = (): void => undefined;
  const parser = sseParser((event) => {
    events.push(event);
    wake();
  });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk));
    } catch {
      // aborted by close()
    }
  })();
  return {
    events,
    status: response.status,
    contentType: response.headers.get('content-type'),
    async next(count) {
      const deadline = Date.now() + 10_000;
      while (events.length < count) {
        if (Date.now() > deadline)
          throw new Error(`only ${events.length} of ${count} events: ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      return events.slice(0, count);
    },
    close: () => controller.abort(),
  };
}

const data = (event: EventSourceMessage | undefined): Record<string, unknown> =>
  JSON.parse(event?.data ?? '{}') as Record<string, unknown>;

describe('event stream', () => {
  test('carries a job through enqueued, leased and completed, in order, with increasing ids', async () => {
    const queue = queueName('order');
    const sub = await subscribe(queue);
    expect(sub.status).toBe(200);
    expect(sub.contentType).toContain('text/event-stream');
    const { job } = await post<{ job: { id: string } }>(`/v1/queues/${queue}/jobs`, { data: { a: 1 } });
    const { jobs } = await post<{ jobs: Array<{ id: string; leaseToken: string }> }>('/v1/lease', { queues: [queue] });
    await post(`/v1/jobs/${job.id}/ack`, { lease: jobs[0]?.leaseToken, result: { big: 'x'.repeat(10) } });
    const events = await sub.next(3);
    expect(events.map((e) => e.event)).toEqual(['enqueued', 'leased', 'completed']);
    for (const event of events) expect(data(event)).toMatchObject({ id: job.id, queue });
    expect(data(events[2])).toMatchObject({ state: 'completed', attempts: 1 });
    expect(data(events[2])).not.toHaveProperty('result');
    expect(data(events[2])).not.toHaveProperty('data');
    const seqs = events.map((e) => Number(e.id?.split('-').pop()));
    expect(seqs).toEqual([seqs[0], (seqs[0] ?? 0) + 1, (seqs[0] ?? 0) + 2]);
    sub.close();
  });

  test('announces retrying with the error, then dead', async () => {
    const queue = queueName('dead');
    const sub = await subscribe(queue);
    const backoff = { type: 'fixed', initialMs: 0, maxMs: 0, factor: 1, jitter: 0 };
    const { job } = await post<{ job: { id: string } }>(`/v1/queues/${queue}/jobs`, {
      data: 1,
      maxAttempts: 2,
      backoff,
    });
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const { jobs } = await post<{ jobs: Array<{ leaseToken: string }> }>('/v1/lease', {
        queues: [queue],
        waitMs: 5000,
      });
      await post(`/v1/jobs/${job.id}/nack`, { lease: jobs[0]?.leaseToken, error: { message: `boom ${attempt}` } });
    }
    const events = await sub.next(5);
    expect(events.map((e) => e.event)).toEqual(['enqueued', 'leased', 'retrying', 'leased', 'dead']);
    expect(data(events[2])).toMatchObject({ error: { message: 'boom 1', attempt: 1 } });
    expect(data(events[4])).toMatchObject({ state: 'dead', deadReason: 'max-attempts', error: { message: 'boom 2' } });
    sub.close();
  });

  test('resumes after Last-Event-ID with nothing lost and nothing repeated', async () => {
    const queue = queueName('resume');
    const first = await subscribe(queue);
    await post(`/v1/queues/${queue}/jobs`, { jobs: [{ data: 1 }, { data: 2 }] });
    const seen = await first.next(2);
    first.close();
    await post(`/v1/queues/${queue}/jobs`, { jobs: [{ data: 3 }, { data: 4 }, { data: 5 }] });
    const resumed = await subscribe(queue, seen[1]?.id);
    const rest = await resumed.next(3);
    expect(rest.map((e) => e.event)).toEqual(['enqueued', 'enqueued', 'enqueued']);
    const ids = [...seen, ...rest].map((e) => e.id);
    expect(new Set(ids).size).toBe(5);
    const seqs = ids.map((id) => Number(id?.split('-').pop()));
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    resumed.close();
  });

  test('says missed when the id is older than the window, then replays what it holds', async () => {
    const queue = queueName('too-old');
    const first = await subscribe(queue);
    await post(`/v1/queues/${queue}/jobs`, { data: 0 });
    const [oldest] = await first.next(1);
    first.close();
    for (let i = 0; i < 2; i += 1) {
      await post(`/v1/queues/${queue}/jobs`, { jobs: Array.from({ length: 600 }, (_, j) => ({ data: j })) });
    }
    const resumed = await subscribe(queue, oldest?.id);
    const events = await resumed.next(1001);
    expect(events[0]?.event).toBe('missed');
    expect(data(events[0])).toEqual({ lastEventId: oldest?.id });
    expect(events.slice(1).every((e) => e.event === 'enqueued')).toBe(true);
    resumed.close();
  });

  test('an id it cannot read (or from another server run) gets missed too', async () => {
    const queue = queueName('unknown');
    const sub = await subscribe(queue, 'not-an-id');
    await post(`/v1/queues/${queue}/jobs`, { data: 1 });
    const events = await sub.next(2);
    expect(events.map((e) => e.event)).toEqual(['missed', 'enqueued']);
    sub.close();
  });

  test('a bad queue name or query answers 400 in the error format', async () => {
    for (const path of ['/v1/queues/bad%20name/events', '/v1/queues/ok/events?since=1']) {
      const response = await fetch(served.server.url + path);
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INVALID_ARGUMENT');
    }
  });
});
