import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Database } from '../db/index.js';
import { ImportError, parseWinesCsv } from './importer.js';
import { analyzeWines, upsertWines } from './rows.js';

/** Walks up from this module to the package root, so the path works from src/ (tsx) and from dist/. */
export function xwinesAssetsDir(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(directory, 'assets', 'xwines');
    if (existsSync(path.join(candidate, 'wines.csv'))) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('assets/xwines/wines.csv not found above the catalog module');
    directory = parent;
  }
}

const ratingRow = z.object({
  WineID: z.coerce.number().int().positive(),
  AverageRating: z.coerce.number().min(1).max(5),
  RatingCount: z.coerce.number().int().positive(),
});

async function readRatings(file: string): Promise<Map<number, { rating: number; count: number }>> {
  const records: unknown[] = parse(await readFile(file, 'utf8'), { columns: true, skip_empty_lines: true });
  return new Map(
    records.map((record) => {
      const row = ratingRow.parse(record);
      return [row.WineID, { rating: row.AverageRating, count: row.RatingCount }];
    }),
  );
}

export interface SeedResult {
  seeded: boolean;
  count: number;
}

/** Loads the bundled X-Wines catalog (1,007 wines with rating aggregates) into an empty catalog. */
export async function seedCatalogIfEmpty(db: Database, assetsDir = xwinesAssetsDir()): Promise<SeedResult> {
  const existing = await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM wines) AS any');
  if (existing.rows[0]?.any) {
    // Catalogs seeded before the importer analysed the table have no planner statistics yet.
    const analysed = await db.query("SELECT 1 FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'wines' LIMIT 1");
    if (analysed.rows.length === 0) await analyzeWines(db);
    return { seeded: false, count: await countWines(db) };
  }
  const [csv, ratings] = await Promise.all([
    readFile(path.join(assetsDir, 'wines.csv'), 'utf8'),
    readRatings(path.join(assetsDir, 'ratings.csv')),
  ]);
  const parsed = parseWinesCsv(csv, 'xwines');
  if (parsed.rejected.length > 0) {
    const first = parsed.rejected[0];
    throw new ImportError(`bundled X-Wines data has ${parsed.rejected.length} bad rows (row ${first?.row}: ${first?.reason})`);
  }
  const wines = parsed.wines.map(({ wine }) => {
    const aggregate = ratings.get(wine.id);
    return aggregate ? { ...wine, rating: aggregate.rating, ratingCount: aggregate.count } : wine;
  });
  await db.transaction((tx) => upsertWines(tx, wines));
  await analyzeWines(db);
  return { seeded: true, count: await countWines(db) };
}

async function countWines(db: Database): Promise<number> {
  const result = await db.query<{ count: number }>('SELECT count(*)::integer AS count FROM wines');
  return result.rows[0]?.count ?? 0;
}
