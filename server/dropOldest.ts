// The eviction of the bounded caches and counters: a Map keeps insertion order, so its first
// key is the oldest (or least recently refreshed, where a use re-inserts the entry).

export function dropOldest<K, V>(map: Map<K, V>): void {
  const oldest = map.keys().next();
  if (!oldest.done) map.delete(oldest.value);
}
