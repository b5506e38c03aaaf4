/**
 * buildApp: the fastify app of Docket's HTTP API over a built engine. It does not listen; the
 * composition root (`docket serve`) listens, and tests use `app.inject()`.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Engine } from '@docket/core';
import pkg from '../package.json' with { type: 'json' };
import { readUnknownLengthBodies, useJsonParser } from './body-parsers.ts';
import { closeUpgradedAfterAnswer, guardConnections, refuseClientError } from './connection-guards.ts';
import { registerDoors } from './doors/register.ts';
import { installErrorHandlers, sendError } from './error-handler.ts';
import { DEFAULT_LIMITS, DEFAULT_TIMEOUTS, type ServerLimits, type ServerTimeouts } from './limits.ts';
import { serverFactory } from './listeners/server-factory.ts';
import type { TlsMaterial } from './listeners/tls-server.ts';
import { RequestLogController, loggerOptions, type LoggerOptions } from './logger.ts';
import { createCommitMetrics, type CommitMetrics } from './metrics/commit-metrics.ts';
import { createMetrics } from './metrics/metrics.ts';
import { registerOpenApi } from './openapi.ts';
import { installRequestHooks } from './request-hooks.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { leaseRoutes } from './routes/lease.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { queueRoutes } from './routes/queues.ts';
import { registerEventStream } from './routes/events.ts';
import { registerRoutes } from './routes/register.ts';
import { registerConsumerStream } from './routes/stream.ts';
import type { Route } from './routes/route.ts';
import { workerRoutes } from './routes/workers.ts';
import { SHARED_SCHEMAS } from './schemas/entities.ts';
import { buildSerializer } from './serializers.ts';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './streaming/stream-limits.ts';
import { attachLifecycle } from './shutdown.ts';
import { validatorCompiler } from './validation.ts';

export interface BuildAppOptions {
  readonly engine: Engine;
  /** pino options (level, destination stream…); redaction of credentials is always added. */
  readonly logger?: LoggerOptions | false;
  /** A ready logger instead (its redaction is the caller's business). */
  readonly loggerInstance?: FastifyBaseLogger;
  readonly limits?: Partial<ServerLimits>;
  readonly timeouts?: Partial<ServerTimeouts>;
  /** Metrics registry (default: a new one per app). */
  readonly registry?: Registry;
  /** `process_*` and `nodejs_*` metrics (default true). */
  readonly defaultMetrics?: boolean;
  /** Storage commit histograms fed by the store (see createCommitMetrics). */
  readonly commitMetrics?: CommitMetrics;
  /** Labels of docket_build_info (default: this package's version, store "unknown"). */
  readonly buildInfo?: { readonly version?: string; readonly store?: string };
  /** Readiness beyond shutdown: resolves to null when ready, or to why not (/readyz answers 503). */
  readonly readyCheck?: () => Promise<string | null>;
  /** Close the engine when the app closes, after in-flight requests (default true). */
  readonly closeEngine?: boolean;
  /** Consumer stream and event stream tunables (streaming/stream-limits.ts). */
  readonly streams?: Partial<StreamLimits>;
  /** Serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with this certificate; without, cleartext HTTP/1.1 and h2c. */
  readonly tls?: TlsMaterial;
}

export type DocketApp = FastifyInstance;

export const API_ROUTES: readonly Route[] = [
  ...jobRoutes,
  ...leaseRoutes,
  ...queueRoutes,
  ...workerRoutes,
  ...healthRoutes,
  ...metricsRoutes,
];

function createFastify(options: BuildAppOptions, limits: ServerLimits, timeouts: ServerTimeouts): FastifyInstance {
  return Fastify({
    ...(options.loggerInstance === undefined
      ? { logger: options.logger === false ? false : loggerOptions(options.logger ?? {}) }
      : { loggerInstance: options.loggerInstance }),
    logController: new RequestLogController(),
    bodyLimit: limits.bodyBytes,
    routerOptions: { maxParamLength: limits.maxParamLength },
    return503OnClosing: false,
    clientErrorHandler: refuseClientError,
    schemaController: { compilersFactory: { buildSerializer } },
    frameworkErrors: (err, request, reply) => {
      closeUpgradedAfterAnswer(request, reply);
      sendError(err, request, reply);
    },
    /** The listeners and their timeouts: listeners/server-factory.ts. */
    serverFactory: serverFactory(options.tls, timeouts),
    /** With a serverFactory, fastify reads this only to say https in its listening line and listeningOrigin. */
    ...(options.tls === undefined ? {} : { https: true }),
  });
}

/**
 * @example
 * const app = buildApp({ engine, logger: { level: 'info' } });
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 * process.once('SIGTERM', () => void closeApp(app));
 */
export function buildApp(options: BuildAppOptions): DocketApp {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const app = createFastify(options, limits, timeouts);
  const version = options.buildInfo?.version ?? pkg.version;
  const lifecycle = attachLifecycle(app);
  const metrics = createMetrics({
    engine: options.engine,
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    commitMetrics: options.commitMetrics ?? createCommitMetrics(),
    defaultMetrics: options.defaultMetrics ?? true,
    buildInfo: { version, store: options.buildInfo?.store ?? 'unknown' },
    onScrapeError: (err) => app.log.warn({ err }, 'metrics scrape could not read queue counts'),
  });
  app.setValidatorCompiler(validatorCompiler);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  useJsonParser(app, limits.bodyBytes);
  readUnknownLengthBodies(app);
  guardConnections(app);
  installErrorHandlers(app);
  installRequestHooks(app, lifecycle, metrics);
  registerOpenApi(app, version);
  const ctx = {
    engine: options.engine,
    lifecycle,
    metrics,
    readyCheck: options.readyCheck ?? (() => Promise.resolve(null)),
  };
  registerRoutes(app, API_ROUTES, ctx, limits);
  registerDoors(app, ctx, limits);
  const streams = { ...DEFAULT_STREAM_LIMITS, ...options.streams };
  registerConsumerStream(app, ctx, streams);
  registerEventStream(app, ctx, limits, streams);
  app.addHook('onClose', async () => {
    metrics.close();
    if (options.closeEngine !== false) await options.engine.close();
  });
  return app;
}
