/** Shared state of the engine's operations: operations/*.ts take it as their first argument. */
import type { Clock } from './clock.ts';
import type { EventHub } from './event-hub.ts';
import type { EngineEvents } from './events.ts';
import type { IdFactory } from './ids.ts';
import type { LeaseWaiters } from './lease-waiters.ts';
import type { LimitWakes } from './limit-wakes.ts';
import type { QueueConfigs } from './queue-configs.ts';
import type { ServiceContext } from './services/context.ts';
import type { EngineServices } from './services/engine-services.ts';
import type { Store } from './store.ts';

export interface EngineCore {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: EventHub<EngineEvents>;
  readonly waiters: LeaseWaiters;
  readonly configs: QueueConfigs;
  readonly limitWakes: LimitWakes;
  readonly ids: IdFactory;
  readonly ctx: ServiceContext;
  readonly services: EngineServices;
}
