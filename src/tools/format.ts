import type { ScoredWine, Wine } from '../catalog/index.js';

/** What the model sees of a wine: the facts it may cite, nulls left out, price only when the shop has one. */
export function compactWine(wine: Wine, score?: number): Record<string, unknown> {
  const compact: Record<string, unknown> = { id: wine.id, name: wine.name, type: wine.type };
  if (wine.grapes.length > 0) compact.grapes = wine.grapes;
  if (wine.pairings.length > 0) compact.pairings = wine.pairings;
  if (wine.body) compact.body = wine.body;
  if (wine.acidity) compact.acidity = wine.acidity;
  if (wine.abv !== null) compact.abv = wine.abv;
  if (wine.country) compact.country = wine.country;
  if (wine.region) compact.region = wine.region;
  if (wine.winery) compact.winery = wine.winery;
  if (wine.rating !== null) compact.rating = Math.round(wine.rating * 100) / 100;
  if (wine.price !== null) {
    compact.price = wine.price;
    if (wine.currency) compact.currency = wine.currency;
  }
  if (score !== undefined) compact.match = Math.round(score * 1000) / 1000;
  return compact;
}

const SUMMARY_NAMES = 20;

/** Bounded description of a result for the trace: never the whole payload. */
export function summarize(wines: Wine[]): { count: number; ids: number[]; names: string[] } {
  return {
    count: wines.length,
    ids: wines.slice(0, SUMMARY_NAMES).map((wine) => wine.id),
    names: wines.slice(0, SUMMARY_NAMES).map((wine) => (wine.name.length > 80 ? `${wine.name.slice(0, 77)}...` : wine.name)),
  };
}

/**
 * Tool results as the model reads them. A frozen result is a cached catalog answer that many requests
 * share, so its text is made once per result (and forgotten with it: a WeakMap, so module scope cannot
 * hold a result longer than the catalog cache that owns it does).
 */
const contentOfResult = new WeakMap<readonly unknown[], string>();

function contentOf(result: readonly unknown[], make: () => string): string {
  if (!Object.isFrozen(result)) return make();
  let content = contentOfResult.get(result);
  if (content === undefined) {
    content = make();
    contentOfResult.set(result, content);
  }
  return content;
}

export function winesContent(wines: readonly Wine[], hint: string): string {
  return contentOf(wines, () =>
    JSON.stringify(wines.length > 0 ? { count: wines.length, wines: wines.map((wine) => compactWine(wine)) } : { count: 0, wines: [], hint }),
  );
}

export function scoredContent(results: readonly ScoredWine[], hint: string): string {
  return contentOf(results, () =>
    JSON.stringify(
      results.length > 0
        ? { count: results.length, wines: results.map((result) => compactWine(result.wine, result.score)) }
        : { count: 0, wines: [], hint },
    ),
  );
}
