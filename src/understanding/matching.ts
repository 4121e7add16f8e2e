import type { Acidity, Body, WineType } from '../catalog/types.js';
import { PAIRINGS } from './lexicon/food.js';
import { GRAPES } from './lexicon/grapes.js';
import { REGIONS } from './lexicon/places.js';
import { normalize } from './text.js';

/** The facts about a wine that constraints are checked against (a catalog `Wine` fits). */
export interface WineFacts {
  type: WineType | null;
  grapes: readonly string[];
  pairings: readonly string[];
  body: Body | null;
  acidity: Acidity | null;
  abv: number | null;
  country: string | null;
  region: string | null;
  rating: number | null;
  price?: number | null;
}

/** The constraints that can be checked against a wine (a `RequestConstraints` fits). */
export interface CheckableConstraints {
  types?: readonly WineType[] | undefined;
  excludeTypes?: readonly WineType[] | undefined;
  country?: string | undefined;
  region?: string | undefined;
  grape?: string | undefined;
  pairing?: string | undefined;
  body?: readonly Body[] | undefined;
  acidity?: readonly Acidity[] | undefined;
  minAbv?: number | undefined;
  maxAbv?: number | undefined;
  minRating?: number | undefined;
  minPrice?: number | undefined;
  maxPrice?: number | undefined;
}

export type ConstraintKey = 'type' | 'country' | 'region' | 'grape' | 'pairing' | 'body' | 'acidity' | 'abv' | 'rating' | 'price';

/**
 * What a person would check on the label: the wrong colour, country, grape, food or weight is a wrong
 * answer. Region, acidity, strength, rating and price are softer and may be relaxed (and said so).
 */
export const CORE_CONSTRAINTS: readonly ConstraintKey[] = ['type', 'country', 'grape', 'pairing', 'body'];

const same = (a: string, b: string) => normalize(a).trim() === normalize(b).trim();

/** Whether a wine paired with `winePairings` suits the requested pairing ("Chicken" counts as Poultry). */
export function pairingSatisfied(pairing: string, winePairings: readonly string[]): boolean {
  const accepted = PAIRINGS[pairing]?.satisfiedBy ?? [pairing];
  return winePairings.some((p) => accepted.some((a) => same(a, p)));
}

/** Grape names split on "/" ("Syrah/Shiraz") and synonyms (Spätburgunder = Pinot Noir) all count. */
export function grapeSatisfied(grape: string, wineGrapes: readonly string[]): boolean {
  const entry = GRAPES.find((g) => same(g.name, grape));
  const accepted = new Set((entry?.sameAs ?? [grape]).flatMap((name) => [name, ...name.split('/')]).map((n) => normalize(n).trim()));
  return wineGrapes.some((g) => [g, ...g.split('/')].some((part) => accepted.has(normalize(part).trim())));
}

/** A region matches itself or the named sub-regions inside it (Pauillac is in Bordeaux). */
export function regionSatisfied(region: string, wineRegion: string | null): boolean {
  if (!wineRegion) return false;
  const entry = REGIONS.find((r) => same(r.name, region));
  const accepted = entry?.includes ?? [region];
  const haystack = ` ${normalize(wineRegion).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  return accepted.some((name) => haystack.includes(` ${normalize(name).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `));
}

/** Every constraint the wine breaks; empty when it fits. */
export function constraintViolations(wine: WineFacts, c: CheckableConstraints): ConstraintKey[] {
  const broken: ConstraintKey[] = [];
  if (c.types?.length && (wine.type === null || !c.types.includes(wine.type))) broken.push('type');
  else if (c.excludeTypes?.length && wine.type !== null && c.excludeTypes.includes(wine.type)) broken.push('type');
  if (c.country && (wine.country === null || !same(c.country, wine.country))) broken.push('country');
  if (c.region && !regionSatisfied(c.region, wine.region)) broken.push('region');
  if (c.grape && !grapeSatisfied(c.grape, wine.grapes)) broken.push('grape');
  if (c.pairing && !pairingSatisfied(c.pairing, wine.pairings)) broken.push('pairing');
  if (c.body?.length && (wine.body === null || !c.body.includes(wine.body))) broken.push('body');
  if (c.acidity?.length && (wine.acidity === null || !c.acidity.includes(wine.acidity))) broken.push('acidity');
  if (
    (c.minAbv !== undefined || c.maxAbv !== undefined) &&
    (wine.abv === null || (c.minAbv !== undefined && wine.abv < c.minAbv) || (c.maxAbv !== undefined && wine.abv > c.maxAbv))
  ) {
    broken.push('abv');
  }
  if (c.minRating !== undefined && (wine.rating === null || wine.rating < c.minRating)) broken.push('rating');
  if (c.minPrice !== undefined || c.maxPrice !== undefined) {
    const price = wine.price ?? null;
    if (price === null || (c.minPrice !== undefined && price < c.minPrice) || (c.maxPrice !== undefined && price > c.maxPrice)) {
      broken.push('price');
    }
  }
  return broken;
}

/** The hard constraints a person would check in a recommendation (the fixture's shape). */
export interface HardConstraints {
  type?: WineType[];
  country?: string;
  grape?: string;
  pairing?: string;
  body?: Body[];
}

export function hardConstraintViolations(wine: WineFacts, hard: HardConstraints): ConstraintKey[] {
  return constraintViolations(wine, {
    types: hard.type,
    country: hard.country,
    grape: hard.grape,
    pairing: hard.pairing,
    body: hard.body,
  });
}
