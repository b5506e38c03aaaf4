/**
 * Logging: pino JSON lines with credentials redacted wherever a request or response is logged
 * (authorization headers, cookies, API keys, token fields), and one line per request, on
 * completion, at debug for hot-path routes so log volume cannot become a denial of service.
 */
import {
  LogController,
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';

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

type LevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;

/** pino's default level values; `silent` logs nothing. */
const LEVEL_VALUES: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

/**
 * A request's logger, made on its first line at an enabled level. fastify makes a child logger
 * per request (the `reqId` binding), and pino builds one by serializing the bindings through the
 * redaction: about 1.5 % of a single enqueue's server CPU. Most requests log nothing (a hot
 * route's completion line is at debug), so their child is never made; a request that logs gets
 * the same child, bindings and lines as before.
 *
 * Invariant: the real child is made at most once, with the bindings and options fastify gave,
 * and every line at an enabled level (or at an unknown one) goes through it.
 */
class LazyChildLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  get level(): string {
    return this.#child?.level ?? this.#options.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#made().level = level;
  }

  #made(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  #log(level: LevelName, args: unknown[]): void {
    const threshold = LEVEL_VALUES[this.level];
    if (threshold !== undefined && (LEVEL_VALUES[level] ?? 0) < threshold) return;
    const child = this.#made();
    Reflect.apply(child[level], child, args);
  }

  // Methods, not arrow-function fields: a request's logger then allocates no closures.
  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }

  error(...args: unknown[]): void {
    this.#log('error', args);
  }

  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }

  info(...args: unknown[]): void {
    this.#log('info', args);
  }

  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }

  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }

  silent(): void {
    return undefined;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#made().child(bindings, options);
  }
}

/** fastify's `childLoggerFactory`: request loggers made lazily (LazyChildLogger). */
export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyChildLogger(logger, bindings, options);
}
