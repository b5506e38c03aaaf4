/**
 * miniqueue-style load over HTTP/2, as miniqueue's README measures it:
 * - publish: `POST /publish/<topic>` with a 10-byte body (`helloworld`), `publishers` loops each
 *   on its own HTTP/2 connection (the README ran go-wrk with 12), counting 201s per second;
 * - consume+ack: the messages just published, drained by `consumers` subscribe streams that
 *   answer every message with `"ACK"` (examples/bench_consume), timed from the first `"INIT"`
 *   until every stream has acked its last message and the server ended it.
 *
 * `measureMiniqueue(url, options)` runs against a given server: `https://` (pass the CA that
 * signed its certificate) or cleartext `http://`, which it speaks as h2c. By hand:
 * `tsx bench/cases/miniqueue.ts <url> [messages] [ca.pem]`.
 */
import { readFile } from 'node:fs/promises';
import { connect, type ClientHttp2Session } from 'node:http2';
import { performance } from 'node:perf_hooks';
import { throughput, type Throughput } from '../support/docket-drivers.ts';

export interface MiniqueueBenchOptions {
  /** Messages published, then consumed (default 50 000). */
  readonly messages?: number;
  /** Concurrent publish loops, one HTTP/2 connection each (default 12). */
  readonly publishers?: number;
  /** Subscribe streams draining the topic (default 1, as bench_consume). */
  readonly consumers?: number;
  readonly topic?: string;
  /** PEM of the CA that signed an https server's certificate. */
  readonly ca?: string;
  /** Each phase gives up after this long, reporting what it did so far (default 60 s). */
  readonly deadlineMs?: number;
}

export interface MiniqueueBenchResult {
  readonly publish: Throughput;
  readonly consumeAck: Throughput;
}

const BODY = 'helloworld';

function openSession(url: string, ca: string | undefined): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(url, ca === undefined ? {} : { ca });
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

function publishOnce(session: ClientHttp2Session, topic: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': `/publish/${topic}` });
    let status = 0;
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('error', reject);
    stream.on('end', () => resolve(status));
    stream.resume();
    stream.end(BODY);
  });
}

async function measurePublish(
  sessions: readonly ClientHttp2Session[],
  topic: string,
  messages: number,
  deadline: number,
): Promise<Throughput> {
  let next = 0;
  let published = 0;
  const started = performance.now();
  await Promise.all(
    sessions.map(async (session) => {
      while (next < messages && performance.now() < deadline) {
        next += 1;
        const status = await publishOnce(session, topic);
        if (status !== 201) throw new Error(`publish answered ${status}`);
        published += 1;
      }
    }),
  );
  return throughput(published, started, published >= messages);
}

interface Drain {
  left: number;
  readonly streams: Array<{ end(): void }>;
}

/**
 * One bench_consume loop: ACK each message as it arrives. Once every message arrived, each stream
 * half-closes after its last ACK: the server acks, then ends the response.
 */
function consume(session: ClientHttp2Session, topic: string, shared: Drain, deadline: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ':path': `/subscribe/${topic}` });
    shared.streams.push(stream);
    let consumed = 0;
    let partial = '';
    const timer = setTimeout(() => stream.end(), Math.max(0, deadline - performance.now()));
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      partial += chunk;
      let newline = partial.indexOf('\n');
      while (newline >= 0) {
        const line = partial.slice(0, newline);
        partial = partial.slice(newline + 1);
        newline = partial.indexOf('\n');
        if (line.includes('"error"')) {
          reject(new Error(`subscribe answered ${line}`));
          stream.close();
          return;
        }
        consumed += 1;
        shared.left -= 1;
        // The ACK of the last message is sent with the end of the body: the server acks it, then ends.
        stream.write('"ACK"\n');
        if (shared.left <= 0) for (const each of shared.streams) each.end();
      }
    });
    stream.on('error', reject);
    stream.on('close', () => {
      clearTimeout(timer);
      resolve(consumed);
    });
    stream.write('"INIT"\n');
  });
}

async function measureConsumeAck(
  sessions: readonly ClientHttp2Session[],
  topic: string,
  messages: number,
  deadline: number,
): Promise<Throughput> {
  const shared: Drain = { left: messages, streams: [] };
  const started = performance.now();
  const counts = await Promise.all(sessions.map((session) => consume(session, topic, shared, deadline)));
  const acked = counts.reduce((sum, n) => sum + n, 0);
  return throughput(acked, started, acked >= messages);
}

export async function measureMiniqueue(
  url: string,
  options: MiniqueueBenchOptions = {},
): Promise<MiniqueueBenchResult> {
  const messages = options.messages ?? 50_000;
  const topic = options.topic ?? 'bench-miniqueue';
  const deadlineMs = options.deadlineMs ?? 60_000;
  const open = (n: number): Promise<ClientHttp2Session[]> =>
    Promise.all(Array.from({ length: n }, () => openSession(url, options.ca)));
  const publishers = await open(options.publishers ?? 12);
  const consumers = await open(options.consumers ?? 1);
  try {
    const publish = await measurePublish(publishers, topic, messages, performance.now() + deadlineMs);
    const consumeAck = await measureConsumeAck(consumers, topic, publish.jobs, performance.now() + deadlineMs);
    return { publish, consumeAck };
  } finally {
    for (const session of [...publishers, ...consumers]) session.close();
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const url = process.argv[2] ?? 'https://localhost:8080';
  const messages = Number(process.argv[3] ?? 50_000);
  const caFile = process.argv[4];
  const ca = caFile === undefined ? undefined : await readFile(caFile, 'utf8');
  const result = await measureMiniqueue(url, { messages, ...(ca === undefined ? {} : { ca }) });
  console.log(JSON.stringify({ case: 'miniqueue-publish', ...result.publish }));
  console.log(JSON.stringify({ case: 'miniqueue-consume-ack', ...result.consumeAck }));
}
