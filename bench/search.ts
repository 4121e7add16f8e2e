/**
 * searchWines latency on embedded PGlite: the bundled 1k catalog and a 100k synthetic catalog made by
 * varying the real wines (name, alcohol, rating, popularity) in SQL, so the generated data keeps the real
 * distribution of types, countries, grapes and pairings.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalog, seedCatalogIfEmpty } from '../src/catalog/index.js';
import type { Database } from '../src/db/index.js';
import type { WineFilters } from '../src/catalog/types.js';
import { migrate, openPGlite } from '../src/db/index.js';
import { summarize } from './stats.js';

/** A mix of what the model and the API send: single filters, combinations, Russian words, sorts. */
const QUERIES: WineFilters[] = [
  {},
  { type: 'red', pairing: 'steak' },
  { country: 'Франция', grape: 'Пино Нуар' },
  { region: 'Бордо', limit: 10 },
  { body: ['very_light', 'light'], acidity: 'high' },
  { pairing: 'рыба', type: 'white', minRating: 4 },
  { excludeTypes: ['dessert', 'port'], country: 'Italy', sort: 'popularity' },
  { grape: 'Malbec', maxAbv: 14, sort: 'abv_desc' },
  { type: 'sparkling', pairing: 'oysters', limit: 20 },
  { minRating: 4.5, sort: 'name', limit: 50 },
];

const COPIES = 99;

/** Adds 99 varied copies of every wine (ids offset by n × 1,000,000): 1,007 → 100,700 wines. */
export async function growCatalog(db: Database): Promise<void> {
  await db.exec(`
    INSERT INTO wines (id, name, type, elaborate, grapes, pairings, body, acidity, abv, country, region, winery,
                       website, vintages, rating, rating_count, price, currency, stock, country_key, region_key,
                       grape_keys, pairing_keys, search_text, source)
    SELECT w.id + g * 1000000, w.name || ' Cuvée ' || g, w.type, w.elaborate, w.grapes, w.pairings, w.body, w.acidity,
           least(100, greatest(0, w.abv + ((w.id + g) % 5 - 2) * 0.5)), w.country, w.region, w.winery, w.website,
           w.vintages, least(5, greatest(1, w.rating + ((w.id * 31 + g * 17) % 21 - 10) / 40.0)),
           (w.rating_count * ((g % 7) + 1)) / 4, NULL, NULL, NULL, w.country_key, w.region_key, w.grape_keys,
           w.pairing_keys, w.search_text || ' cuvee', 'synthetic'
      FROM wines w CROSS JOIN generate_series(1, ${COPIES}) AS g
     WHERE w.source = 'xwines';
    ANALYZE wines;
  `);
}

export async function measureSearch(db: Database, rounds: number): Promise<{ p50: number; p95: number; p99: number }> {
  const catalog = createCatalog(db);
  for (const filters of QUERIES) await catalog.searchWines(filters);
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const filters of QUERIES) {
      const started = performance.now();
      await catalog.searchWines(filters);
      samples.push(performance.now() - started);
    }
  }
  const { p50, p95, p99 } = summarize(samples);
  return { p50, p95, p99 };
}

export async function benchSearch(
  options: { rounds?: number } = {},
): Promise<{ catalog: string; p50: number; p95: number; p99: number }[]> {
  const rounds = options.rounds ?? 100;
  // A data directory on disk, opened as the service opens it: shared_buffers sized to the database then
  // (src/db/pglite.ts), so the grown catalog is measured after a reopen, as a restart would size it.
  const dir = await mkdtemp(join(tmpdir(), 'sommelier-bench-search-'));
  let db = await openPGlite(dir);
  try {
    await migrate(db);
    await seedCatalogIfEmpty(db);
    const small = await measureSearch(db, rounds);
    await growCatalog(db);
    await db.close();
    db = await openPGlite(dir);
    const count = await createCatalog(db).count();
    const large = await measureSearch(db, rounds);
    return [
      { catalog: '1k wines (X-Wines)', ...small },
      { catalog: `${Math.round(count / 1000)}k wines (synthetic)`, ...large },
    ];
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
