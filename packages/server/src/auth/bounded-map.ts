/**
 * The bound of the auth module's insertion-ordered maps (token cache, failure limiter, lease
 * queues): past `max` entries the oldest inserted is dropped, so no client can grow them.
 */
export function dropOldestPast<K, V>(map: Map<K, V>, max: number): void {
  if (map.size <= max) return;
  const oldest = map.keys().next();
  if (oldest.done !== true) map.delete(oldest.value);
}
