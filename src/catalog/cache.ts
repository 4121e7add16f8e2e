import type { Catalog, ScoredWine, SemanticQuery, Wine, WineFilters } from './types.js';
import { deepFreeze } from '../freeze.js';

export interface CatalogCacheOptions {
  /** Distinct queries kept; 0 turns the cache off. */
  maxEntries: number;
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
  readonly stats: { hits: number; misses: number; entries: number };
}

interface Entry {
  value: Promise<unknown>;
  expiresAt: number;
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
  const entries = new Map<string, Entry>();
  const stats = { hits: 0, misses: 0 };

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
    const fresh: Entry = { value, expiresAt: now() + options.ttlMs };
    entries.delete(key);
    entries.set(key, fresh);
    if (entries.size > options.maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    value.catch(() => {
      if (entries.get(key) === fresh) entries.delete(key);
    });
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
    },
    get stats() {
      return { ...stats, entries: entries.size };
    },
  };
}
