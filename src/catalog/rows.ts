import type { Database, Queryable } from '../db/index.js';
import { buildSearchText } from './descriptors.js';
import { fold, grapeKeys } from './normalize.js';
import type { Wine } from './types.js';

/** Columns for a `Wine`, cast so that PGlite and node-postgres return the same JS types. */
export const WINE_COLUMNS = `w.id, w.name, w.type, w.elaborate, w.grapes, w.pairings, w.body, w.acidity,
  w.abv::float8 AS abv, w.country, w.region, w.winery, w.website, w.vintages, w.rating::float8 AS rating,
  w.rating_count, w.price::float8 AS price, w.currency, w.stock`;

/** A `Wine` as the columns above return it: snake_case count, vintages as the stored text. */
export type WineRow = Omit<Wine, 'ratingCount' | 'vintages'> & { rating_count: number; vintages: string[] };

export function wineFromRow(row: WineRow): Wine {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    elaborate: row.elaborate,
    grapes: row.grapes,
    pairings: row.pairings,
    body: row.body,
    acidity: row.acidity,
    // float4 → float8 widens 13.5 exactly but 12.8 to 12.800000190734863: round back to the stored precision.
    abv: row.abv === null ? null : Math.round(row.abv * 100) / 100,
    country: row.country,
    region: row.region,
    winery: row.winery,
    website: row.website,
    vintages: row.vintages.map((vintage) => (/^\d{4}$/.test(vintage) ? Number(vintage) : 'N.V.')),
    rating: row.rating === null ? null : Math.round(row.rating * 1000) / 1000,
    ratingCount: row.rating_count,
    price: row.price,
    currency: row.currency,
    stock: row.stock,
  };
}

/**
 * Refreshes the planner's statistics for the catalog after a bulk write. PGlite runs no autovacuum, so
 * without this the planner guesses a dozen rows per type and sorts hundreds of wide rows where walking
 * the rating index would stop after ten.
 */
export async function analyzeWines(db: Pick<Database, 'exec'>): Promise<void> {
  await db.exec('ANALYZE wines');
}

/** A wine to write; a null `rating` keeps whatever rating the catalog already has. */
export type WineInput = Wine & { source: string };

const INSERT_COLUMNS = [
  'id', 'name', 'type', 'elaborate', 'grapes', 'pairings', 'body', 'acidity', 'abv', 'country', 'region', 'winery',
  'website', 'vintages', 'rating', 'rating_count', 'price', 'currency', 'stock', 'country_key', 'region_key',
  'grape_keys', 'pairing_keys', 'search_text', 'source',
] as const;

const CASTS: Partial<Record<(typeof INSERT_COLUMNS)[number], string>> = {
  grapes: 'text[]', pairings: 'text[]', vintages: 'text[]', grape_keys: 'text[]', pairing_keys: 'text[]',
  abv: 'real', rating: 'real', price: 'numeric', id: 'integer', rating_count: 'integer', stock: 'integer',
};

function rowValues(wine: WineInput): unknown[] {
  return [
    wine.id, wine.name, wine.type, wine.elaborate, wine.grapes, wine.pairings, wine.body, wine.acidity, wine.abv,
    wine.country, wine.region, wine.winery, wine.website, wine.vintages.map(String), wine.rating, wine.ratingCount,
    wine.price, wine.currency, wine.stock,
    wine.country ? fold(wine.country) : null,
    wine.region ? fold(wine.region) : null,
    grapeKeys(wine.grapes),
    wine.pairings.map(fold),
    buildSearchText(wine),
    wine.source,
  ];
}

/** Parameters per statement stay far below Postgres' 65,535 limit. */
const BATCH_SIZE = 400;

/**
 * Inserts or updates wines by id in multi-row statements (one INSERT per row is slow on PGlite).
 * Returns how many rows were new. Ratings are kept when the incoming row has none.
 */
export async function upsertWines(db: Queryable, wines: WineInput[], onBatch?: (done: number) => void): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < wines.length; start += BATCH_SIZE) {
    const batch = wines.slice(start, start + BATCH_SIZE);
    const params: unknown[] = [];
    const tuples = batch.map((wine) => {
      const placeholders = rowValues(wine).map((value, index) => {
        params.push(value);
        const cast = CASTS[INSERT_COLUMNS[index] ?? 'id'];
        return cast ? `$${params.length}::${cast}` : `$${params.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    const updates = INSERT_COLUMNS.filter((column) => column !== 'id' && column !== 'rating' && column !== 'rating_count')
      .map((column) => `${column} = EXCLUDED.${column}`)
      .join(', ');
    const result = await db.query<{ inserted: boolean }>(
      `INSERT INTO wines AS w (${INSERT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
       ON CONFLICT (id) DO UPDATE SET ${updates},
         rating = COALESCE(EXCLUDED.rating, w.rating),
         rating_count = CASE WHEN EXCLUDED.rating IS NULL THEN w.rating_count ELSE EXCLUDED.rating_count END,
         updated_at = now()
       RETURNING (xmax = 0) AS inserted`,
      params,
    );
    inserted += result.rows.filter((row) => row.inserted).length;
    onBatch?.(Math.min(start + batch.length, wines.length));
  }
  return inserted;
}
