/**
 * The words, in Russian and English, for what the catalog holds: foods and the dataset's pairing
 * categories, countries, regions and grapes. Catalog search and filters read it, and so does request
 * understanding, each compiling the patterns its own way; a new word or word form is added here once.
 *
 * A pattern is words separated by spaces (a hyphen or an apostrophe in the text counts as a space). A word
 * ending in `*` matches every word that starts with it, so a Russian stem covers its case endings
 * ("стейк*": стейк, стейка, стейку, стейком); any other word matches whole, an English one in its plural
 * as well ("oyster" finds "oysters", as `singular` folds them).
 */
export { FOODS, PAIRINGS, type Food, type FoodSearch, type PairingInfo, type PairingName } from './foods.js';
export { GRAPE_FAMILIES, GRAPES, type Grape, type GrapeFamily } from './grapes.js';
export { COUNTRIES, REGIONS, type Country, type Region } from './places.js';

/** What every lexicon entry is known by. */
export interface Patterns {
  /** Patterns both search and request understanding read. */
  words: string[];
  /**
   * Patterns only search reads: in a chat message they mostly mean something else ("English" is the reply
   * language, "mexican" the country, "картошка" any potatoes).
   */
  searchOnly?: string[];
}

/** English plurals and possessives fold onto the singular so "oysters" finds "oyster". */
export function singular(word: string): string {
  if (/[а-я]/.test(word)) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * Every spelling a whole pattern word matches: the words with the same `singular`, so a reader that looks
 * for spellings rather than folding each word finds exactly what search finds ("oyster": oyster, oysters).
 */
export function spellings(word: string): string[] {
  const base = singular(word);
  const candidates = [base, `${base}s`, ...(base.endsWith('y') ? [`${base.slice(0, -1)}ies`] : [])];
  return candidates.filter((candidate) => singular(candidate) === base);
}
