/**
 * The shared conformance suites against the Redis store: the Store port case by case, and the
 * engine's behaviour over it. Each store gets a fresh prefix (its own deployment) in caller time
 * mode, so the suites' manual clock drives every time; the keys are deleted after the file.
 */
import { runEngineConformance, runStoreConformance } from '@docket/store-testkit';
import { describeRedis, openStore, testPrefixes } from './support/redis-service.ts';

const nextPrefix = testPrefixes();
const createStore = () => openStore(nextPrefix());

describeRedis('redis', () => {
  runStoreConformance({ name: 'redis', createStore });
  runEngineConformance({ name: 'redis', createStore });
});
