/**
 * What the lexicon's words mean to catalog search: full-text descriptors, pairing keys for the pairing
 * filter, and country, region and grape keys for theirs. "стейку" is the pairing Beef and the descriptors
 * "beef steak"; "лёгкое" the descriptor "light"; "не", "please" and "вино" nothing at all.
 */
import { FOODS, fold, PAIRINGS, readTerms, type Sense } from './lexicon/index.js';
import { moduleCache } from '../shared/index.js';
import { grapeKeys } from './normalize.js';
import type { WineType } from './types.js';

export interface VocabularyEntry {
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

/**
 * Entries are made once per sense, so equal senses give the same entry. Module-level: keyed by the
 * bundled lexicon's sense objects, and weakly, so it can never outgrow them.
 */
const entries = new WeakMap<Sense, VocabularyEntry | null>();

function entryOf(sense: Sense): VocabularyEntry | null {
  if (entries.has(sense)) return entries.get(sense) ?? null;
  const entry = makeEntry(sense);
  entries.set(sense, entry);
  return entry;
}

function makeEntry(sense: Sense): VocabularyEntry | null {
  switch (sense.role) {
    case 'food':
      return { pairings: sense.food.search.pairings.map(fold), search: [...sense.food.search.terms] };
    case 'country':
      return { country: fold(sense.country.name) };
    case 'region':
      return { regions: [...new Set([sense.region.name, ...sense.region.subregions].map(fold))] };
    case 'grape':
      return { grapes: grapeKeys(sense.family ?? [sense.grape.name, ...sense.grape.synonyms]) };
    case 'type':
      return { search: sense.style.search, ...(sense.style.types.length === 1 ? { type: sense.style.types[0] } : {}) };
    case 'sweetness':
      return { search: [sense.sweetness.level === 'dry' || sense.sweetness.level === 'offDry' ? 'dry' : 'sweet'] };
    case 'body':
      return { search: [sense.body.search] };
    case 'acidity':
      return { search: [sense.acidity.search] };
    case 'strength':
      return { search: [sense.strength === 'high' ? 'strong' : 'low alcohol'] };
    case 'descriptor':
      return sense.descriptor.search ? { search: [sense.descriptor.search] } : null;
    case 'occasion':
      return { search: sense.occasion.search };
    default:
      // Negations, comparatives, greetings, "вино", stopwords and topics the catalog has no data on.
      return null;
  }
}

export interface PhraseMatch {
  /** The words of the text this match consumed. */
  words: string[];
  entries: VocabularyEntry[];
}

/**
 * Reads a text left to right, taking the longest lexicon phrase at each word; words the lexicon does not
 * know come back with `entries: []`. Words with no meaning for search are dropped, and so is whatever a
 * negation excludes ("not sweet", "без дуба"): a search must not look for it.
 */
export function analyze(text: string): PhraseMatch[] {
  const matches: PhraseMatch[] = [];
  let negated = false;
  for (const phrase of readTerms(text, 'search').phrases) {
    const words = phrase.tokens.map((token) => token.text);
    if (phrase.afterBreak) negated = false;
    if (phrase.values.length === 0) {
      matches.push({ words, entries: [] });
      negated = false;
      continue;
    }
    if (phrase.values.some((sense) => sense.role === 'negation')) {
      negated = true;
      continue;
    }
    const found = phrase.values.map(entryOf).filter((entry): entry is VocabularyEntry => entry !== null);
    if (found.length === 0) continue;
    if (!negated) matches.push({ words, entries: [...new Set(found)] });
    negated = false;
  }
  return matches;
}

/**
 * Filter values recur on every search ("red", "beef", "France"); their vocabulary lookups are kept. A memo
 * over the bundled lexicon, the same for every catalog; bounded by bytes, as a filter value is any text.
 */
const wholeTermEntries = moduleCache<string, readonly VocabularyEntry[]>('catalog/vocabulary.wholeTermEntries', 1000, { maxBytes: 1024 * 1024 });

/** Entries whose pattern covers the whole text ("Пино Нуар", "Бордо", "стейку"), for filter values. */
export function entriesForWholeTerm(text: string): VocabularyEntry[] {
  const found = wholeTermEntries.through(text, (term) => {
    const matches = analyze(term);
    return matches.length === 1 ? (matches[0]?.entries ?? []) : [];
  });
  // A copy: callers may sort or extend their list without touching the cached one.
  return [...found];
}

const PAIRING_CATEGORIES = new Set(Object.keys(PAIRINGS).map(fold));

/** Whether a folded term is itself one of the catalog's pairing categories ("game meat", "lean fish"). */
export function isPairingCategory(folded: string): boolean {
  return PAIRING_CATEGORIES.has(folded);
}

/** English food words for a pairing category, so a wine paired with "Shellfish" is found by "oysters". */
export function foodWordsForPairing(pairingKey: string): string[] {
  const found = new Set<string>();
  for (const food of FOODS) {
    const pairings = food.search.pairings.map(fold);
    if (!pairings.includes(pairingKey)) continue;
    // Broad entries ("meat" → five categories) would tag every wine; only the specific ones describe it.
    if (pairings.length > 3 && pairings[0] !== pairingKey) continue;
    for (const pattern of [...food.words, ...(food.searchOnly ?? [])]) {
      // Single words: the words of a phrase ("white" of "white meat") would describe the wine wrongly.
      if (/^[a-z]+$/.test(pattern)) found.add(pattern);
    }
  }
  return [...found];
}
