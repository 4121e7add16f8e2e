/**
 * The shared lexicon (catalog/lexicon.ts) compiled into the patterns a message is read with. Search-only
 * words are left out: in a conversation they mostly mean something else.
 */
import {
  COUNTRIES as COUNTRY_WORDS,
  FOODS as FOOD_WORDS,
  GRAPE_FAMILIES,
  GRAPES as GRAPE_WORDS,
  PAIRINGS,
  REGIONS as REGION_WORDS,
  spellings,
  type Country,
  type Food,
  type Grape,
  type Region,
} from '../catalog/lexicon/index.js';
import { normalize, wordPattern } from './text.js';

/** Lexicon patterns as one `wordPattern`; a whole word becomes every spelling search folds onto it (oyster|oysters). */
function patternOf(patterns: readonly string[]): RegExp {
  const word = (text: string): string => {
    if (text.endsWith('*')) return text;
    const forms = spellings(text);
    return forms.length > 1 ? `(?:${forms.join('|')})` : (forms[0] ?? text);
  };
  return wordPattern(...patterns.map((pattern) => pattern.split(' ').map(word).join(' ')));
}

export interface FoodPattern extends Food {
  pattern: RegExp;
  weight: 1 | 2;
}

export const FOODS: readonly FoodPattern[] = FOOD_WORDS.map((food) => ({
  ...food,
  pattern: patternOf(food.words),
  weight: food.generic ? 1 : 2,
}));

export interface GrapePattern extends Grape {
  pattern: RegExp;
  /** The dataset's spellings of this variety, its own name first. */
  sameAs: string[];
}

/** A word that names several grapes is read as the first of them, the one people usually mean. */
const familyWords = (name: string): string[] =>
  GRAPE_FAMILIES.filter((family) => family.grapes[0] === name).flatMap((family) => family.words);

export const GRAPES: readonly GrapePattern[] = GRAPE_WORDS.map((grape) => ({
  ...grape,
  pattern: patternOf([...grape.words, ...familyWords(grape.name)]),
  sameAs: [grape.name, ...grape.synonyms],
}));

export interface CountryPattern extends Country {
  pattern: RegExp;
}

export const COUNTRIES: readonly CountryPattern[] = COUNTRY_WORDS.map((country) => ({ ...country, pattern: patternOf(country.words) }));

export interface RegionPattern extends Region {
  pattern: RegExp;
  /** Region names (or parts of them) a wine's region may contain to lie in this one, its own name first. */
  includes: string[];
}

export const REGIONS: readonly RegionPattern[] = REGION_WORDS.map((region) => ({
  ...region,
  pattern: patternOf(region.words),
  includes: [region.name, ...region.subregions],
}));

/** How to name the food a person asked about: their own dish ("к стейку") rather than the category. */
export function describeFood(foodWords: readonly string[], pairing: string | undefined): { ruTo: string; en: string } | null {
  for (const word of foodWords) {
    const normalized = normalize(word);
    const entry = FOODS.find((food) => {
      food.pattern.lastIndex = 0;
      return food.pattern.test(normalized) && (pairing === undefined || food.pairing === pairing);
    });
    if (entry) return { ruTo: entry.ruTo, en: entry.en };
  }
  if (pairing === undefined) return null;
  const info = PAIRINGS[pairing];
  return { ruTo: info?.ruTo ?? pairing.toLowerCase(), en: info?.en ?? pairing.toLowerCase() };
}
