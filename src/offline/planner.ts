import type { WineType } from '../catalog/index.js';
import type { SearchWinesArgs, SemanticSearchArgs } from '../tools/index.js';
import { hasAnyConstraint, type RequestConstraints } from '../understanding/index.js';

/** More candidates than we list, so the reply can pick the ones that meet every constraint. */
export const SEARCH_LIMIT = 10;
export const SEMANTIC_LIMIT = 8;

const oneOrMany = <T>(items: readonly T[]): T | T[] => (items.length === 1 ? (items[0] as T) : [...items]);

function typeArgs(c: RequestConstraints): { type?: WineType | WineType[]; exclude_types?: WineType[] } {
  const out: { type?: WineType | WineType[]; exclude_types?: WineType[] } = {};
  if (c.types?.length) out.type = oneOrMany(c.types);
  const exclude = (c.excludeTypes ?? []).filter((t) => !c.types?.includes(t));
  if (exclude.length > 0) out.exclude_types = exclude;
  return out;
}

/** The strict `search_wines` call: every structured constraint the person stated. */
export function strictSearchArgs(c: RequestConstraints): SearchWinesArgs {
  const args: SearchWinesArgs = { ...typeArgs(c) };
  if (c.excludeGrapes?.length) args.exclude_grapes = [...c.excludeGrapes];
  if (c.excludeCountries?.length) args.exclude_countries = [...c.excludeCountries];
  if (c.excludeRegions?.length) args.exclude_regions = [...c.excludeRegions];
  if (c.country) args.country = c.country;
  if (c.region) args.region = c.region;
  if (c.grape) args.grape = c.grape;
  if (c.pairing) args.pairing = c.pairing;
  if (c.body?.length) args.body = oneOrMany(c.body);
  if (c.acidity?.length) args.acidity = oneOrMany(c.acidity);
  if (c.minAbv !== undefined) args.min_abv = c.minAbv;
  if (c.maxAbv !== undefined) args.max_abv = c.maxAbv;
  if (c.minRating !== undefined) args.min_rating = c.minRating;
  if (c.minPrice !== undefined) args.min_price = c.minPrice;
  if (c.maxPrice !== undefined) args.max_price = c.maxPrice;
  args.sort = c.sort ?? 'rating';
  args.limit = SEARCH_LIMIT;
  return args;
}

/**
 * "Cheaper" when the catalog may have no prices: the price order puts priced wines first, and a second search
 * by popularity brings the widely drunk bottles that stand in for affordable ones when nothing has a price.
 */
export function budgetSearchArgs(c: RequestConstraints): SearchWinesArgs | null {
  if (c.sort !== 'price_asc' && c.maxPrice === undefined) return null;
  const args = withoutSoftArgs(strictSearchArgs(c));
  return { ...args, sort: 'popularity' };
}

/** A second look without sweet wines when too few dry ones came back and nobody asked for sweetness. */
export function drySearchArgs(c: RequestConstraints): SearchWinesArgs {
  const args = strictSearchArgs(c);
  const excluded = new Set([...(args.exclude_types ?? []), 'dessert' as const, 'port' as const]);
  return { ...args, exclude_types: [...excluded].filter((type) => !c.types?.includes(type)) };
}

/** Semantic search is worth running for an occasion or mood, or when nothing structured was said. */
export function semanticSearchArgs(c: RequestConstraints, originalMessage: string): SemanticSearchArgs | null {
  const query = c.freeText.trim() || (hasAnyConstraint(c) ? '' : originalMessage.trim().replace(/\s+/g, ' '));
  if (!query) return null;
  return { query: query.slice(0, 500), ...typeArgs(c), limit: SEMANTIC_LIMIT };
}

const SOFT_KEYS = ['region', 'acidity', 'min_abv', 'max_abv', 'min_rating', 'min_price', 'max_price'] as const;

export function hasSoftArgs(args: SearchWinesArgs): boolean {
  return SOFT_KEYS.some((key) => args[key] !== undefined);
}

/** Drops the softer constraints (region, acidity, strength, rating, price), keeping type, food, grape, body, country. */
export function withoutSoftArgs(args: SearchWinesArgs): SearchWinesArgs {
  const relaxed: SearchWinesArgs = { ...args };
  for (const key of SOFT_KEYS) delete relaxed[key];
  return relaxed;
}

/** Core constraints in the order we give them up: body first, type and food last. */
const CORE_LADDER = ['body', 'grape', 'country', 'pairing'] as const;

/**
 * When nothing meets the core constraints: one search per dropped constraint (leave-one-out), run in
 * parallel, so the nearest alternatives differ from the request in a single, nameable way.
 */
export function nearMissSearches(args: SearchWinesArgs, max = 3): SearchWinesArgs[] {
  const base = withoutSoftArgs(args);
  const present = CORE_LADDER.filter((key) => base[key] !== undefined);
  // With a single core constraint besides the type, dropping it would return "any wine of that type".
  const searches = present.slice(0, max).map((key) => {
    const relaxed: SearchWinesArgs = { ...base };
    delete relaxed[key];
    return relaxed;
  });
  return searches.filter((s) => CORE_LADDER.some((key) => s[key] !== undefined) || s.type !== undefined);
}
