import type { Catalog, ScoredWine, SemanticQuery, Wine, WineFilters } from './types.js';
import { approximateBytes, deepFreeze } from '../shared/index.js';

export interface CatalogCacheOptions {
  /** Distinct queries kept; 0 turns the cache off. */
  maxEntries: number;
  /**
   * Estimated heap bytes of the answers kept (src/shared/memory-size.ts): one answer may be one wine or fifty, so
   * entries alone do not bound memory. The least recently used go first; an answer larger than this on its
   * own is served but not kept. Default: no bound beyond maxEntries.
   */
  maxBytes?: number;
  /**
   * How long an answer may be served from memory. Imports through `invalidate()` are visible at once;
   * this bounds how long a change made by another process (an import into a shared Postgres) can go
   * unseen.
   */
  ttlMs: number;
  now?: () => number;
}

export interface CachedCatalog extends Catalog {
  /** Forgets every cached answer (after an import or any other write to the catalog). */
  invalidate(): void;
  readonly stats: { hits: number; misses: number; entries: number; bytes: number };
}

interface Entry {
  value: Promise<unknown>;
  expiresAt: number;
  /** Estimated size of key and answer, counted once the answer has arrived. */
  bytes: number;
}

/**
 * JSON with object keys sorted, so filters that differ only in key order (or in keys set to undefined)
 * share one entry.
 */
function canonicalKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalKey).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, field]) => `${JSON.stringify(name)}:${canonicalKey(field)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/**
 * A read-through cache in front of the catalog. A sommelier's searches repeat ("red for steak"), the
 * catalog changes only on import, and on the embedded database every query runs on the one thread that
 * also serves requests — so repeated searches are answered from memory (LRU, bounded by entries and age).
 * Concurrent identical searches share one query; failures are never cached.
 */
export function cacheCatalog(catalog: Catalog, options: CatalogCacheOptions): CachedCatalog {
  const now = options.now ?? Date.now;
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const entries = new Map<string, Entry>();
  const stats = { hits: 0, misses: 0 };
  let bytes = 0;

  const forget = (key: string): void => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.bytes;
  };

  /** Drops the least recently used until both bounds hold (Map order: the first key is the oldest). */
  const evict = (): void => {
    while (entries.size > options.maxEntries || bytes > maxBytes) {
      const oldest = entries.keys().next();
      if (oldest.done) return;
      forget(oldest.value);
    }
  };

  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (options.maxEntries <= 0) return load();
    const entry = entries.get(key);
    if (entry && entry.expiresAt > now()) {
      // Re-insert: Map keeps insertion order, so the first key is always the least recently used.
      entries.delete(key);
      entries.set(key, entry);
      stats.hits += 1;
      return entry.value as Promise<T>;
    }
    stats.misses += 1;
    const value = load().then(deepFreeze);
    const fresh: Entry = { value, expiresAt: now() + options.ttlMs, bytes: 0 };
    forget(key);
    entries.set(key, fresh);
    evict();
    value.then(
      (answer) => {
        if (entries.get(key) !== fresh) return;
        fresh.bytes = 2 * key.length + approximateBytes(answer);
        bytes += fresh.bytes;
        if (fresh.bytes > maxBytes) forget(key);
        else evict();
      },
      () => {
        if (entries.get(key) === fresh) forget(key);
      },
    );
    return value;
  }

  return {
    searchWines: (filters: WineFilters): Promise<Wine[]> =>
      cached(`search:${canonicalKey(filters)}`, () => catalog.searchWines(filters)),
    semanticSearch: (query: SemanticQuery): Promise<ScoredWine[]> =>
      cached(`semantic:${canonicalKey(query)}`, () => catalog.semanticSearch(query)),
    getWine: (id: number): Promise<Wine | null> => cached(`wine:${canonicalKey(id)}`, () => catalog.getWine(id)),
    getWines: (ids: number[]): Promise<Wine[]> => catalog.getWines(ids),
    count: () => catalog.count(),
    invalidate() {
      // A search still running keeps its promise for its own callers but is no longer handed out.
      entries.clear();
      catalog.invalidate?.();
      bytes = 0;
    },
    get stats() {
      return { ...stats, entries: entries.size, bytes };
    },
  };
}
