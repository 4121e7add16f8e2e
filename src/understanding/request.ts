import type { Occasion, UnsupportedTopic, WineTopic } from '../catalog/lexicon/index.js';
import type { Acidity, Body, WineFilters, WineType } from '../catalog/index.js';

export type Language = 'ru' | 'en';

/** Messages that ask for no wine: a greeting, thanks, or something else entirely ("what's the weather?"). */
export type SmallTalk = 'greeting' | 'thanks' | 'offTopic';

/** A general question about wine rather than a request for a bottle. */
export type WineQuestion =
  /** "What's the difference between Merlot and Cabernet Sauvignon?" (grapes as the dataset spells them). */
  | { kind: 'compare'; grapes: [string, string] }
  /** "Champagne or Prosecco?": two place-named styles, by the region the catalog files them under. */
  | { kind: 'compareStyles'; styles: [string, string] }
  /** "What is Malbec?", "расскажи про рислинг". */
  | { kind: 'grape'; grape: string }
  /** "What are tannins?", "при какой температуре подавать красное?" */
  | { kind: 'topic'; topic: WineTopic | UnsupportedTopic };

/**
 * What a person asked for, as hard constraints plus the words left for semantic search. ABV, rating,
 * price (only honoured when the catalog has prices; X-Wines has none) and an implied ordering
 * ("подешевле" → price_asc) are the catalog filter's own fields.
 */
export interface RequestConstraints
  extends Pick<WineFilters, 'minAbv' | 'maxAbv' | 'minRating' | 'minPrice' | 'maxPrice' | 'sort' | 'excludeGrapes' | 'excludeCountries' | 'excludeRegions'> {
  language: Language;
  types?: WineType[];
  /** "dry" excludes dessert and port, and so does a savoury dish nobody asked a sweet wine for. */
  excludeTypes?: WineType[];
  /** English, as in the dataset ("France"). */
  country?: string;
  region?: string;
  /** As the dataset spells it ("Pinot Noir", "Syrah/Shiraz"). */
  grape?: string;
  /** A canonical dataset pairing ("Beef", "Shellfish", "Cheese" for the whole cheese family). */
  pairing?: string;
  /** The food words the person actually used ("стейку", "oysters"). */
  foodWords: string[];
  body?: Body[];
  acidity?: Acidity[];
  /**
   * Sweetness the person asked for: "dry" rules sweet wines out (a white named Eiswein too), "sweet" wants
   * them. Off-dry is left to semantic search.
   */
  sweetness?: 'dry' | 'sweet';
  /**
   * Nobody asked for sweetness and nothing asked for is sweet by nature (a dessert, a port): sweet wines
   * go after the others and are flagged as sweet.
   */
  avoidSweet?: boolean;
  /** The currency a price limit was given in ("30 euros" → EUR). */
  currency?: string;
  /** What is left for semantic search once the structured parts are taken out; may be empty. */
  freeText: string;
  /** Occasions the person named ("на день рождения", "as a gift"), for search and for replies. */
  occasions?: Occasion[];
  /** Things asked about that the catalog has no data on ("without oak"): a reply says so. */
  unsupported?: UnsupportedTopic[];
  /** A general question about wine (then the rest describes its subject, not a request). */
  question?: WineQuestion;
}

/** Signals that say how a message relates to the conversation before it. */
export interface MessageSignals {
  /** Starts like a continuation ("а …", "what about …") or asks for more/other. */
  followUp: boolean;
  /** Asks for a wine in so many words ("вино из Грузии", "recommend a wine"): a request of its own. */
  asksForWine: boolean;
  lighter: boolean;
  heavier: boolean;
  stronger: boolean;
  weaker: boolean;
  cheaper: boolean;
  pricier: boolean;
  fresher: boolean;
  sweeter: boolean;
  drier: boolean;
  other: boolean;
  /** The whole message is a greeting or a thank-you, or is about something other than wine. */
  smallTalk: SmallTalk | null;
}

export interface MessageReading {
  constraints: RequestConstraints;
  signals: MessageSignals;
}

/** Whether any structured constraint was read (free text does not count). */
export function hasAnyConstraint(c: RequestConstraints): boolean {
  return (
    c.types !== undefined ||
    c.excludeTypes !== undefined ||
    c.excludeGrapes !== undefined ||
    c.excludeCountries !== undefined ||
    c.excludeRegions !== undefined ||
    c.country !== undefined ||
    c.region !== undefined ||
    c.grape !== undefined ||
    c.pairing !== undefined ||
    c.body !== undefined ||
    c.acidity !== undefined ||
    c.sweetness !== undefined ||
    c.minAbv !== undefined ||
    c.maxAbv !== undefined ||
    c.minRating !== undefined ||
    c.minPrice !== undefined ||
    c.maxPrice !== undefined ||
    c.sort !== undefined
  );
}

const CYRILLIC = /\p{Script=Cyrillic}/gu;
const LATIN = /\p{Script=Latin}/gu;

/** Cyrillic text is Russian; a few Latin grape names inside a Russian sentence do not make it English. */
export function detectLanguage(text: string): Language {
  const cyrillic = text.match(CYRILLIC)?.length ?? 0;
  if (cyrillic === 0) return 'en';
  const latin = text.match(LATIN)?.length ?? 0;
  return cyrillic * 2 >= latin ? 'ru' : 'en';
}

/** Whether the text has any letters at all (a bare "13%" says nothing about the language). */
export function hasLetters(text: string): boolean {
  return /\p{L}/u.test(text);
}
