/**
 * miniqueue's three routes as thin adapters over the engine: publish → enqueue (the raw body as a
 * bytes payload), purge → purge of exactly that queue (every state), subscribe → a session of
 * leases, acks and nacks (session.ts). Answers only after the engine call resolved.
 */
import type { Http2ServerResponse } from 'node:http2';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestSignal, type DoorContext } from '@docket/server/door-support';
import { CommandStream } from './command-stream.ts';
import { MiniqueueError, sendPageNotFound } from './errors.ts';
import { runSession } from './session.ts';
import { StreamWriter } from './stream-writer.ts';
import { Subscription } from './subscription.ts';
import { checkTopic } from './topic.ts';

type TopicRequest = FastifyRequest<{ Params: { topic: string } }>;

/** The topic of the path, or the answer already sent (404 for no route, 400 for a bad name). */
function topicOf(request: TopicRequest, reply: FastifyReply): string | FastifyReply {
  const check = checkTopic(request.params.topic);
  if (check.kind === 'no-route') return sendPageNotFound(reply);
  if (check.kind === 'invalid') throw new MiniqueueError(400, check.message);
  return check.topic;
}

export async function publish(ctx: DoorContext, request: TopicRequest, reply: FastifyReply): Promise<FastifyReply> {
  const topic = topicOf(request, reply);
  if (typeof topic !== 'string') return topic;
  const body = request.body instanceof Uint8Array ? request.body : new Uint8Array(0);
  await ctx.engine.enqueue(topic, { data: body });
  return reply.code(201).send();
}

export async function purge(ctx: DoorContext, request: TopicRequest, reply: FastifyReply): Promise<FastifyReply> {
  const topic = topicOf(request, reply);
  if (typeof topic !== 'string') return topic;
  await ctx.engine.purge(topic);
  return reply.code(200).send();
}

/**
 * HTTP/2: once the response ended, a client still sending is told to stop (RST_STREAM NO_ERROR,
 * sent by Node after the response's last frame), as Go's server does; the stream then closes.
 */
function stopRequestStream(request: FastifyRequest, reply: FastifyReply): void {
  if (request.raw.httpVersionMajor !== 2 || request.raw.complete) return;
  const { stream } = reply.raw as unknown as Http2ServerResponse;
  if (!stream.closed) stream.close();
}

export async function subscribe(ctx: DoorContext, request: TopicRequest, reply: FastifyReply): Promise<void> {
  const topic = topicOf(request, reply);
  if (typeof topic !== 'string') return;
  void reply.hijack();
  const gone = requestSignal(request, reply, ctx.lifecycle.closing);
  const commands = new CommandStream(request.raw);
  const out = new StreamWriter(reply.raw);
  const subscription = new Subscription({
    engine: ctx.engine,
    topic,
    onExtendError: (err) => request.log.warn({ err }, 'miniqueue could not extend a held message'),
  });
  ctx.streams.opened([topic]);
  try {
    await runSession({ subscription, commands, out, gone: gone.signal, log: request.log });
  } finally {
    ctx.streams.closed([topic]);
    gone.release();
    commands.close();
    out.end();
    stopRequestStream(request, reply);
  }
}
