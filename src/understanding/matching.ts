import type { Acidity, Body, WineType } from '../catalog/index.js';
import { fold, GRAPES, PAIRINGS, REGIONS, wineSweetness } from '../catalog/lexicon/index.js';
import { moduleCache } from '../shared/index.js';
import type { RequestConstraints } from './request.js';

/** The facts about a wine that constraints are checked against (a catalog `Wine` fits). */
export interface WineFacts {
  /** Tells sweetness where the type does not ("Riesling Spätlese" is a white). */
  name?: string;
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

/** The constraints that can be checked against a wine: the checkable part of a request. */
export type CheckableConstraints = Partial<
  Pick<
    RequestConstraints,
    | 'types'
    | 'excludeTypes'
    | 'excludeGrapes'
    | 'excludeCountries'
    | 'excludeRegions'
    | 'sweetness'
    | 'avoidSweet'
    | 'country'
    | 'region'
    | 'grape'
    | 'pairing'
    | 'body'
    | 'acidity'
    | 'minAbv'
    | 'maxAbv'
    | 'minRating'
    | 'minPrice'
    | 'maxPrice'
  >
>;

/**
 * `sweetness`: a dry wine asked for and a sweet one offered, or the other way round. `sweet`: a sweet wine
 * nobody asked for; it goes after the others and is flagged.
 */
export type ConstraintKey =
  | 'type' | 'sweetness' | 'country' | 'region' | 'grape' | 'pairing' | 'body' | 'acidity' | 'abv' | 'rating' | 'price' | 'sweet';

/**
 * What a person would check on the label: the wrong colour, country, grape, food or weight is a wrong
 * answer. Region, acidity, strength, rating and price are softer and may be relaxed (and said so).
 */
export const CORE_CONSTRAINTS: readonly ConstraintKey[] = ['type', 'sweetness', 'country', 'grape', 'pairing', 'body'];

/**
 * Every recommendation of every turn is checked against the request, comparing the same catalog words
 * (countries, grapes, pairings, regions) again and again; their normalised forms are kept.
 */
const comparableForms = moduleCache<string, string>('understanding/matching.comparableForms', 5000);

function comparable(text: string): string {
  let form = comparableForms.get(text);
  if (form === undefined) {
    form = fold(text);
    comparableForms.set(text, form);
  }
  return form;
}

const same = (a: string, b: string) => comparable(a) === comparable(b);

/** The first lexicon entry per normalised name, as `find` over the list would return it. */
function firstByName<T extends { name: string }>(entries: readonly T[]): Map<string, T> {
  const byName = new Map<string, T>();
  for (const entry of entries) {
    const key = fold(entry.name);
    if (!byName.has(key)) byName.set(key, entry);
  }
  return byName;
}

// Module-level: indexes built once (on first use) over the bundled lexicon, so their size is fixed.
let grapesByName: Map<string, (typeof GRAPES)[number]> | undefined;
let regionsByName: Map<string, (typeof REGIONS)[number]> | undefined;

/** Whether a wine paired with `winePairings` suits the requested pairing ("Chicken" counts as Poultry). */
export function pairingSatisfied(pairing: string, winePairings: readonly string[]): boolean {
  const accepted = PAIRINGS[pairing]?.satisfiedBy ?? [pairing];
  return winePairings.some((p) => accepted.some((a) => same(a, p)));
}

const acceptedGrapes = moduleCache<string, ReadonlySet<string>>('understanding/matching.acceptedGrapes', 500);

/** Grape names split on "/" ("Syrah/Shiraz") and synonyms (Spätburgunder = Pinot Noir) all count. */
export function grapeSatisfied(grape: string, wineGrapes: readonly string[]): boolean {
  let accepted = acceptedGrapes.get(grape);
  if (accepted === undefined) {
    grapesByName ??= firstByName(GRAPES);
    const entry = grapesByName.get(comparable(grape));
    accepted = new Set((entry ? [entry.name, ...entry.synonyms] : [grape]).flatMap((name) => [name, ...name.split('/')]).map(comparable));
    acceptedGrapes.set(grape, accepted);
  }
  const known = accepted;
  return wineGrapes.some((g) => [g, ...g.split('/')].some((part) => known.has(comparable(part))));
}

const spacedWords = (text: string): string => fold(text).replace(/[^\p{L}\p{N}]+/gu, ' ');
const regionHaystacks = moduleCache<string, string>('understanding/matching.regionHaystacks', 2000);
const acceptedRegions = moduleCache<string, readonly string[]>('understanding/matching.acceptedRegions', 500);

/** A region matches itself or the named sub-regions inside it (Pauillac is in Bordeaux). */
export function regionSatisfied(region: string, wineRegion: string | null): boolean {
  if (!wineRegion) return false;
  let needles = acceptedRegions.get(region);
  if (needles === undefined) {
    regionsByName ??= firstByName(REGIONS);
    const entry = regionsByName.get(comparable(region));
    needles = (entry ? [entry.name, ...entry.subregions] : [region]).map((name) => ` ${spacedWords(name).trim()} `);
    acceptedRegions.set(region, needles);
  }
  let haystack = regionHaystacks.get(wineRegion);
  if (haystack === undefined) {
    haystack = ` ${spacedWords(wineRegion)} `;
    regionHaystacks.set(wineRegion, haystack);
  }
  const within = haystack;
  return needles.some((needle) => within.includes(needle));
}

const sweetnessOf = moduleCache<string, 'sweet' | 'offDry' | 'dry'>('understanding/matching.sweetnessOf', 5000);

/** A wine's sweetness from its type and name (see `wineSweetness` in the lexicon). */
export function sweetnessOfWine(wine: Pick<WineFacts, 'type' | 'name'>): 'sweet' | 'offDry' | 'dry' {
  return sweetnessOf.through(`${wine.type ?? ''}|${wine.name ?? ''}`, () => wineSweetness({ type: wine.type, name: wine.name ?? '' }));
}

/** Every constraint the wine breaks; empty when it fits. */
export function constraintViolations(wine: WineFacts, c: CheckableConstraints): ConstraintKey[] {
  const broken: ConstraintKey[] = [];
  if (c.types?.length && (wine.type === null || !c.types.includes(wine.type))) broken.push('type');
  else if (c.excludeTypes?.length && wine.type !== null && c.excludeTypes.includes(wine.type)) broken.push('type');
  if (c.sweetness !== undefined || c.avoidSweet) {
    const sweet = sweetnessOfWine(wine) === 'sweet';
    if (c.sweetness === 'dry' ? sweet : c.sweetness === 'sweet' ? !sweet : false) broken.push('sweetness');
    else if (c.sweetness === undefined && c.avoidSweet && sweet) broken.push('sweet');
  }
  if (c.country && (wine.country === null || !same(c.country, wine.country))) broken.push('country');
  else if (c.excludeCountries?.some((country) => wine.country !== null && same(country, wine.country))) broken.push('country');
  if (c.region && !regionSatisfied(c.region, wine.region)) broken.push('region');
  else if (c.excludeRegions?.some((region) => regionSatisfied(region, wine.region) || regionSatisfied(region, wine.name ?? null))) broken.push('region');
  if (c.grape && !grapeSatisfied(c.grape, wine.grapes)) broken.push('grape');
  else if (c.excludeGrapes?.some((grape) => grapeSatisfied(grape, wine.grapes))) broken.push('grape');
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
