/**
 * The shared conformance suites against the Redis store: the Store port case by case, and the
 * engine's behaviour over it. Each store gets a fresh prefix (its own deployment) in caller time
 * mode, so the suites' manual clock drives every time; the keys are deleted after the file. A
 * peer store over the same prefix stands for a second server in the races between servers.
 */
import type { Store } from '@docket/core';
import { runEngineConformance, runStoreConformance } from '@docket/store-testkit';
import { describeRedis, openStore, testPrefixes } from './support/redis-service.ts';

const nextPrefix = testPrefixes();
const prefixes = new WeakMap<Store, string>();
const createStore = async (): Promise<Store> => {
  const prefix = nextPrefix();
  const store = await openStore(prefix);
  prefixes.set(store, prefix);
  return store;
};
const openPeer = (store: Store): Promise<Store> => {
  const prefix = prefixes.get(store);
  if (prefix === undefined) throw new Error('a peer needs a store made by createStore');
  return openStore(prefix);
};

describeRedis('redis', () => {
  runStoreConformance({ name: 'redis', createStore, openPeer });
  runEngineConformance({ name: 'redis', createStore });
});
