import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { cacheCatalog, createCatalog, importWinesCsv } from '../../src/catalog/index.js';
import { approximateBytes } from '../../src/shared/index.js';
import { databaseBackends, openForSuite } from '../support/database.js';

const pglite = databaseBackends().find((backend) => backend.name === 'pglite')!;

describe('catalog cache (over the real catalog on PGlite)', () => {
  let db: Database;
  let queries = 0;

  openForSuite(pglite, (opened) => {
    db = opened;
    const query = db.query.bind(db);
    // Counts the statements that reach the database, so a hit is a search that never got there.
    db.query = ((sql: string, params?: unknown[]) => {
      queries += 1;
      return query(sql, params);
    }) as Database['query'];
  });

  const counted = async <T>(work: () => Promise<T>): Promise<{ value: T; queries: number }> => {
    const before = queries;
    const value = await work();
    return { value, queries: queries - before };
  };

  it('answers a repeated search from memory with the same wines as the database', async () => {
    const catalog = cacheCatalog(createCatalog(db), { maxEntries: 100, ttlMs: 60_000 });
    const uncached = createCatalog(db);
    const filters = { type: 'red' as const, pairing: 'стейк', limit: 5 };
    const first = await counted(() => catalog.searchWines(filters));
    expect(first.queries).toBeGreaterThan(0);
    const again = await counted(() => catalog.searchWines({ limit: 5, pairing: 'стейк', type: 'red', sort: undefined }));
    expect(again.queries).toBe(0);
    expect(again.value).toEqual(await uncached.searchWines(filters));
    expect(again.value.map((wine) => wine.type)).toEqual(['red', 'red', 'red', 'red', 'red']);

    const semantic = { query: 'light and fruity for a picnic', limit: 3 };
    expect((await counted(() => catalog.semanticSearch(semantic))).queries).toBeGreaterThan(0);
    const semanticAgain = await counted(() => catalog.semanticSearch(semantic));
    expect(semanticAgain.queries).toBe(0);
    expect(semanticAgain.value).toEqual(await uncached.semanticSearch(semantic));

    expect(catalog.stats).toMatchObject({ hits: 2, misses: 2, entries: 2 });
  });

  it('shares one query between concurrent identical searches', async () => {
    const catalog = cacheCatalog(createCatalog(db), { maxEntries: 100, ttlMs: 60_000 });
    const { value, queries: used } = await counted(() =>
      Promise.all([1, 2, 3, 4].map(() => catalog.searchWines({ country: 'Франция', limit: 3 }))),
    );
    const single = await counted(() => createCatalog(db).searchWines({ country: 'Франция', limit: 3 }));
    expect(used).toBe(single.queries);
    expect(value[3]).toEqual(single.value);
  });

  it('hands out frozen answers: a caller cannot change what the next caller gets', async () => {
    const catalog = cacheCatalog(createCatalog(db), { maxEntries: 100, ttlMs: 60_000 });
    const wines = await catalog.searchWines({ type: 'white', limit: 2 });
    expect(() => wines.push(wines[0]!)).toThrow(TypeError);
    expect(() => {
      wines[0]!.name = 'changed';
    }).toThrow(TypeError);
    expect(() => wines[0]!.grapes.push('changed')).toThrow(TypeError);
    expect((await catalog.searchWines({ type: 'white', limit: 2 }))[0]!.name).not.toBe('changed');
  });

  it('expires answers after the TTL and evicts the least recently used beyond maxEntries', async () => {
    let now = 0;
    const catalog = cacheCatalog(createCatalog(db), { maxEntries: 2, ttlMs: 1_000, now: () => now });
    const a = { type: 'rose' as const, limit: 1 };
    const b = { type: 'port' as const, limit: 1 };
    const c = { type: 'dessert' as const, limit: 1 };
    await catalog.searchWines(a);
    now = 999;
    expect((await counted(() => catalog.searchWines(a))).queries).toBe(0);
    now = 1_000;
    expect((await counted(() => catalog.searchWines(a))).queries).toBeGreaterThan(0);

    await catalog.searchWines(b);
    await catalog.searchWines(a); // a is now the most recently used
    await catalog.searchWines(c); // evicts b
    expect(catalog.stats.entries).toBe(2);
    expect((await counted(() => catalog.searchWines(a))).queries).toBe(0);
    expect((await counted(() => catalog.searchWines(c))).queries).toBe(0);
    expect((await counted(() => catalog.searchWines(b))).queries).toBeGreaterThan(0);
  });

  it('bounds the answers it keeps by their size: the least recently used go first, an oversized one is not kept', async () => {
    const plain = createCatalog(db);
    const shapes = [{ type: 'red' as const, limit: 5 }, { type: 'white' as const, limit: 5 }, { type: 'sparkling' as const, limit: 5 }];
    const sizes = await Promise.all(shapes.map(async (filters) => approximateBytes(await plain.searchWines(filters))));
    // Room for two of the three answers (keys included), not for three.
    const maxBytes = sizes[1]! + sizes[2]! + 200;
    expect(sizes[0]! + sizes[1]! + sizes[2]!).toBeGreaterThan(maxBytes);
    const catalog = cacheCatalog(plain, { maxEntries: 100, ttlMs: 60_000, maxBytes });
    for (const filters of shapes) await catalog.searchWines(filters);
    expect(catalog.stats.entries).toBe(2);
    expect(catalog.stats.bytes).toBeLessThanOrEqual(maxBytes);
    expect(catalog.stats.bytes).toBeGreaterThan(sizes[1]! + sizes[2]!);
    expect((await counted(() => catalog.searchWines(shapes[2]!))).queries).toBe(0);
    expect((await counted(() => catalog.searchWines(shapes[1]!))).queries).toBe(0);
    expect((await counted(() => catalog.searchWines(shapes[0]!))).queries).toBeGreaterThan(0);

    // Fifty wines are more than the whole budget: answered, and answered right, but not kept.
    const large = { limit: 50 };
    const answer = await catalog.searchWines(large);
    expect(answer).toEqual(await plain.searchWines(large));
    expect((await counted(() => catalog.searchWines(large))).queries).toBeGreaterThan(0);
    expect(catalog.stats.bytes).toBeLessThanOrEqual(maxBytes);

    catalog.invalidate();
    expect(catalog.stats).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('shows an import at once after invalidate()', async () => {
    const catalog = cacheCatalog(createCatalog(db), { maxEntries: 100, ttlMs: 60_000 });
    const filters = { country: 'Atlantis' };
    expect(await catalog.searchWines(filters)).toEqual([]);
    const report = await importWinesCsv(db, 'name,type,country\nCache Test Red,red,Atlantis\n', { source: 'test' });
    expect(report.inserted).toBe(1);
    // Still the old answer until told: this is what the TTL bounds for writers in other processes.
    expect(await catalog.searchWines(filters)).toEqual([]);
    catalog.invalidate();
    expect((await catalog.searchWines(filters)).map((wine) => wine.name)).toEqual(['Cache Test Red']);
  });

  it('never caches a failure', async () => {
    let fail = true;
    const inner = createCatalog(db);
    const catalog = cacheCatalog(
      {
        ...inner,
        searchWines: (filters) => (fail ? Promise.reject(new Error('database gone')) : inner.searchWines(filters)),
      },
      { maxEntries: 100, ttlMs: 60_000 },
    );
    await expect(catalog.searchWines({ type: 'red', limit: 1 })).rejects.toThrow('database gone');
    fail = false;
    expect(await catalog.searchWines({ type: 'red', limit: 1 })).toHaveLength(1);
  });

  it('is off with maxEntries 0: every search reaches the database', async () => {
    const catalog = cacheCatalog(createCatalog(db), { maxEntries: 0, ttlMs: 60_000 });
    await catalog.searchWines({ type: 'red', limit: 1 });
    expect((await counted(() => catalog.searchWines({ type: 'red', limit: 1 }))).queries).toBeGreaterThan(0);
    expect(catalog.stats.entries).toBe(0);
  });
});
