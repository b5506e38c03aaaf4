/**
 * The SQS door: a listener of its own (fastify, HTTP/1.1) that answers the AWS JSON 1.0 and
 * query protocols over the one engine. Each request is read whole (up to `bodyLimit`), its
 * signature passed to the verifier (signature.ts), decoded by its protocol, run by its action and
 * answered in the same protocol; while Docket's authentication is on, the signature is AWS
 * SigV4 made with a Docket token (signature.ts) and the action is checked against the token's
 * grants (access.ts); every failure, whatever its source, is an SQS error in that
 * protocol's shape (a 4xx for anything the request got wrong).
 *
 * States: listening → closing → closed. Closing aborts the long-polls in flight (they answer
 * with no messages), stops the dead-letter mover after its current work, then closes the
 * listener; the engine is the composition root's to close, after the door.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Engine } from '@docket/core';
import { openDoorGuard, type DoorGuard } from '@docket/server';
import { CloseNotice, clientErrorHandler, guardConnections, requestSignal } from '@docket/server/door-support';
import { authorizeAction, visibleOutput } from './access.ts';
import { actionNamed } from './actions/table.ts';
import type { SqsContext } from './context.ts';
import { DeadLetterMover } from './dead-letters.ts';
import { sqsErrorOf } from './engine-errors.ts';
import { sqsErrors, type SqsError } from './errors.ts';
import { QueueDirectory } from './queue-directory.ts';
import { authenticate } from './signature.ts';
import { decode, failure, protocolOf, success, type Answer, type Protocol, type RawRequest } from './wire/protocols.ts';

export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';
/** A 1 MiB message, form-encoded (up to 3 bytes a byte) or JSON-escaped, with its attributes. */
export const DEFAULT_SQS_BODY_LIMIT = 4 * 1024 * 1024;

export interface SqsDoorOptions {
  readonly engine: Engine;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly accountId?: string;
  readonly region?: string;
  readonly bodyLimit?: number;
  readonly log?: FastifyBaseLogger;
  /**
   * Access control (`doorGuard(app, 'sqs')`): with auth on, SigV4 with a Docket token and its
   * grants; default: signatures accepted unchecked, every action allowed.
   */
  readonly guard?: DoorGuard;
}

export interface SqsDoor {
  readonly port: number;
  /** Ends long-polls, stops background moves and closes the listener. */
  close(): Promise<void>;
}

function origin(request: FastifyRequest): string {
  return `http://${request.headers.host ?? request.hostname}`;
}

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  return reply.code(answer.status).headers(answer.headers).type(answer.contentType).send(answer.body);
}

export async function startSqsDoor(options: SqsDoorOptions): Promise<SqsDoor> {
  const bodyLimit = options.bodyLimit ?? DEFAULT_SQS_BODY_LIMIT;
  const app = Fastify({
    bodyLimit,
    // A missing or doubled Host is refused by the connection guards, in SQS's error shape.
    http: { requireHostHeader: false },
    // Node's own refusals (bad framing, headers too large): the query protocol's error shape, as
    // the request's headers (and so its protocol) could not be read.
    clientErrorHandler: clientErrorHandler(({ message }) => ({
      contentType: 'text/xml',
      body: failure('query', sqsErrors.malformedRequest(message), randomUUID()).body,
    })),
    logController: new LogController({ disableRequestLogging: true }),
    ...(options.log === undefined ? { logger: false } : { loggerInstance: options.log }),
  });
  const identity = { accountId: options.accountId ?? DEFAULT_ACCOUNT_ID, region: options.region ?? DEFAULT_REGION };
  const queues = new QueueDirectory(options.engine);
  const log = app.log;
  const deadLetters = new DeadLetterMover(options.engine, identity, queues, (err) =>
    log.error({ err }, 'SQS door: moving messages failed'),
  );
  const ctx: SqsContext = { engine: options.engine, identity, queues, deadLetters };
  const guard = options.guard ?? openDoorGuard();
  const closing = new CloseNotice();

  // As on the app's listener: an Upgrade request is answered and its connection closed; one Host.
  guardConnections(app);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));

  const rawOf = (request: FastifyRequest): RawRequest => ({
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
  });

  const answerError = (protocol: Protocol, err: unknown, requestId: string): Answer => {
    let known: SqsError | null = sqsErrorOf(err);
    if (known === null) {
      log.error({ err }, 'SQS door: request failed with an unexpected error');
      known = sqsErrors.internal();
    }
    return failure(protocol, known, requestId);
  };

  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'],
    url: '/*',
    handler: async (request, reply) => {
      const requestId = randomUUID();
      const raw = rawOf(request);
      const protocol = protocolOf(raw);
      const signal = requestSignal(request, reply, closing);
      let answer: Answer;
      try {
        const principal = await authenticate(guard, raw, request.ip, Date.now());
        const { action, input } = decode(protocol, raw);
        const run = actionNamed(action);
        if (run === undefined) throw sqsErrors.invalidAction(action);
        const path = request.url.split('?')[0] ?? '/';
        const call = { input, origin: origin(request), path, signal: signal.signal };
        authorizeAction(guard, principal, action, ctx, call);
        const output = await run(ctx, call);
        answer = success(protocol, action, visibleOutput(guard, principal, action, ctx, output), requestId);
      } catch (err) {
        answer = answerError(protocol, err, requestId);
      } finally {
        signal.release();
      }
      return send(reply, answer);
    },
  });

  app.setErrorHandler((err, request, reply) => {
    const protocol = protocolOf(rawOf(request));
    const fastifyCode = (err as { code?: unknown }).code;
    const status = (err as { statusCode?: unknown }).statusCode;
    if (fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return send(reply, failure(protocol, sqsErrors.requestTooLarge(bodyLimit), randomUUID()));
    if (typeof status === 'number' && status < 500) {
      return send(reply, failure(protocol, sqsErrors.malformedRequest('The request could not be read.'), randomUUID()));
    }
    return send(reply, answerError(protocol, err, randomUUID()));
  });

  await app.listen({ host: options.host, port: options.port });
  deadLetters.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;

  return {
    port,
    async close() {
      closing.fire();
      await deadLetters.close();
      await app.close();
    },
  };
}
