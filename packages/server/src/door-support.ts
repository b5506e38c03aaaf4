/**
 * `@docket/server/door-support`: what the front door packages (`@docket/door-*`) take from the
 * server, for their own use only. An HTTP door registers its routes on the app through a
 * `FrontDoor` (the composition root passes them to `buildApp({ frontDoors })`) and reaches the
 * app's engine, lifecycle, body limits and stream metrics through its `DoorContext`; the rest
 * are the HTTP pieces the native API and the doors share, so a door answers as the server does.
 */
export { HIDDEN, type DoorContext, type FrontDoor } from './doors/door-context.ts';
export { doorAnswer, type DoorErrorRules, type DoorFailure } from './doors/door-errors.ts';
export { allQueues, allWorkers, statsOf } from './doors/engine-reads.ts';
export { bytesParser, textParser } from './body-parsers.ts';
export { fromFastifyError } from './fastify-errors.ts';
export { errorReply } from './http-errors.ts';
export { jsonDeeperThan } from './json-depth.ts';
export { requestSignal } from './streaming/long-poll.ts';
export { streamMetrics, type StreamMetrics } from './streaming/stream-metrics.ts';
export { CloseNotice } from './close-notice.ts';
export { clientErrorHandler, guardConnections, type ClientRefusal, type RefusalBody } from './connection-guards.ts';
export type { MetricsRegistry } from './metrics/metrics.ts';
