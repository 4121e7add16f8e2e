/**
 * Turns `WineFilters` into SQL. Filter values a person or a model typed ("Франция", "Пино Нуар",
 * "стейку") are resolved through the vocabulary to the folded keys the importer stored, so matches are
 * case- and accent-insensitive and can use the key indexes.
 */
import { escapeLike, fold } from './normalize.js';
import type { WineFilters, WineSort } from './types.js';
import { entriesForWholeTerm, isPairingCategory } from './vocabulary.js';

export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 50;

/**
 * Short forms of countries read only as a whole filter value: in running text "us" is the pronoun, "rsa"
 * an acronym, and the dotted forms split into single letters.
 */
const COUNTRY_ALIASES: Record<string, string> = {
  us: 'united states', 'u.s.': 'united states', 'u.s.a.': 'united states', rsa: 'south africa',
};

export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}

const asArray = <T>(value: T | T[] | undefined): T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

export function countryKeys(term: string): string[] {
  const folded = fold(term);
  const alias = COUNTRY_ALIASES[folded];
  if (alias) return [alias];
  const countries = entriesForWholeTerm(term).flatMap((entry) => (entry.country ? [entry.country] : []));
  return countries.length > 0 ? countries : [folded];
}

export function pairingKeys(term: string): string[] | null {
  const keys = new Set(entriesForWholeTerm(term).flatMap((entry) => entry.pairings ?? []));
  if (keys.size > 0) return [...keys];
  // A category name as the dataset spells it ("Game Meat"), e.g. from request understanding: that
  // category only, not every food its words name on their own ("game", "meat").
  const folded = fold(term);
  if (isPairingCategory(folded)) return [folded];
  // Several words ("grilled steak", "рыба и сыр"): any food any word names.
  const perWord = fold(term)
    .split(/[\s,;/]+/)
    .flatMap((word) => entriesForWholeTerm(word).flatMap((entry) => entry.pairings ?? []));
  return perWord.length > 0 ? [...new Set(perWord)] : null;
}

/** Keys for filter words the vocabulary does not know, found among the keys the catalog holds. */
export interface UnknownTermKeys {
  grapes?: string[];
  pairings?: string[];
}

function keyCondition(column: string, keys: string[] | undefined, term: string, params: SqlParams): string {
  if (keys) return keys.length > 0 ? `${column} && ${params.add(keys, 'text[]')}` : 'false';
  // Nothing resolved the word: substring match over the folded keys (a scan of every wine).
  const pattern = params.add(`%${escapeLike(fold(term))}%`);
  return `EXISTS (SELECT 1 FROM unnest(${column}) AS k WHERE k LIKE ${pattern})`;
}

function regionKeys(term: string): string[] {
  return entriesForWholeTerm(term).flatMap((entry) => entry.regions ?? []);
}

export function grapeKeysFor(term: string): string[] | null {
  const grapes = entriesForWholeTerm(term).flatMap((entry) => entry.grapes ?? []);
  return grapes.length > 0 ? grapes : null;
}

/**
 * WHERE conditions (joined with AND) for everything but sort/limit/offset. `unknown` carries catalog keys
 * for grape and pairing words outside the vocabulary; without it such words fall back to a LIKE scan.
 */
export function filterConditions(
  filters: Omit<WineFilters, 'sort' | 'offset' | 'limit'>,
  params: SqlParams,
  unknown: UnknownTermKeys = {},
): string[] {
  const conditions: string[] = [];
  const types = asArray(filters.type);
  if (types && types.length > 0) conditions.push(`w.type = ANY(${params.add(types, 'text[]')})`);
  if (filters.excludeTypes && filters.excludeTypes.length > 0) {
    conditions.push(`w.type <> ALL(${params.add(filters.excludeTypes, 'text[]')})`);
  }
  if (filters.country?.trim()) {
    conditions.push(`w.country_key = ANY(${params.add(countryKeys(filters.country), 'text[]')})`);
  }
  if (filters.region?.trim()) conditions.push(regionCondition(filters.region, params));
  if (filters.grape?.trim()) {
    const keys = grapeKeysFor(filters.grape) ?? unknown.grapes;
    conditions.push(keyCondition('w.grape_keys', keys, filters.grape, params));
  }
  if (filters.pairing?.trim()) {
    const keys = pairingKeys(filters.pairing) ?? unknown.pairings;
    conditions.push(keyCondition('w.pairing_keys', keys, filters.pairing, params));
  }
  const excludedGrapes = (filters.excludeGrapes ?? []).filter((grape) => grape.trim()).flatMap((grape) => grapeKeysFor(grape) ?? [fold(grape)]);
  if (excludedGrapes.length > 0) conditions.push(`NOT (w.grape_keys && ${params.add(excludedGrapes, 'text[]')})`);
  const excludedCountries = (filters.excludeCountries ?? []).filter((country) => country.trim()).flatMap(countryKeys);
  if (excludedCountries.length > 0) {
    conditions.push(`(w.country_key IS NULL OR w.country_key <> ALL(${params.add(excludedCountries, 'text[]')}))`);
  }
  for (const region of (filters.excludeRegions ?? []).filter((name) => name.trim())) {
    conditions.push(`(w.region_key IS NULL OR NOT ${regionCondition(region, params)})`);
  }
  const bodies = asArray(filters.body);
  if (bodies && bodies.length > 0) conditions.push(`w.body = ANY(${params.add(bodies, 'text[]')})`);
  const acidities = asArray(filters.acidity);
  if (acidities && acidities.length > 0) conditions.push(`w.acidity = ANY(${params.add(acidities, 'text[]')})`);
  if (filters.minAbv !== undefined) conditions.push(`w.abv >= ${params.add(filters.minAbv, 'real')}`);
  if (filters.maxAbv !== undefined) conditions.push(`w.abv <= ${params.add(filters.maxAbv, 'real')}`);
  if (filters.minRating !== undefined) conditions.push(`w.rating >= ${params.add(filters.minRating, 'real')}`);
  if (filters.minPrice !== undefined) conditions.push(`w.price >= ${params.add(filters.minPrice, 'numeric')}`);
  if (filters.maxPrice !== undefined) conditions.push(`w.price <= ${params.add(filters.maxPrice, 'numeric')}`);
  return conditions;
}

/** A region by name or sub-region ("Bordeaux" holds Pauillac), or any region whose name contains it. */
function regionCondition(region: string, params: SqlParams): string {
  const regions = regionKeys(region);
  const pattern = params.add(`%${escapeLike(fold(region))}%`);
  return regions.length > 0
    ? `(w.region_key = ANY(${params.add(regions, 'text[]')}) OR w.region_key LIKE ${pattern})`
    : `w.region_key LIKE ${pattern}`;
}

export function whereClause(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

/**
 * How the default order weighs a shop's own wines. Every wine ranks by its rating shrunk towards a neutral
 * prior (`rank_score`, migration 4: 3.7 from 10 imagined votes), so an unrated wine sits mid-field instead
 * of below every rated one; an operator may add a boost for wines from their own imports and for wines in
 * stock (config CATALOG_BOOST_OWN, CATALOG_BOOST_IN_STOCK, on the 1–5 rating scale).
 */
export interface Ranking {
  ownBoost: number;
  inStockBoost: number;
}

export const NO_BOOST: Ranking = { ownBoost: 0, inStockBoost: 0 };

/** Rating order, served by the `wines_rank_idx` index when nothing is boosted. */
const RANK_ORDER = 'w.rank_score DESC, w.rating_count DESC, w.id';

/** The rating order with the operator's boosts: computed per query, as no index can hold configured weights. */
export function rankOrder(ranking: Ranking = NO_BOOST): string {
  const own = Number.isFinite(ranking.ownBoost) ? ranking.ownBoost : 0;
  const inStock = Number.isFinite(ranking.inStockBoost) ? ranking.inStockBoost : 0;
  if (own === 0 && inStock === 0) return RANK_ORDER;
  const boosted = [
    'w.rank_score',
    own !== 0 ? `CASE WHEN w.source <> 'xwines' THEN ${own} ELSE 0 END` : null,
    inStock !== 0 ? `CASE WHEN w.stock > 0 THEN ${inStock} ELSE 0 END` : null,
  ].filter(Boolean);
  return `(${boosted.join(' + ')}) DESC, ${RANK_ORDER}`;
}

const ORDER_BY: Record<Exclude<WineSort, 'rating'>, string> = {
  popularity: 'w.rating_count DESC, w.rating DESC NULLS LAST, w.id',
  abv_asc: 'w.abv ASC NULLS LAST, w.rating DESC NULLS LAST, w.id',
  abv_desc: 'w.abv DESC NULLS LAST, w.rating DESC NULLS LAST, w.id',
  price_asc: 'w.price ASC NULLS LAST, w.rating DESC NULLS LAST, w.id',
  price_desc: 'w.price DESC NULLS LAST, w.rating DESC NULLS LAST, w.id',
  name: 'w.name, w.id',
};

export function orderBy(sort: WineSort | undefined, ranking: Ranking = NO_BOOST): string {
  // Unknown values (an untyped API caller) fall back to the default rather than reach the SQL.
  if (sort === undefined || sort === 'rating' || !Object.hasOwn(ORDER_BY, sort)) return rankOrder(ranking);
  return ORDER_BY[sort];
}

export function clampLimit(limit: number | undefined, fallback = DEFAULT_LIMIT): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}
