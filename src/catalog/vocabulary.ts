/**
 * Turns what people type ("стейку", "лёгкое", "something for oysters") into catalog terms. Foods,
 * countries, regions and grapes come from the shared lexicon (./lexicon/index.ts, which also describes the pattern
 * language); the style and occasion words below only serve full-text search.
 *
 * An entry can carry several roles: `search` terms for full-text ranking, `pairings` (folded X-Wines
 * `Harmonize` categories) for the pairing filter, and country/region/grape keys for those filters.
 */
import { COUNTRIES, FOODS, GRAPE_FAMILIES, GRAPES, PAIRINGS, REGIONS, singular, type Patterns } from './lexicon/index.js';
import { fold, grapeKeys, words } from './normalize.js';
import type { WineType } from './types.js';

export interface VocabularyEntry {
  patterns: string[];
  /** English terms (phrases allowed) looked up in the wines' search text. */
  search?: string[];
  /** Folded pairing categories this food matches. */
  pairings?: string[];
  /** Folded country name. */
  country?: string;
  /** Folded region names, including the sub-regions a person means by the broader name. */
  regions?: string[];
  /** Folded grape names (synonyms included). */
  grapes?: string[];
  type?: WineType;
}

/** Search reads the words a conversation would misread as well. */
const searchPatterns = (entry: Patterns): string[] => [...entry.words, ...(entry.searchOnly ?? [])];

const FOOD_ENTRIES: VocabularyEntry[] = FOODS.map((food) => ({
  patterns: searchPatterns(food),
  pairings: food.search.pairings.map(fold),
  search: [...food.search.terms],
}));

const COUNTRY_ENTRIES: VocabularyEntry[] = COUNTRIES.map((country) => ({
  patterns: searchPatterns(country),
  country: fold(country.name),
}));

const REGION_ENTRIES: VocabularyEntry[] = REGIONS.map((region) => ({
  patterns: searchPatterns(region),
  regions: [...new Set([region.name, ...region.subregions].map(fold))],
}));

const GRAPE_ENTRIES: VocabularyEntry[] = [
  ...GRAPES.map((grape) => ({ patterns: searchPatterns(grape), grapes: grapeKeys([grape.name, ...grape.synonyms]) })),
  ...GRAPE_FAMILIES.map((family) => ({ patterns: family.words, grapes: grapeKeys(family.grapes) })),
];

const STYLES: VocabularyEntry[] = [
  { patterns: ['light', 'lightweight', 'легк*', 'легон*'], search: ['light'] },
  { patterns: ['easy', 'easy drinking', 'простое', 'простенькое', 'легкопьющ*'], search: ['easy'] },
  { patterns: ['fruity', 'fruit forward', 'juicy', 'фрукт*', 'ягодн*', 'сочн*'], search: ['fruity'] },
  { patterns: ['fresh', 'refreshing', 'свеж*', 'освежающ*'], search: ['fresh'] },
  { patterns: ['crisp', 'zesty', 'bright', 'хрустящ*', 'бодрящ*'], search: ['crisp'] },
  { patterns: ['acidic', 'high acidity', 'кисл*', 'кислотн*'], search: ['crisp'] },
  { patterns: ['dry', 'off dry', 'semi dry', 'сух*', 'полусух*'], search: ['dry'] },
  { patterns: ['sweet', 'semi sweet', 'сладк*', 'полусладк*'], search: ['sweet'] },
  { patterns: ['bold', 'rich', 'full', 'full bodied', 'powerful', 'robust', 'heavy', 'big', 'полнотел*', 'насыщенн*', 'мощн*', 'плотн*', 'тяжел*'], search: ['bold'] },
  { patterns: ['medium', 'medium bodied', 'средн*'], search: ['medium'] },
  { patterns: ['tannic', 'tannins', 'танин*', 'таннин*', 'терпк*'], search: ['tannic'] },
  { patterns: ['smooth', 'soft', 'mellow', 'round', 'мягк*', 'бархатист*', 'округл*'], search: ['smooth'] },
  { patterns: ['elegant', 'refined', 'элегантн*', 'изысканн*', 'утонченн*'], search: ['elegant'] },
  { patterns: ['aromatic', 'floral', 'ароматн*', 'цветочн*'], search: ['aromatic'] },
  { patterns: ['spicy wine', 'peppery', 'прян*'], search: ['peppery'] },
  { patterns: ['picnic', 'outdoor', 'outdoors', 'пикник*', 'природ*'], search: ['picnic'] },
  { patterns: ['summer', 'hot day', 'terrace', 'beach', 'лето', 'летом', 'летн*', 'жара', 'жару', 'жаркий', 'жаркую', 'жарко', 'терас*', 'пляж*'], search: ['summer'] },
  { patterns: ['winter', 'cold evening', 'fireplace', 'зим*', 'камин*'], search: ['winter'] },
  { patterns: ['celebration', 'celebrate', 'party', 'festive', 'wedding', 'new year', 'birthday', 'toast', 'праздн*', 'вечеринк*', 'торжеств*', 'свадьб*', 'новый год', 'новогодн*', 'день рождения', 'отмет*', 'тост*'], search: ['celebration'] },
  { patterns: ['bubbles', 'bubbly', 'fizzy', 'sparkling', 'игрист*', 'пузыр*', 'шипуч*', 'шампанск*'], search: ['sparkling'], type: 'sparkling' },
  { patterns: ['romantic', 'date', 'романтич*', 'свидани*'], search: ['romantic'] },
  { patterns: ['dinner', 'ужин*'], search: ['dinner'] },
  { patterns: ['gift', 'present', 'подар*'], search: ['gift'] },
  { patterns: ['low alcohol', 'low abv', 'некрепк*', 'слабоалкогольн*'], search: ['low alcohol'] },
  { patterns: ['strong', 'high alcohol', 'крепк*'], search: ['strong'] },
  { patterns: ['oak', 'oaky', 'barrel', 'дуб*', 'бочк*'], search: ['oak'] },
  { patterns: ['red', 'красн*'], search: ['red'], type: 'red' },
  { patterns: ['white', 'бел*'], search: ['white'], type: 'white' },
  { patterns: ['rose', 'pink', 'розов*', 'розе'], search: ['rose'], type: 'rose' },
  { patterns: ['dessert wine', 'десертн*'], search: ['dessert'], type: 'dessert' },
  { patterns: ['port', 'fortified', 'портвейн*', 'креплен*'], search: ['port'], type: 'port' },
];

export const VOCABULARY: readonly VocabularyEntry[] = [...FOOD_ENTRIES, ...STYLES, ...COUNTRY_ENTRIES, ...REGION_ENTRIES, ...GRAPE_ENTRIES];

/** Query words that carry no meaning for ranking. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  [
    'a', 'an', 'the', 'and', 'or', 'for', 'with', 'to', 'of', 'in', 'on', 'at', 'by', 'from', 'as', 'is', 'are', 'be',
    'i', 'me', 'my', 'we', 'us', 'our', 'you', 'it', 'its', 'that', 'this', 'these', 'what', 'which', 'some',
    'something', 'anything', 'any', 'wine', 'wines', 'bottle', 'bottles', 'glass', 'want', 'need', 'like', 'would',
    'please', 'good', 'nice', 'great', 'go', 'goes', 'going', 'pair', 'pairs', 'pairing', 'match', 'recommend',
    'suggest', 'can', 'could', 'should', 'kind', 'sort', 'type', 'drink', 'drinking', 'serve', 'tonight', 'looking',
    'find', 'show', 'give', 'get', 'best', 'really', 'very', 'quite', 'well', 'too', 'also', 'bit', 'little',
    'и', 'или', 'а', 'но', 'для', 'с', 'со', 'к', 'ко', 'в', 'во', 'на', 'по', 'под', 'из', 'о', 'об', 'что', 'чтобы',
    'нибудь', 'то', 'какое', 'какой', 'какую', 'какие', 'вино', 'вина', 'вину', 'вином', 'винцо', 'бутылка', 'бутылку',
    'хочу', 'хотим', 'хотелось', 'бы', 'нужно', 'нужен', 'нужна', 'нужны', 'посоветуй', 'посоветуйте', 'подбери',
    'подберите', 'порекомендуй', 'порекомендуйте', 'мне', 'нам', 'я', 'мы', 'пожалуйста', 'хорошее', 'хороший',
    'хорошую', 'подойдет', 'подойдут', 'подходит', 'подходящее', 'есть', 'ли', 'можно', 'какое-нибудь', 'что-нибудь',
    'очень', 'самое', 'лучшее', 'бокал', 'выпить', 'попить', 'сегодня', 'вечером', 'это', 'этот', 'эту',
  ].map(fold),
);

interface CompiledPattern {
  tokens: { text: string; prefix: boolean }[];
  entry: VocabularyEntry;
}

const COMPILED: CompiledPattern[] = VOCABULARY.flatMap((entry) =>
  entry.patterns.map((pattern) => ({
    entry,
    tokens: fold(pattern)
      .split(/\s+/)
      .map((token) =>
        token.endsWith('*')
          ? { text: token.slice(0, -1), prefix: true }
          : { text: singular(token.replace(/[^\p{L}\p{N}]/gu, '')), prefix: false },
      ),
  })),
).sort((a, b) => b.tokens.length - a.tokens.length);

function tokenMatches(pattern: { text: string; prefix: boolean }, word: string): boolean {
  return pattern.prefix ? word.startsWith(pattern.text) : singular(word) === pattern.text;
}

export interface PhraseMatch {
  /** The words of the text this match consumed. */
  words: string[];
  entries: VocabularyEntry[];
}

/**
 * Reads a text left to right, taking the longest vocabulary phrase at each word; words no entry knows
 * come back with `entries: []`. Stopwords are dropped.
 */
export function analyze(text: string): PhraseMatch[] {
  const input = words(text);
  const matches: PhraseMatch[] = [];
  let index = 0;
  while (index < input.length) {
    let best: { length: number; entries: VocabularyEntry[] } | null = null;
    for (const pattern of COMPILED) {
      const length = pattern.tokens.length;
      if (best && length < best.length) break;
      if (index + length > input.length) continue;
      const fits = pattern.tokens.every((token, offset) => tokenMatches(token, input[index + offset] ?? ''));
      if (!fits) continue;
      if (best) {
        if (!best.entries.includes(pattern.entry)) best.entries.push(pattern.entry);
      } else {
        best = { length, entries: [pattern.entry] };
      }
    }
    if (best) {
      matches.push({ words: input.slice(index, index + best.length), entries: best.entries });
      index += best.length;
      continue;
    }
    const word = input[index] ?? '';
    if (!STOPWORDS.has(word)) matches.push({ words: [word], entries: [] });
    index += 1;
  }
  return matches;
}

/** Filter values recur on every search ("red", "beef", "France"); their vocabulary lookups are kept. */
const WHOLE_TERM_CACHE_SIZE = 1000;
const wholeTermEntries = new Map<string, readonly VocabularyEntry[]>();

/** Entries whose pattern covers the whole text ("Пино Нуар", "Бордо", "стейку"), for filter values. */
export function entriesForWholeTerm(text: string): VocabularyEntry[] {
  let entries = wholeTermEntries.get(text);
  if (entries === undefined) {
    const matches = analyze(text);
    entries = matches.length === 1 ? (matches[0]?.entries ?? []) : [];
    if (wholeTermEntries.size >= WHOLE_TERM_CACHE_SIZE) wholeTermEntries.clear();
    wholeTermEntries.set(text, entries);
  }
  // A copy: callers may sort or extend their list without touching the cached one.
  return [...entries];
}

const PAIRING_CATEGORIES = new Set(Object.keys(PAIRINGS).map(fold));

/** Whether a folded term is itself one of the catalog's pairing categories ("game meat", "lean fish"). */
export function isPairingCategory(folded: string): boolean {
  return PAIRING_CATEGORIES.has(folded);
}

/** English food words for a pairing category, so a wine paired with "Shellfish" is found by "oysters". */
export function foodWordsForPairing(pairingKey: string): string[] {
  const found = new Set<string>();
  for (const entry of FOOD_ENTRIES) {
    if (!entry.pairings?.includes(pairingKey)) continue;
    // Broad entries ("meat" → five categories) would tag every wine; only the specific ones describe it.
    if (entry.pairings.length > 3 && entry.pairings[0] !== pairingKey) continue;
    for (const pattern of entry.patterns) {
      // Single words: the words of a phrase ("white" of "white meat") would describe the wine wrongly.
      if (/^[a-z]+$/.test(pattern)) found.add(pattern);
    }
  }
  return [...found];
}
