/**
 * Logging: pino JSON lines with credentials redacted wherever a request or response is logged
 * (authorization headers, cookies, API keys, token fields), and one line per request, on
 * completion, at debug for hot-path routes so log volume cannot become a denial of service.
 */
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';

/** pino options as fastify takes them (level, stream, serializers, …). */
export type LoggerOptions = Exclude<NonNullable<FastifyServerOptions['logger']>, boolean>;

const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.token',
  '*.password',
  '*.secret',
  '*.leaseToken',
];

export function loggerOptions(options: LoggerOptions): LoggerOptions {
  return { ...options, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
}

/** fastify's request log lines, shaped as above. */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...fields, err: error }, 'request errored');
    else if (request.routeOptions.config.hot === true) reply.log.debug(fields, 'request completed');
    else reply.log.info(fields, 'request completed');
  }
}
