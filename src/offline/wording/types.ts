/**
 * What the offline engine says, behind one interface with a Russian and an English implementation. The
 * reply logic decides what to say in language-neutral terms (which wines, which caveats, which notes); a
 * `Wording` decides how it reads.
 */
import type { Occasion, UnsupportedTopic, WineTopic } from '../../catalog/lexicon/index.js';
import type { Acidity, Body, WineType } from '../../catalog/index.js';
import type { ConstraintKey, Language, SmallTalk } from '../../understanding/index.js';
import type { ToolWine } from '../transcript.js';

/** A dish as the person named it ("к стейку", "steak"). */
export interface FoodName {
  ruTo: string;
  en: string;
}

/** The request in the catalog's terms, for a summary phrase ("полнотелое красное из Италии к баранине"). */
export interface RequestSummary {
  bodies?: readonly Body[];
  acidity?: Acidity;
  dry: boolean;
  /** A sweet red or white (a sweet type alone is already named by its type). */
  sweet: boolean;
  types: readonly WineType[];
  grape?: string;
  country?: string;
  region?: string;
  minAbv?: number;
  maxAbv?: number;
  minRating?: number;
  food: FoodName | null;
  occasions: readonly Occasion[];
  excludedTypes: readonly WineType[];
  /** Left out by name: "не совиньон", "not from France", "not Champagne". */
  excludedGrapes: readonly string[];
  excludedCountries: readonly string[];
  excludedRegions: readonly string[];
}

/** How much a wine line says; less detail when a detail would name another wine. */
export interface LineDetail {
  grapes: boolean;
  region: boolean;
  pairings: boolean;
  /** "Red", "Rosé": dropped when a wine is called just that ("Rosé" by Hampton Water). */
  type: boolean;
  winery: boolean;
}

export interface WineLine {
  index: number;
  wine: ToolWine;
  detail: LineDetail;
  showAcidity: boolean;
  /** Sweet by type or name: said in so many words. */
  sweet: boolean;
  /** The asked-for dish, when the wine is listed for it. */
  matchedFood: FoodName | null;
  /** Other dataset pairings to mention. */
  otherPairings: readonly string[];
  /** How the wine differs from the request: `core` when it breaks something a person checks on the label. */
  differs: { core: boolean; keys: readonly ConstraintKey[] } | null;
  /** The asked-for dish, for "not listed for …". */
  food: FoodName | null;
}

/**
 * When nothing meets the request, what the catalog has if one constraint is given up, grouped by that
 * constraint: the countries, types, grapes or bodies the nearest wines have instead.
 */
export interface NearMiss {
  summary: string;
  food: FoodName | null;
  alternatives: readonly (
    | { key: 'country'; countries: readonly string[] }
    | { key: 'region'; regions: readonly string[] }
    | { key: 'type'; types: readonly WineType[] }
    | { key: 'grape'; grapes: readonly string[] }
    | { key: 'body'; bodies: readonly Body[] }
    | { key: 'pairing' }
    | { key: 'sweetness' }
  )[];
}

export type Opening =
  /** Nothing was understood and semantic search found nothing: best-rated wines. */
  | { kind: 'unsure' }
  /** Nothing structured was asked for. */
  | { kind: 'general'; occasions: readonly Occasion[] }
  /** Enough wines fit the core of the request, few fit everything: the search was widened. */
  | { kind: 'widened'; summary: string }
  | { kind: 'matches'; summary: string; seed: number }
  | { kind: 'onlyFew'; summary: string; count: number };

/** What a price note can say. */
export interface PriceNote {
  /** The budget the person named, if any. */
  budget: { min?: number; max?: number; currency?: string } | null;
  /** Famously expensive wines were left out. */
  prestigeLeftOut: boolean;
}

/** What the catalog's best wines of a grape show (for a general question about grapes). */
export interface GrapeFacts {
  grape: string;
  /** How many of its wines the search returned. */
  seen: number;
  /** The most common body among them. */
  body: Body | null;
  /** The most common pairings (dataset names). */
  pairings: readonly string[];
  countries: readonly string[];
  example: ToolWine | null;
}

export interface Wording {
  readonly language: Language;
  /** The request in a few words; "вино"/"wine" when nothing but a wine was asked for. */
  request(summary: RequestSummary): string;
  /** The summary that says nothing beyond "wine". */
  readonly bareRequest: string;
  wineLine(line: WineLine): string;
  opening(opening: Opening): string;
  nothingFound(summary: string, broaden: string): string;
  /** Suggests dropping the given constraints, least important first. */
  broaden(keys: readonly ConstraintKey[]): string;
  noPrices(note: PriceNote): string;
  noOthers(): string;
  describeMore(): string;
  unsupported(topics: readonly UnsupportedTopic[]): string;
  servingTip(type: WineType): string;
  invitation(seed: number): string;
  smallTalk(kind: SmallTalk): string;
  /** Nothing matches; what the catalog has instead, without naming wines. */
  nearMiss(nearMiss: NearMiss): string;
  /** Asked to answer before any search ran. */
  noSearch(): string;
  catalogDown(): string;
  compareGrapes(a: GrapeFacts, b: GrapeFacts): string;
  /** Two place-named styles (Champagne and Prosecco); `grape` holds the style's region. */
  compareStyles(a: GrapeFacts, b: GrapeFacts): string;
  aboutGrape(facts: GrapeFacts): string;
  aboutTopic(topic: WineTopic | UnsupportedTopic): string;
}
