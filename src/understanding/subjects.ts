/**
 * What the wine is for and where it is from: the dish, the country or region, the grape. A negated place or
 * grape is excluded ("не совиньон", "not from France"); a negated dish is simply not asked for.
 */
import { PAIRINGS, readTerms, REGIONS, sensesOf, type Food, type Phrase } from '../catalog/lexicon/index.js';
import { moduleCache } from '../shared/index.js';
import type { RequestConstraints } from './request.js';

export interface SubjectReading {
  constraints: Pick<RequestConstraints, 'country' | 'region' | 'grape' | 'pairing' | 'foodWords' | 'excludeGrapes' | 'excludeCountries' | 'excludeRegions'>;
  /** Every grape named, in order (the first is the one asked for; a question may compare two). */
  grapes: string[];
  /** Phrases of further grapes, kept for semantic search ("Merlot and Malbec"). */
  keep: Phrase[];
}

/** Generic words ("мясо", "fish") lose to specific ones ("стейк", "salmon") in the same message. */
const weight = (food: Food): number => (food.generic ? 1 : 2);

export function readSubjects(text: string, phrases: readonly Phrase[], negated: ReadonlySet<Phrase>): SubjectReading {
  const reading: SubjectReading = { constraints: { foodWords: [] }, grapes: [], keep: [] };
  const c = reading.constraints;
  const excludedGrapes = new Set<string>();
  const excludedCountries = new Set<string>();
  const excludedRegions = new Set<string>();
  let best: { food: Food; at: number } | undefined;
  const foodWords: string[] = [];
  for (const phrase of phrases) {
    const not = negated.has(phrase);
    const foods = sensesOf(phrase, 'food');
    if (foods.length > 0 && !not) {
      foodWords.push(text.slice(phrase.start, phrase.end).trim());
      for (const { food } of foods) {
        if (!best || weight(food) > weight(best.food)) best = { food, at: phrase.at };
      }
    }
    const grape = sensesOf(phrase, 'grape')[0];
    if (grape) {
      // "Не каберне" leaves out every grape the word names (Sauvignon and Franc), not just the usual one.
      if (not) for (const name of grape.family ?? [grape.grape.name]) excludedGrapes.add(name);
      else {
        if (!reading.grapes.includes(grape.grape.name)) reading.grapes.push(grape.grape.name);
        if (c.grape === undefined) c.grape = grape.grape.name;
        else if (c.grape !== grape.grape.name) reading.keep.push(phrase);
      }
    }
    const region = sensesOf(phrase, 'region')[0];
    if (region) {
      if (not) excludedRegions.add(region.region.name);
      else c.region ??= region.region.name;
    }
    const country = sensesOf(phrase, 'country')[0];
    if (country) {
      if (not) excludedCountries.add(country.country.name);
      else c.country ??= country.country.name;
    }
  }
  if (best) c.pairing = best.food.pairing;
  c.foodWords = [...new Set(foodWords)];
  // A region implies its country; a region in another country than the one named is dropped.
  const region = REGIONS.find((entry) => entry.name === c.region);
  if (region?.country) {
    if (c.country === undefined) c.country = region.country;
    else if (c.country !== region.country) delete c.region;
  }
  if (excludedGrapes.size > 0) c.excludeGrapes = [...excludedGrapes];
  if (excludedCountries.size > 0) c.excludeCountries = [...excludedCountries];
  if (excludedRegions.size > 0) c.excludeRegions = [...excludedRegions];
  return reading;
}

/** Pairings a sweet wine suits: desserts, fruit and cheese (Port with Stilton, Sauternes with Roquefort). */
const SWEET_FRIENDLY = new Set(
  ['Sweet Dessert', 'Fruit Dessert', 'Fruit', 'Cheese', 'Blue Cheese', 'Hard Cheese', 'Maturated Cheese', 'Soft Cheese', 'Goat Cheese'].flatMap(
    (name) => PAIRINGS[name]?.satisfiedBy ?? [name],
  ),
);

export function sweetFriendly(pairing: string): boolean {
  return SWEET_FRIENDLY.has(pairing);
}

const describedFoods = moduleCache<string, { ruTo: string; en: string } | null>('understanding/subjects.describedFoods', 1000);

/** How to name the food a person asked about: their own dish ("к стейку") rather than the category. */
export function describeFood(foodWords: readonly string[], pairing: string | undefined): { ruTo: string; en: string } | null {
  return describedFoods.through(`${pairing ?? ''}|${foodWords.join('|')}`, () => nameFood(foodWords, pairing));
}

function nameFood(foodWords: readonly string[], pairing: string | undefined): { ruTo: string; en: string } | null {
  for (const word of foodWords) {
    for (const phrase of readTerms(word, 'conversation').phrases) {
      const food = sensesOf(phrase, 'food').find((sense) => pairing === undefined || sense.food.pairing === pairing)?.food;
      if (food) return { ruTo: food.ruTo, en: food.en };
    }
  }
  if (pairing === undefined) return null;
  const info = PAIRINGS[pairing];
  return { ruTo: info?.ruTo ?? pairing.toLowerCase(), en: info?.en ?? pairing.toLowerCase() };
}
