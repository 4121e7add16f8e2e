import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { createCatalog } from '../../src/catalog/index.js';
import { WINE_SORTS } from '../../src/catalog/types.js';
import { databaseBackends, openForSuite } from '../support/database.js';

/**
 * A large catalog stays fast only if every sort order has an index that matches its ORDER BY exactly
 * (column, direction and NULLS placement); otherwise a broad filter sorts every match. With sorting
 * disabled the planner uses such an index whenever one exists, so a Sort node in the plan means the
 * index is missing or does not match.
 */
describe.each(databaseBackends())('sort orders on $name', (backend) => {
  let db: Database;

  openForSuite(backend, (opened) => {
    db = opened;
  });

  it.each([
    ...WINE_SORTS.map((sort) => [sort, 'no boosts'] as const),
    // The boosts change the order only when there are imported or in-stock wines; the bundled catalog has none.
    ['rating', 'boosts configured'] as const,
  ])('%s (%s) is served by an index, without sorting the matches', async (sort, boosts) => {
    let statement: { sql: string; params: unknown[] } | null = null;
    const recording: Database = Object.create(db) as Database;
    recording.query = ((sql: string, params?: unknown[]) => {
      statement = { sql, params: params ?? [] };
      return db.query(sql, params);
    }) as Database['query'];
    const ranking = boosts === 'no boosts' ? undefined : { ownBoost: 0.5, inStockBoost: 0.25 };
    const wines = await createCatalog(recording, { ranking }).searchWines({ excludeTypes: ['dessert'], sort, limit: 5 });
    expect(wines).toHaveLength(5);
    const { sql, params } = statement!;
    const plan = await db.transaction(async (tx) => {
      await tx.exec('SET LOCAL enable_sort = off');
      const result = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
      return result.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index Scan/);
    expect(plan).not.toMatch(/Sort/);
  });
});
