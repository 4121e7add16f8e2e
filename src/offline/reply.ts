/**
 * The final answer: 3–5 wines from the tool results that meet the request, or an honest explanation. This
 * module decides what to say; ./ranking.ts which wines, ./names.ts that no line names a wine it is not
 * about, and ./wording how it reads in Russian or English.
 */
import type { WineType } from '../catalog/index.js';
import {
  describeFood,
  pairingSatisfied,
  PAIRINGS,
  sweetnessOfWine,
  type ConstraintKey,
  type ConversationReading,
  type RequestConstraints,
} from '../understanding/index.js';
import { WineNames } from './names.js';
import { answerQuestion } from './questions.js';
import { ENOUGH, gatherCandidates, MAX_LISTED, pickVaried, rankCandidates, wantsLowPrice, type Candidate } from './ranking.js';
import type { ToolRound } from './transcript.js';
import { stableHash, wordingFor, type FoodName, type LineDetail, type NearMiss, type Opening, type RequestSummary, type Wording } from './wording/index.js';

export { ENOUGH, gatherCandidates, type Candidate } from './ranking.js';

export interface ReplyInput {
  reading: ConversationReading;
  rounds: ToolRound[];
  earlierReplies: string[];
  /** The latest user message, used to vary wording deterministically. */
  message: string;
  /** `gatherCandidates` of these rounds when the caller already has them. */
  candidates?: Candidate[];
}

export interface ComposedReply {
  text: string;
  /** Ids of the wines the reply recommends, in order. */
  wineIds: number[];
}

const SWEET_TYPES: readonly WineType[] = ['dessert', 'port'];

/** The request in the catalog's terms, for the wording's summary phrase. */
function summarize(c: RequestConstraints, food: FoodName | null, withGrapeAndRegion: boolean): RequestSummary {
  const sweet = c.sweetness === 'sweet';
  const types = sweet ? (c.types ?? []).filter((type) => !SWEET_TYPES.includes(type)) : (c.types ?? []);
  const dry = c.sweetness === 'dry';
  // Sweet wines left out because of "dry" or a savoury dish are said by "dry" (or not at all), not listed.
  const excludedTypes = (c.excludeTypes ?? []).filter((type) => !((dry || c.avoidSweet) && SWEET_TYPES.includes(type)) && !types.includes(type));
  return {
    bodies: c.types?.length === 1 && c.types[0] === 'port' ? undefined : c.body,
    acidity: c.acidity?.length === 1 ? c.acidity[0] : undefined,
    dry,
    sweet: sweet && types.length > 0,
    types,
    grape: withGrapeAndRegion ? c.grape : undefined,
    country: c.country,
    region: withGrapeAndRegion ? c.region : undefined,
    minAbv: c.minAbv,
    maxAbv: c.maxAbv,
    minRating: c.minRating,
    food,
    occasions: c.occasions ?? [],
    excludedTypes,
    excludedGrapes: c.excludeGrapes ?? [],
    excludedCountries: c.excludeCountries ?? [],
    excludedRegions: c.excludeRegions ?? [],
  };
}

const DETAIL_LEVELS: LineDetail[] = [
  { grapes: true, region: true, pairings: true, type: true, winery: true },
  { grapes: true, region: false, pairings: true, type: true, winery: true },
  { grapes: false, region: true, pairings: true, type: true, winery: true },
  { grapes: false, region: false, pairings: true, type: true, winery: true },
  { grapes: false, region: false, pairings: true, type: false, winery: true },
  { grapes: false, region: false, pairings: false, type: false, winery: true },
  { grapes: false, region: false, pairings: false, type: false, winery: false },
];

/** Constraints a line does not repeat: sweetness it already says, prices the catalog does not have. */
function shownDifferences(keys: readonly ConstraintKey[], pricesKnown: boolean): ConstraintKey[] {
  return keys.filter((key) => key !== 'sweet' && (pricesKnown || key !== 'price'));
}

function wineLine(index: number, candidate: Candidate, c: RequestConstraints, food: FoodName | null, words: Wording, names: WineNames, pricesKnown: boolean): string {
  const { wine } = candidate;
  const core = shownDifferences(candidate.core, pricesKnown);
  const soft = shownDifferences(candidate.soft, pricesKnown);
  const matched = c.pairing !== undefined && food !== null && pairingSatisfied(c.pairing, wine.pairings);
  const accepted = c.pairing ? (PAIRINGS[c.pairing]?.satisfiedBy ?? [c.pairing]) : [];
  const others = wine.pairings.filter((p) => !accepted.includes(p)).slice(0, matched ? 2 : 3);
  return names.firstSafe(
    DETAIL_LEVELS.map((detail) => () =>
      words.wineLine({
        index,
        wine,
        detail,
        showAcidity: Boolean(c.acidity?.length) || wine.acidity === 'high',
        sweet: sweetnessOfWine(wine) === 'sweet',
        matchedFood: detail.pairings && matched ? food : null,
        otherPairings: detail.pairings ? others : [],
        differs: core.length ? { core: true, keys: core } : soft.length ? { core: false, keys: soft } : null,
        food,
      }),
    ),
    wine,
  );
}

/** Most alternatives a near-miss answer names per constraint. */
const NEAR_MISS_VALUES = 3;

/** The values the nearest wines have instead, for each core constraint they alone break. */
function nearMissOf(ranked: readonly Candidate[], summary: string, food: FoodName | null): NearMiss {
  const distinct = <T>(values: readonly (T | null)[]): T[] =>
    [...new Set(values.filter((value): value is T => value !== null))].slice(0, NEAR_MISS_VALUES);
  const breaking = (key: ConstraintKey) => ranked.filter((x) => x.core.length === 1 && x.core[0] === key).map((x) => x.wine);
  const alternatives: NearMiss['alternatives'][number][] = [];
  const countries = distinct(breaking('country').map((wine) => wine.country));
  if (countries.length) alternatives.push({ key: 'country', countries });
  const types = distinct(breaking('type').map((wine) => wine.type));
  if (types.length) alternatives.push({ key: 'type', types });
  const grapes = distinct(breaking('grape').map((wine) => wine.grapes[0] ?? null));
  if (grapes.length) alternatives.push({ key: 'grape', grapes });
  const bodies = distinct(breaking('body').map((wine) => wine.body));
  if (bodies.length) alternatives.push({ key: 'body', bodies });
  if (breaking('pairing').length) alternatives.push({ key: 'pairing' });
  if (breaking('sweetness').length) alternatives.push({ key: 'sweetness' });
  return { summary, food, alternatives };
}

function dominantType(listed: Candidate[]): WineType | null {
  const counts = new Map<WineType, number>();
  for (const { wine } of listed) if (wine.type) counts.set(wine.type, (counts.get(wine.type) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/** Which constraints to suggest dropping, least important first. */
function broadenKeys(c: RequestConstraints): ConstraintKey[] {
  const keys: ConstraintKey[] = [];
  if (c.region) keys.push('region');
  if (c.minRating !== undefined) keys.push('rating');
  if (c.minAbv !== undefined || c.maxAbv !== undefined) keys.push('abv');
  if (c.acidity?.length) keys.push('acidity');
  if (c.body?.length) keys.push('body');
  if (c.sweetness) keys.push('sweetness');
  if (c.grape) keys.push('grape');
  if (c.country) keys.push('country');
  if (c.pairing) keys.push('pairing');
  if (c.types?.length) keys.push('type');
  return keys;
}

export function composeReply(input: ReplyInput): ComposedReply {
  const { reading, rounds } = input;
  const c = reading.constraints;
  const words = wordingFor(c.language);
  const seed = stableHash(input.message);
  const calls = rounds.flatMap((round) => round.calls);
  // Asked to answer before any search ran: say so rather than claim the catalog has nothing.
  if (calls.length === 0) return { text: words.noSearch(), wineIds: [] };
  const candidates = input.candidates ?? gatherCandidates(rounds, c, input.earlierReplies);
  if (candidates.length === 0 && calls.every((call) => call.error !== null)) return { text: words.catalogDown(), wineIds: [] };
  if (c.question) return answerQuestion(c.question, rounds, words);

  const food = c.pairing ? describeFood(c.foodWords, c.pairing) : null;
  const structured = calls.some((call) => call.name === 'search_wines' && call.args && Object.keys(call.args).some((k) => !['sort', 'limit'].includes(k)));
  const semanticLed = !structured && calls.some((call) => call.name === 'semantic_search' && call.wines.length > 0);
  const pricesKnown = candidates.some((x) => x.wine.price !== null);
  // "Cheaper" without prices: a famous Grand Cru is never the answer.
  const cheapBlind = wantsLowPrice(c) && !pricesKnown;
  const ranked = rankCandidates(candidates, c, semanticLed).filter((x) => !(cheapBlind && x.prestige));
  const prestigeLeftOut = cheapBlind && candidates.some((x) => x.prestige);
  const fitting = ranked.filter((x) => x.core.length === 0);
  const listed = pickVaried(fitting, MAX_LISTED);
  const names = new WineNames(candidates.map((x) => x.wine));
  const summary = names.firstSafe([() => words.request(summarize(c, food, true)), () => words.request(summarize(c, food, false))], null, 'first');
  const exact = fitting.filter((x) => shownDifferences(x.soft, pricesKnown).length === 0).length;

  const notes: string[] = [];
  if ((reading.priceAsked || wantsLowPrice(c) || c.minPrice !== undefined) && !pricesKnown) {
    const budget = c.maxPrice !== undefined || c.minPrice !== undefined ? { max: c.maxPrice, min: c.minPrice, currency: c.currency } : null;
    notes.push(words.noPrices({ budget, prestigeLeftOut }));
  }
  if (c.unsupported?.length) notes.push(words.unsupported(c.unsupported));

  if (listed.length === 0) {
    // Nothing meets the request: say so, and say what the catalog has instead without naming a bottle the
    // person did not ask for.
    const nearMiss = nearMissOf(ranked, summary, food);
    const text = nearMiss.alternatives.length > 0 ? words.nearMiss(nearMiss) : words.nothingFound(summary, words.broaden(broadenKeys(c)));
    return { text: [text, ...notes].join('\n'), wineIds: [] };
  }

  const described = summary !== words.bareRequest;
  const semanticFoundNothing =
    calls.some((call) => call.name === 'semantic_search') && calls.every((call) => call.name !== 'semantic_search' || call.wines.length === 0);
  const unsure = !described && semanticFoundNothing && !structured;
  let opening: Opening;
  if (fitting.length >= ENOUGH || (fitting.length > 0 && !described)) {
    if (unsure) opening = { kind: 'unsure' };
    else if (!described) opening = { kind: 'general', occasions: c.occasions ?? [] };
    else if (exact < ENOUGH) opening = { kind: 'widened', summary };
    else opening = { kind: 'matches', summary, seed };
  } else {
    opening = { kind: 'onlyFew', summary, count: fitting.length };
  }

  const lines = listed.map((candidate, i) => wineLine(i + 1, candidate, c, food, words, names, pricesKnown));
  if (reading.wantsOthers && listed.every((x) => x.repeated)) notes.push(words.noOthers());
  if (fitting.length < ENOUGH) notes.push(words.broaden(broadenKeys(c)));
  if (unsure) notes.push(words.describeMore());

  const closing: string[] = [];
  const type = dominantType(listed);
  if (type) closing.push(words.servingTip(type));
  if (fitting.length >= ENOUGH && !unsure) closing.push(words.invitation(seed >>> 3));

  const text = [words.opening(opening), '', ...lines, '', ...notes, closing.join(' ')]
    .filter((part, i, all) => part !== '' || (all[i - 1] ?? '') !== '')
    .join('\n')
    .trim();
  return { text, wineIds: listed.map((x) => x.wine.id) };
}
