/**
 * The lexicon: every Russian and English word the sommelier understands, each tagged with its role — a
 * food, a place, a grape, a wine type, sweetness, body, acidity, an occasion, a negation, a currency — in
 * the catalog's own terms. Catalog search (src/catalog/vocabulary.ts) and request understanding
 * (src/understanding) both read text through `readTerms`, one fold and one pattern compiler
 * (./text.ts, ./patterns.ts), so they cannot disagree about what a word means.
 */
import type { Acidity, Body, WineType } from '../types.js';
import { WINE_TYPES } from '../types.js';
import {
  ALTERNATION_WORDS,
  ASKING_WORDS,
  COMPARATIVE_WORDS,
  DISH_LINK_WORDS,
  NEGATION_FILLERS,
  NEGATION_WORDS,
  OPENER_WORDS,
  ORDER_WORDS,
  QUESTION_WORDS,
  SMALL_TALK_WORDS,
  STOPWORDS,
  UNSUPPORTED_WORDS,
  WINE_NOUNS,
  type Comparative,
  type Order,
  type QuestionCue,
  type UnsupportedTopic,
} from './discourse.js';
import { FOODS, overriddenDishes, type Food, type FoodPhrase } from './foods.js';
import { GRAPE_FAMILIES, GRAPES, type Grape } from './grapes.js';
import { BOUND_WORDS, CONTEXT_WORDS, CURRENCIES, RANGE_WORDS, THOUSAND_WORDS, UNIT_WORDS, type Bound, type Quantity } from './numbers.js';
import { OCCASIONS, type Occasion } from './occasions.js';
import { PhraseIndex, type ScannedPhrase } from './patterns.js';
import { PRESTIGE_WORDS } from './prestige.js';
import { COUNTRIES, REGIONS, type Country, type Region } from './places.js';
import {
  ACIDITY_WORDS,
  BODY_WORDS,
  DESCRIPTOR_WORDS,
  STRENGTH_WORDS,
  SWEETNESS_WORDS,
  TYPE_WORDS,
  type DescriptorSense,
  type ScaleSense,
  type Strength,
  type SweetnessSense,
  type WineStyle,
} from './styles.js';
import { fold, tokenize, type Token } from './text.js';

export { FOODS, PAIRINGS, type Food, type FoodSearch, type PairingInfo, type PairingName } from './foods.js';
export { GRAPE_FAMILIES, GRAPES, type Grape, type GrapeFamily } from './grapes.js';
export { COUNTRIES, REGIONS, type Country, type Region } from './places.js';
export { OCCASIONS, type Occasion } from './occasions.js';
export { BOUND_SIGNS, CURRENCIES, RANGE_SIGNS, UNIT_SIGNS, type Bound, type Currency, type Quantity } from './numbers.js';
export type { Comparative, Order, QuestionCue, UnsupportedTopic } from './discourse.js';
export type { Strength, Sweetness, WineStyle, WineTopic } from './styles.js';
export { fold, foldedWords, singular, tokenize, words, type Token } from './text.js';
export { compilePattern, PhraseIndex } from './patterns.js';

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

/** One meaning of a word, tagged with its role. */
export type Sense =
  | { role: 'food'; food: Food }
  | { role: 'country'; country: Country }
  | { role: 'region'; region: Region }
  /** `family`: the word names several grapes ("каберне"); `grape` is the one people usually mean. */
  | { role: 'grape'; grape: Grape; family?: readonly string[] }
  | { role: 'type'; style: WineStyle }
  | { role: 'sweetness'; sweetness: SweetnessSense }
  | { role: 'body'; body: ScaleSense<Body> }
  | { role: 'acidity'; acidity: ScaleSense<Acidity> }
  | { role: 'strength'; strength: Strength }
  | { role: 'descriptor'; descriptor: DescriptorSense }
  | { role: 'occasion'; occasion: Occasion }
  | { role: 'unsupported'; topic: UnsupportedTopic }
  | { role: 'comparative'; comparative: Comparative }
  | { role: 'order'; order: Order }
  | { role: 'smallTalk'; kind: 'greeting' | 'thanks' }
  | { role: 'question'; cue: QuestionCue }
  | { role: 'negation' }
  | { role: 'negationFiller' }
  | { role: 'alternation' }
  | { role: 'opener' }
  | { role: 'wineNoun' }
  | { role: 'asking' }
  | { role: 'dishLink' }
  | { role: 'currency'; code: string }
  | { role: 'unit'; quantity: Quantity }
  | { role: 'numberContext'; quantity: Quantity }
  | { role: 'bound'; bound: Bound }
  | { role: 'thousand' }
  | { role: 'range' }
  | { role: 'stopword' };

export type Role = Sense['role'];

interface Term {
  words: readonly string[];
  searchOnly?: readonly string[];
  sense: Sense;
}

const each = <K extends string, V>(table: Readonly<Record<K, readonly V[]>>): [K, readonly V[]][] =>
  Object.entries(table) as [K, readonly V[]][];

/** Roles that are the whole meaning of their words ("не" is a negation, "вино" a wine noun). */
type PlainRole = Extract<Sense, { role: string }> extends infer S ? (S extends { role: infer R } ? (keyof S extends 'role' ? R : never) : never) : never;

const plain = (lists: Record<PlainRole, readonly string[]>): Term[] =>
  (Object.entries(lists) as [PlainRole, readonly string[]][]).map(([role, words]) => ({ words, sense: { role } }));

/** A list of style words, each with its meaning tagged with a role. */
const tagged = <S>(terms: readonly { words: string[]; sense: S }[], sense: (meaning: S) => Sense): Term[] =>
  terms.map((term) => ({ words: term.words, sense: sense(term.sense) }));

const TERMS: readonly Term[] = [
  ...FOODS.map((food): Term => ({ words: food.words, searchOnly: food.searchOnly, sense: { role: 'food', food } })),
  ...COUNTRIES.map((country): Term => ({ words: country.words, searchOnly: country.searchOnly, sense: { role: 'country', country } })),
  ...REGIONS.map((region): Term => ({ words: region.words, searchOnly: region.searchOnly, sense: { role: 'region', region } })),
  ...GRAPES.map((grape): Term => ({ words: grape.words, searchOnly: grape.searchOnly, sense: { role: 'grape', grape } })),
  ...GRAPE_FAMILIES.flatMap((family): Term[] => {
    const usual = GRAPES.find((grape) => grape.name === family.grapes[0]);
    return usual ? [{ words: family.words, sense: { role: 'grape', grape: usual, family: family.grapes } }] : [];
  }),
  ...tagged(TYPE_WORDS, (style) => ({ role: 'type', style })),
  ...tagged(SWEETNESS_WORDS, (sweetness) => ({ role: 'sweetness', sweetness })),
  ...tagged(BODY_WORDS, (body) => ({ role: 'body', body })),
  ...tagged(ACIDITY_WORDS, (acidity) => ({ role: 'acidity', acidity })),
  ...tagged(STRENGTH_WORDS, (strength) => ({ role: 'strength', strength })),
  ...tagged(DESCRIPTOR_WORDS, (descriptor) => ({ role: 'descriptor', descriptor })),
  ...OCCASIONS.map((term): Term => ({ words: term.words, sense: { role: 'occasion', occasion: term.occasion } })),
  ...each(UNSUPPORTED_WORDS).map(([topic, words]): Term => ({ words, sense: { role: 'unsupported', topic } })),
  ...each(COMPARATIVE_WORDS).map(([comparative, words]): Term => ({ words, sense: { role: 'comparative', comparative } })),
  ...each(ORDER_WORDS).map(([order, words]): Term => ({ words, sense: { role: 'order', order } })),
  ...each(SMALL_TALK_WORDS).map(([kind, words]): Term => ({ words, sense: { role: 'smallTalk', kind } })),
  ...each(QUESTION_WORDS).map(([cue, words]): Term => ({ words, sense: { role: 'question', cue } })),
  ...plain({
    negation: NEGATION_WORDS,
    negationFiller: NEGATION_FILLERS,
    alternation: ALTERNATION_WORDS,
    opener: OPENER_WORDS,
    wineNoun: WINE_NOUNS,
    asking: ASKING_WORDS,
    dishLink: DISH_LINK_WORDS,
    thousand: THOUSAND_WORDS,
    range: RANGE_WORDS,
    stopword: STOPWORDS,
  }),
  ...CURRENCIES.map((currency): Term => ({ words: currency.words, sense: { role: 'currency', code: currency.code } })),
  ...each(UNIT_WORDS).map(([quantity, words]): Term => ({ words, sense: { role: 'unit', quantity } })),
  ...each(CONTEXT_WORDS).map(([quantity, words]): Term => ({ words, sense: { role: 'numberContext', quantity } })),
  ...each(BOUND_WORDS).map(([bound, words]): Term => ({ words, sense: { role: 'bound', bound } })),
];

/**
 * Who reads: search reads the search-only words as well; a conversation reads only the shared ones (a
 * search for "English" means the country, a chat message in English does not).
 */
export type Reader = 'search' | 'conversation';

const indexes: Partial<Record<Reader, PhraseIndex<Sense>>> = {};

function indexFor(reader: Reader): PhraseIndex<Sense> {
  let index = indexes[reader];
  if (!index) {
    index = new PhraseIndex(
      TERMS.map((term) => ({
        patterns: reader === 'search' ? [...term.words, ...(term.searchOnly ?? [])] : term.words,
        value: term.sense,
      })),
    );
    indexes[reader] = index;
  }
  return index;
}

/** A phrase of a text with every meaning the lexicon gives it (none for an unknown word). */
export interface Phrase extends ScannedPhrase<Sense> {
  /** The phrase's tokens among the text's word tokens. */
  tokens: Token[];
  /** Offsets of the phrase in the original text. */
  start: number;
  end: number;
  /** Punctuation (not a hyphen or apostrophe) stands between this phrase and the one before it. */
  afterBreak: boolean;
}

export interface TermReading {
  /** Every token, punctuation and numbers included, for readers that need them. */
  tokens: Token[];
  /** The words and numbers, as phrases in order. */
  phrases: Phrase[];
}

/**
 * Reads a text into lexicon phrases, the longest at each word. Dishes whose ingredient the text names
 * ("шашлык из курицы") lose their own food meaning, so every reader agrees on what the dish is.
 */
export function readTerms(text: string, reader: Reader): TermReading {
  const tokens = tokenize(text);
  const wordTokens: Token[] = [];
  const breakBefore: boolean[] = [];
  let pendingBreak = false;
  for (const token of tokens) {
    if (token.kind === 'sign') pendingBreak = true;
    if (token.kind !== 'word' && token.kind !== 'number') continue;
    wordTokens.push(token);
    breakBefore.push(pendingBreak);
    pendingBreak = false;
  }
  const scanned = indexFor(reader).scan(
    wordTokens.map((token) => token.text),
    (index) => !breakBefore[index],
  );
  const phrases: Phrase[] = scanned.map((phrase) => {
    const own = wordTokens.slice(phrase.at, phrase.at + phrase.length);
    return {
      ...phrase,
      tokens: own,
      start: own[0]?.start ?? 0,
      end: own.at(-1)?.end ?? 0,
      afterBreak: breakBefore[phrase.at] ?? false,
    };
  });
  dropOverriddenDishes(phrases);
  return { tokens, phrases };
}

function dropOverriddenDishes(phrases: Phrase[]): void {
  const foods: (FoodPhrase & { phrase: Phrase })[] = phrases.flatMap((phrase) =>
    phrase.values.flatMap((sense) => (sense.role === 'food' ? [{ food: sense.food, at: phrase.at, length: phrase.length, phrase }] : [])),
  );
  if (!foods.some((entry) => entry.food.dish)) return;
  const byStart = new Map(phrases.map((phrase) => [phrase.at, phrase]));
  const linkAt = (index: number): number => {
    const phrase = byStart.get(index);
    return phrase?.values.some((sense) => sense.role === 'dishLink') ? phrase.length : 0;
  };
  const overridden = overriddenDishes(foods, linkAt) as Set<FoodPhrase & { phrase: Phrase }>;
  for (const entry of overridden) {
    entry.phrase.values = entry.phrase.values.filter((sense) => sense.role !== 'food' || sense.food !== entry.food);
  }
}

/** The meanings of a phrase with the given role. */
export function sensesOf<R extends Role>(phrase: { values: readonly Sense[] }, role: R): Extract<Sense, { role: R }>[] {
  return phrase.values.filter((sense): sense is Extract<Sense, { role: R }> => sense.role === role);
}

/**
 * A wine's sweetness as its type and name tell it: dessert and port wines, and wines named for a sweet style
 * ("Riesling Spätlese", "Moscato d'Asti", "Semi Sweet Cabernet") are sweet unless the name also says dry
 * ("Spätlese Trocken"); "Semi-Dry Riesling" is off-dry; anything else is taken as dry.
 */
export function wineSweetness(wine: { type: WineType | null; name: string }): 'sweet' | 'offDry' | 'dry' {
  const sweetType = wine.type === 'dessert' || wine.type === 'port';
  const levels = new Set<string>();
  for (const phrase of readTerms(wine.name, 'search').phrases) {
    for (const sense of phrase.values) {
      if (sense.role === 'sweetness') levels.add(sense.sweetness.level);
      if (sense.role === 'type' && sense.style.types.every(isSweetType)) levels.add('sweet');
    }
  }
  if (sweetType) return 'sweet';
  if (levels.has('dry')) return 'dry';
  if (levels.has('sweet') || levels.has('semiSweet')) return 'sweet';
  return levels.has('offDry') ? 'offDry' : 'dry';
}

const prestige = new PhraseIndex([{ patterns: PRESTIGE_WORDS, value: true }]);

/** Whether a wine is famously expensive, by its name and producer (Grand Cru, Château Lafite, Penfolds Grange). */
export function isPrestige(wine: { name: string; winery?: string | null }): boolean {
  const text = tokenize(`${wine.name} ${wine.winery ?? ''}`).flatMap((token) => (token.kind === 'word' || token.kind === 'number' ? [token.text] : []));
  return prestige.scan(text).some((phrase) => phrase.values.length > 0);
}

/** Dessert and port wines are sweet by type. */
export const isSweetType = (type: WineType): boolean => type === 'dessert' || type === 'port';

/**
 * A wine type as a data file or a tool result spells it: the catalog's own names ("red", "Dessert/Port"),
 * or a type word of the lexicon in either language ("Rosé", "Sparkling wine", "Красное", "sweet"). The
 * last type named wins ("Dessert/Port" is port).
 */
export function readWineType(raw: string): WineType | null {
  const folded = fold(raw);
  if ((WINE_TYPES as readonly string[]).includes(folded)) return folded as WineType;
  if (folded === 'dessert/port') return 'port';
  let found: WineType | null = null;
  for (const phrase of readTerms(raw, 'search').phrases) {
    const word = phrase.tokens.map((token) => token.text).join(' ');
    if ((WINE_TYPES as readonly string[]).includes(word)) {
      found = word as WineType;
      continue;
    }
    for (const sense of phrase.values) {
      if (sense.role === 'type') found = sense.style.types[0] ?? found;
      else if (sense.role === 'sweetness' && (sense.sweetness.level === 'sweet' || sense.sweetness.level === 'semiSweet')) found = 'dessert';
    }
  }
  return found;
}
