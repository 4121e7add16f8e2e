import { foldedWords } from '../../catalog/normalize.js';
import type { WineType } from '../../catalog/types.js';
import {
  CORE_CONSTRAINTS,
  constraintViolations,
  describeFood,
  pairingSatisfied,
  PAIRINGS,
  type ConstraintKey,
  type ConversationReading,
  type Language,
  type RequestConstraints,
} from '../../understanding/index.js';
import { BoundedCache } from '../../understanding/memo.js';
import { stableHash } from '../../understanding/text.js';
import {
  acidityLabel,
  bodyLabel,
  bodyRangeLabel,
  broadenHint,
  capitalize,
  countryName,
  formatCount,
  formatNumber,
  fromPlace,
  grapeName,
  joinList,
  pairingPhrase,
  ruPlural,
  servingTip,
  typeLabel,
} from './phrases.js';
import type { ToolRound, ToolWine } from './transcript.js';

/** How many wines a reply lists at most (the brief: 3–5). */
export const MAX_LISTED = 4;
/** Fewer wines than this that meet everything means "say so honestly". */
export const ENOUGH = 3;

export interface Candidate {
  wine: ToolWine;
  /** Every constraint it breaks. */
  broken: ConstraintKey[];
  core: ConstraintKey[];
  soft: ConstraintKey[];
  /** Position in semantic-search results, Infinity when not found there. */
  semanticRank: number;
  fromStructured: boolean;
  /** Already recommended earlier in the conversation. */
  repeated: boolean;
  /** Shares its name with a wine that breaks the request, so the name alone would be ambiguous. */
  ambiguous: boolean;
  order: number;
}

/**
 * Wine names, producers and earlier replies are folded again on every model call of every turn of a
 * session; the same few hundred strings recur, so their folded forms are kept.
 */
const foldedNames = new BoundedCache<string, string>(4000);
const foldedReplies = new BoundedCache<string, string>(500);
/** Candidate lines: the same wine in the same wording recurs whenever a popular request comes again. */
const foldedLines = new BoundedCache<string, string>(4000);

/** Names and lines are compared as folded words, the form the agent loop finds names in a reply by. */
const foldWith = (cache: BoundedCache<string, string>, text: string): string => cache.through(text, foldedWords);

const foldKnown = (name: string): string => foldWith(foldedNames, name);

/** Same as folding the replies joined by newlines: a newline only ever becomes the space between them. */
function foldReplies(replies: string[]): string {
  return replies
    .map((reply) => foldWith(foldedReplies, reply))
    .filter((folded) => folded !== '')
    .join(' ');
}

/** Gathers the wines of this turn's tool results, each judged against the request. */
export function gatherCandidates(rounds: ToolRound[], c: RequestConstraints, earlierReplies: string[]): Candidate[] {
  const byId = new Map<number, Candidate>();
  const earlier = ` ${foldReplies(earlierReplies)} `;
  let order = 0;
  for (const round of rounds) {
    for (const call of round.calls) {
      call.wines.forEach((wine, rank) => {
        const known = byId.get(wine.id);
        const semantic = call.name === 'semantic_search';
        if (known) {
          if (semantic) known.semanticRank = Math.min(known.semanticRank, rank);
          else known.fromStructured = true;
          return;
        }
        const broken = constraintViolations(wine, c);
        const name = foldKnown(wine.name);
        byId.set(wine.id, {
          wine,
          broken,
          core: broken.filter((key) => CORE_CONSTRAINTS.includes(key)),
          soft: broken.filter((key) => !CORE_CONSTRAINTS.includes(key)),
          semanticRank: semantic ? rank : Infinity,
          fromStructured: !semantic,
          repeated: name.length > 0 && earlier.includes(` ${name} `),
          ambiguous: false,
          order: order++,
        });
      });
    }
  }
  const candidates = [...byId.values()];
  const names = candidates.map((candidate) => foldKnown(candidate.wine.name));
  candidates.forEach((candidate, i) => {
    candidate.ambiguous = candidates.some(
      (other, j) => other !== candidate && other.core.length > 0 && names[j] === names[i],
    );
  });
  return candidates;
}

/**
 * A rating backed by few votes says less: shrink it towards a typical score so 4.8 from 13 people does not
 * outrank 4.8 from 600.
 */
const PRIOR_RATING = 3.7;
const PRIOR_VOTES = 10;
function credibleRating(wine: ToolWine): number {
  if (wine.rating === null) return -1;
  if (wine.ratingCount === null) return wine.rating;
  const votes = Math.max(0, wine.ratingCount);
  return (wine.rating * votes + PRIOR_RATING * PRIOR_VOTES) / (votes + PRIOR_VOTES);
}

function sortValue(wine: ToolWine, c: RequestConstraints): number[] {
  const rating = credibleRating(wine);
  switch (c.sort) {
    case 'popularity':
      return [-(wine.ratingCount ?? 0), -rating];
    case 'abv_asc':
      return [wine.abv ?? Infinity, -rating];
    case 'abv_desc':
      return [-(wine.abv ?? -Infinity), -rating];
    case 'price_asc':
      return [wine.price ?? Infinity, -rating];
    case 'price_desc':
      return [-(wine.price ?? -Infinity), -rating];
    default:
      return [-rating, -(wine.ratingCount ?? 0)];
  }
}

function compareTuples(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Best first: fewest broken constraints, not repeated, then the person's own ordering. */
/** Spirits filed as dessert wines in the dataset (grappa at 45%) are not what a wine request means. */
const SPIRIT_ABV = 24;

export function rankCandidates(candidates: Candidate[], c: RequestConstraints, semanticLed: boolean): Candidate[] {
  const wantsStrong = c.sort === 'abv_desc' || (c.minAbv ?? 0) >= SPIRIT_ABV;
  const key = (x: Candidate): number[] => [
    x.core.length,
    !wantsStrong && (x.wine.abv ?? 0) > SPIRIT_ABV ? 1 : 0,
    // A broken type or food is worse than a broken grape or country for a near-miss alternative.
    x.core.includes('type') || x.core.includes('pairing') ? 1 : 0,
    x.soft.length,
    x.repeated ? 1 : 0,
    x.ambiguous ? 1 : 0,
    ...(semanticLed ? [x.semanticRank === Infinity ? 1 : 0, Math.min(x.semanticRank, 1e6)] : [c.freeText && x.semanticRank === Infinity ? 1 : 0]),
    ...sortValue(x.wine, c),
    x.order,
  ];
  return [...candidates].sort((a, b) => compareTuples(key(a), key(b)));
}

/** Picks up to `max`, preferring variety of producers when there is enough to choose from. */
function pickVaried(ranked: Candidate[], max: number): Candidate[] {
  const picked: Candidate[] = [];
  const seen = new Set<string>();
  const perWinery = new Map<string, number>();
  for (const pass of [1, 2]) {
    for (const candidate of ranked) {
      if (picked.length >= max) break;
      if (picked.includes(candidate)) continue;
      const identity = `${foldKnown(candidate.wine.name)}|${foldKnown(candidate.wine.winery ?? '')}`;
      if (seen.has(identity)) continue;
      const winery = foldKnown(candidate.wine.winery ?? `#${candidate.wine.id}`);
      if (pass === 1 && (perWinery.get(winery) ?? 0) >= 1) continue;
      picked.push(candidate);
      seen.add(identity);
      perWinery.set(winery, (perWinery.get(winery) ?? 0) + 1);
    }
  }
  return picked;
}

// ---------------------------------------------------------------------------------------------------
// Wording

interface Wording {
  language: Language;
  c: RequestConstraints;
  food: { ruTo: string; en: string } | null;
  seed: number;
}

const choose = <T>(options: readonly T[], seed: number): T => options[seed % options.length] as T;

function article(phrase: string): string {
  return /^[aeiou]/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`;
}

/** The request in a few words: "полнотелое сухое красное вино из Италии к баранине". */
export function describeRequest(w: Wording, options: { grape: boolean; place: boolean } = { grape: true, place: true }): string {
  const { c, language } = w;
  const types = c.types ?? [];
  const dry = Boolean(c.excludeTypes?.includes('dessert') && c.excludeTypes.includes('port') && !types.some((t) => t === 'dessert' || t === 'port'));
  const onlyPort = types.length === 1 && types[0] === 'port';
  const sweetPair = types.length === 2 && types.includes('dessert') && types.includes('port');
  const otherExcluded = (c.excludeTypes ?? []).filter((t) => !dry || (t !== 'dessert' && t !== 'port'));
  const parts: string[] = [];
  if (language === 'ru') {
    if (!onlyPort && c.body?.length) parts.push(bodyRangeLabel(c.body, 'ru'));
    if (!onlyPort && dry) parts.push('сухое');
    if (sweetPair) parts.push('десертное');
    else if (!onlyPort && types.length) parts.push(types.map((t) => typeLabel(t, 'ru')).join(' или '));
    parts.push(options.grape && c.grape ? grapeName(c.grape, 'ru') : onlyPort ? 'портвейн' : 'вино');
    if (c.acidity?.length === 1 && c.acidity[0]) parts.push(acidityLabel(c.acidity[0], 'ru'));
    if (options.place) {
      const place = fromPlace(c.country, c.region, 'ru');
      if (place) parts.push(place);
    } else if (c.country) parts.push(fromPlace(c.country, undefined, 'ru'));
    if (c.minAbv !== undefined && c.maxAbv !== undefined) parts.push(`крепостью ${formatNumber(c.minAbv, 'ru')}–${formatNumber(c.maxAbv, 'ru')}%`);
    else if (c.maxAbv !== undefined) parts.push(`крепостью до ${formatNumber(c.maxAbv, 'ru')}%`);
    else if (c.minAbv !== undefined) parts.push(`крепостью от ${formatNumber(c.minAbv, 'ru')}%`);
    if (c.minRating !== undefined) parts.push(`с оценкой от ${formatNumber(c.minRating, 'ru')}`);
    if (w.food) parts.push(`к ${w.food.ruTo}`);
    let text = parts.join(' ');
    if (otherExcluded.length) text += `, но не ${otherExcluded.map((t) => typeLabel(t, 'ru')).join(' и не ')}`;
    return text;
  }
  if (c.body?.length) parts.push(bodyRangeLabel(c.body, 'en'));
  if (c.acidity?.length === 1 && c.acidity[0]) parts.push({ high: 'crisp', medium: 'balanced', low: 'soft' }[c.acidity[0]]);
  if (dry) parts.push('dry');
  if (sweetPair) parts.push('sweet wine');
  else if (types.length) parts.push(types.map((t) => typeLabel(t, 'en')).join(' or '));
  const typeIsNoun = sweetPair || (types.length > 0 && types.every((t) => t === 'dessert' || t === 'port'));
  if (options.grape && c.grape) parts.push(c.grape);
  else if (!typeIsNoun) parts.push('wine');
  if (options.place) {
    const place = fromPlace(c.country, c.region, 'en');
    if (place) parts.push(place);
  } else if (c.country) parts.push(fromPlace(c.country, undefined, 'en'));
  if (c.minAbv !== undefined && c.maxAbv !== undefined) parts.push(`at ${formatNumber(c.minAbv, 'en')}–${formatNumber(c.maxAbv, 'en')}% ABV`);
  else if (c.maxAbv !== undefined) parts.push(`under ${formatNumber(c.maxAbv, 'en')}% ABV`);
  else if (c.minAbv !== undefined) parts.push(`of at least ${formatNumber(c.minAbv, 'en')}% ABV`);
  if (c.minRating !== undefined) parts.push(`rated ${formatNumber(c.minRating, 'en')}+`);
  if (w.food) parts.push(`to go with ${w.food.en}`);
  let text = parts.join(' ');
  if (otherExcluded.length) text += `, but not ${otherExcluded.map((t) => typeLabel(t, 'en')).join(' or ')}`;
  return text;
}

function grapesText(wine: ToolWine, language: Language): string {
  const grapes = wine.grapes.slice(0, 3).map((g) => grapeName(g, language));
  if (grapes.length === 0) return '';
  const more = wine.grapes.length > 3 ? (language === 'ru' ? ' и др.' : ' and others') : '';
  if (grapes.length === 1) return grapes[0] ?? '';
  return language === 'ru' ? `купаж: ${joinList(grapes, 'ru')}${more}` : `a blend of ${joinList(grapes, 'en')}${more}`;
}

function placeText(wine: ToolWine, language: Language, withRegion: boolean): string {
  const country = wine.country ? countryName(wine.country, language) : '';
  const region = withRegion ? wine.region ?? '' : '';
  if (language === 'ru') return [country, region].filter(Boolean).join(', ');
  return [region, country].filter(Boolean).join(', ');
}

function violationText(key: ConstraintKey, wine: ToolWine, w: Wording): string {
  const ru = w.language === 'ru';
  switch (key) {
    case 'type':
      return wine.type ? (ru ? `это ${typeLabel(wine.type, 'ru')}` : `it is ${wine.type === 'port' || wine.type === 'dessert' ? article(typeLabel(wine.type, 'en')) : `a ${typeLabel(wine.type, 'en')}`}`) : ru ? 'другой тип' : 'a different type';
    case 'country':
      return ru ? `страна — ${wine.country ? countryName(wine.country, 'ru') : 'не указана'}` : `from ${wine.country ?? 'elsewhere'}`;
    case 'region':
      return ru ? `регион — ${wine.region ?? 'не указан'}` : `region: ${wine.region ?? 'not given'}`;
    case 'grape':
      return ru ? `сорт — ${wine.grapes.map((g) => grapeName(g, 'ru')).join(', ') || 'не указан'}` : `grapes: ${wine.grapes.join(', ') || 'not given'}`;
    case 'pairing':
      return ru ? `в рекомендациях к нему нет ${w.food ? `блюд вроде вашего` : 'этой еды'}` : `not specifically listed ${w.food ? `for ${w.food.en}` : 'for this food'}`;
    case 'body':
      return wine.body ? (ru ? `полнота — ${bodyLabel(wine.body, 'ru', wine.type)}` : bodyLabel(wine.body, 'en')) : ru ? 'полнота не указана' : 'body not given';
    case 'acidity':
      return wine.acidity ? acidityLabel(wine.acidity, w.language) : ru ? 'кислотность не указана' : 'acidity not given';
    case 'abv':
      return wine.abv !== null ? (ru ? `крепость ${formatNumber(wine.abv, 'ru')}%` : `${formatNumber(wine.abv, 'en')}% ABV`) : ru ? 'крепость не указана' : 'ABV not given';
    case 'rating':
      return wine.rating !== null ? (ru ? `оценка ${formatNumber(wine.rating, 'ru', 1, true)}` : `rated ${formatNumber(wine.rating, 'en', 1, true)}`) : ru ? 'без оценок' : 'no ratings yet';
    case 'price':
      return wine.price !== null ? (ru ? `цена ${formatNumber(wine.price, 'ru', 2)}` : `price ${formatNumber(wine.price, 'en', 2)}`) : ru ? 'цена не указана' : 'no listed price';
  }
}

interface LineDetail {
  grapes: boolean;
  region: boolean;
  pairings: boolean;
  winery: boolean;
}

/** One numbered line: name, producer, place, then why it fits, built only from catalog facts. */
function wineLine(index: number, candidate: Candidate, w: Wording, detail: LineDetail): string {
  const { wine } = candidate;
  const { language, c } = w;
  const ru = language === 'ru';
  const name = ru ? `«${wine.name}»` : wine.name;
  const where = placeText(wine, language, detail.region);
  const who = [detail.winery ? wine.winery : null, where].filter(Boolean).join(', ');
  const head = `${index}. ${name}${who ? ` — ${who}` : ''}.`;

  const style: string[] = [];
  if (wine.type) style.push(typeLabel(wine.type, language));
  if (wine.body) style.push(bodyLabel(wine.body, language, wine.type));
  if (wine.acidity && (c.acidity?.length || wine.acidity === 'high')) style.push(acidityLabel(wine.acidity, language));
  const grapes = detail.grapes ? grapesText(wine, language) : '';
  if (grapes) style.push(grapes);
  if (wine.abv !== null) style.push(ru ? `${formatNumber(wine.abv, 'ru')}%` : `${formatNumber(wine.abv, 'en')}% ABV`);
  const sentences: string[] = [];
  if (style.length) sentences.push(`${capitalize(style.join(', '))}.`);

  const why: string[] = [];
  if (detail.pairings && wine.pairings.length) {
    const matched = c.pairing && pairingSatisfied(c.pairing, wine.pairings);
    const accepted = c.pairing ? PAIRINGS[c.pairing]?.satisfiedBy ?? [c.pairing] : [];
    const others = wine.pairings.filter((p) => !accepted.includes(p)).slice(0, matched ? 2 : 3);
    if (matched && w.food) {
      const also = others.length ? (ru ? `, а также к ${joinList(others.map((p) => pairingPhrase(p, 'ru').slice(2)), 'ru')}` : `, and also with ${joinList(others.map((p) => pairingPhrase(p, 'en')), 'en')}`) : '';
      why.push(ru ? `Хорошо подойдёт к ${w.food.ruTo}${also}` : `Works well with ${w.food.en}${also}`);
    } else if (others.length) {
      why.push(ru ? `Подходит к ${joinList(others.map((p) => pairingPhrase(p, 'ru').slice(2)), 'ru')}` : `Pairs with ${joinList(others.map((p) => pairingPhrase(p, 'en')), 'en')}`);
    }
  }
  if (wine.rating !== null) {
    const count = wine.ratingCount ?? 0;
    const rating = formatNumber(wine.rating, language, 1, true);
    if (ru) {
      const votes = count > 0 ? ` (${formatCount(count, 'ru')} ${ruPlural(count, 'оценка', 'оценки', 'оценок')})` : '';
      why.push(`${why.length ? 'средняя оценка' : 'Средняя оценка'} ${rating} из 5${votes}`);
    } else {
      const votes = count > 0 ? ` by ${formatCount(count, 'en')} ${count === 1 ? 'drinker' : 'drinkers'}` : '';
      why.push(`${why.length ? 'rated' : 'Rated'} ${rating}/5${votes}`);
    }
  }
  if (why.length) sentences.push(`${why.join('; ')}.`);
  if (wine.price !== null) {
    const price = `${formatNumber(wine.price, language, 2)}${wine.currency ? ` ${wine.currency}` : ''}`;
    sentences.push(ru ? `Цена в каталоге: ${price}.` : `Catalog price: ${price}.`);
  }
  const differs = candidate.core.length ? candidate.core : candidate.soft;
  if (differs.length) {
    const list = differs.map((key) => violationText(key, wine, w)).join('; ');
    const lead = candidate.core.length ? (ru ? 'Отличие от запроса' : 'Differs from your request') : ru ? 'Чуть за рамками запроса' : 'Slightly outside the request';
    sentences.push(`${lead}: ${list}.`);
  }
  return `${head} ${sentences.join(' ')}`.trim();
}

/**
 * Whether `text` names a wine other than `own` (or names `own` a second time). Callers decide which wines
 * a reply recommends by finding their names in it, so a grape or region that happens to be another wine's
 * name ("Cabernet Sauvignon", "Barolo") would count as a recommendation.
 */
function namesOtherWines(text: string, own: ToolWine | null, names: WineNames): boolean {
  let haystack = ` ${foldWith(foldedLines, text)} `;
  const ownNeedle = own ? names.needleOf(own) : '';
  if (ownNeedle) {
    const at = haystack.indexOf(ownNeedle);
    if (at !== -1) haystack = `${haystack.slice(0, at)}${' '.repeat(ownNeedle.length)}${haystack.slice(at + ownNeedle.length)}`;
  }
  return names.entries.some(({ id, needle }) => id !== own?.id && haystack.includes(needle));
}

/**
 * The folded, space-padded names of this turn's wines, made once per reply: every candidate line is
 * checked against all of them, at several detail levels.
 */
class WineNames {
  readonly entries: { id: number; needle: string }[];

  constructor(wines: readonly ToolWine[]) {
    this.entries = wines.flatMap((wine) => {
      const name = foldKnown(wine.name);
      return name === '' ? [] : [{ id: wine.id, needle: ` ${name} ` }];
    });
  }

  needleOf(wine: ToolWine): string {
    const name = foldKnown(wine.name);
    return name === '' ? '' : ` ${name} `;
  }
}

const DETAIL_LEVELS: LineDetail[] = [
  { grapes: true, region: true, pairings: true, winery: true },
  { grapes: true, region: false, pairings: true, winery: true },
  { grapes: false, region: true, pairings: true, winery: true },
  { grapes: false, region: false, pairings: true, winery: true },
  { grapes: false, region: false, pairings: false, winery: true },
  { grapes: false, region: false, pairings: false, winery: false },
];

function safeLine(index: number, candidate: Candidate, w: Wording, wines: WineNames): string {
  for (const detail of DETAIL_LEVELS) {
    const line = wineLine(index, candidate, w, detail);
    if (!namesOtherWines(line, candidate.wine, wines)) return line;
  }
  return `${index}. ${w.language === 'ru' ? `«${candidate.wine.name}»` : candidate.wine.name}`;
}

function safeSummary(w: Wording, wines: WineNames): string {
  const full = describeRequest(w);
  if (!namesOtherWines(full, null, wines)) return full;
  return describeRequest(w, { grape: false, place: false });
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
  if (c.grape) keys.push('grape');
  if (c.country) keys.push('country');
  if (c.pairing) keys.push('pairing');
  if (c.types?.length) keys.push('type');
  return keys;
}

function broadenSentence(w: Wording): string {
  const hints = broadenKeys(w.c).slice(0, 2).map((key) => broadenHint(key, w.language));
  if (w.language === 'ru') {
    return hints.length
      ? `Если готовы рассмотреть ${hints.join(' или ')}, напишите — подберу ещё варианты.`
      : 'Опишите повод, блюдо или любимый стиль подробнее — и я поищу ещё.';
  }
  return hints.length
    ? `If you're open to ${hints.join(' or ')}, tell me and I'll find more.`
    : 'Tell me more about the occasion, the dish or the style you like and I will look again.';
}

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

/** The final answer: 3–5 wines from the tool results that meet the request, or an honest explanation. */
export function composeReply(input: ReplyInput): ComposedReply {
  const { reading, rounds } = input;
  const c = reading.constraints;
  const language = c.language;
  const ru = language === 'ru';
  const seed = stableHash(input.message);
  const w: Wording = { language, c, food: c.pairing ? describeFood(c.foodWords, c.pairing) : null, seed };

  const calls = rounds.flatMap((round) => round.calls);
  const candidates = input.candidates ?? gatherCandidates(rounds, c, input.earlierReplies);
  if (calls.length === 0) {
    // Asked to answer before any search ran: say so rather than claim the catalog has nothing.
    return {
      text: ru
        ? 'Сейчас я не могу заглянуть в каталог, поэтому не буду называть вина наугад. Попробуйте, пожалуйста, спросить ещё раз.'
        : "I can't look into the catalog right now, so I won't name wines at random. Please ask again in a moment.",
      wineIds: [],
    };
  }
  if (candidates.length === 0 && calls.every((call) => call.error !== null)) {
    return {
      text: ru
        ? 'Не получилось обратиться к каталогу вин — попробуйте, пожалуйста, ещё раз чуть позже.'
        : "I couldn't reach the wine catalog just now — please try again in a moment.",
      wineIds: [],
    };
  }

  const structured = calls.some((call) => call.name === 'search_wines' && call.args && Object.keys(call.args).some((k) => !['sort', 'limit'].includes(k)));
  const semanticLed = !structured && calls.some((call) => call.name === 'semantic_search' && call.wines.length > 0);
  const ranked = rankCandidates(candidates, c, semanticLed);
  const fitting = ranked.filter((x) => x.core.length === 0);
  const listed = fitting.length > 0 ? pickVaried(fitting, MAX_LISTED) : pickVaried(ranked, ENOUGH);
  const allWines = new WineNames(candidates.map((x) => x.wine));
  const summary = safeSummary(w, allWines);
  const exact = fitting.filter((x) => x.soft.length === 0).length;

  if (listed.length === 0) {
    const text = ru
      ? `К сожалению, в каталоге не нашлось ничего${summary && summary !== 'вино' ? ` под ваш запрос — ${summary}` : ' подходящего'}. ${broadenSentence(w)}`
      : `Sorry — I couldn't find anything in the catalog${summary && summary !== 'wine' ? ` for ${article(summary)}` : ' that fits'}. ${broadenSentence(w)}`;
    return { text, wineIds: [] };
  }

  const described = summary !== (ru ? 'вино' : 'wine');
  const words = c.occasion ?? c.freeText;
  const prepositional = /^(к|ко|на|для|с|со|под|в|во|for|to|on|at|with)\s/i.test(words);
  const occasion = !words || !described ? '' : prepositional ? ` ${words}` : ru ? `, с учётом пожелания «${words}»` : `, keeping "${words}" in mind`;
  const semanticFoundNothing = calls.some((call) => call.name === 'semantic_search') && calls.every((call) => call.name !== 'semantic_search' || call.wines.length === 0);
  let opening: string;
  if (fitting.length >= ENOUGH || (fitting.length > 0 && !described)) {
    if (!described && semanticFoundNothing) {
      opening = ru
        ? 'Не уверен, что правильно понял запрос, поэтому вот вина с самыми высокими оценками в каталоге:'
        : "I'm not sure I understood the request, so here are some of the best-rated wines in the catalog:";
    } else if (!described) {
      const about = !words ? '' : prepositional ? ` ${words}` : ru ? ` — под «${words}»` : ` for "${words}"`;
      opening = ru ? `Вот несколько вин, которые я бы посоветовал${about}:` : `Here are a few wines I'd recommend${about}:`;
    } else if (exact < ENOUGH) {
      opening = ru
        ? `Строго под все условия — ${summary}${occasion} — вариантов в каталоге мало, поэтому я немного расширил поиск (отличия отмечены у каждого вина):`
        : `Few wines in the catalog match every condition (${article(summary)}${occasion}), so I widened the search a little; the differences are noted for each wine:`;
    } else {
      opening = ru
        ? choose(
            [
              `С удовольствием! ${capitalize(summary)}${occasion} — вот что я нашёл в каталоге:`,
              `Подобрал для вас ${summary}${occasion}. Вот лучшие варианты из каталога:`,
              `Отличный запрос — ${summary}${occasion}. Вот что могу предложить:`,
            ],
            seed,
          )
        : choose(
            [
              `Happy to help! Here are my picks for ${article(summary)}${occasion}:`,
              `Here's what I'd pour for ${article(summary)}${occasion}:`,
              `Great request — ${article(summary)}${occasion}. Here's what the catalog has:`,
            ],
            seed,
          );
    }
  } else if (fitting.length > 0) {
    opening = ru
      ? `Точно под ваш запрос — ${summary} — в каталоге нашлось ${fitting.length === 1 ? 'только одно вино' : 'только два вина'}:`
      : `Only ${fitting.length === 1 ? 'one wine' : 'two wines'} in the catalog ${fitting.length === 1 ? 'matches' : 'match'} everything you asked for (${article(summary)}):`;
  } else {
    opening = ru
      ? `Точно под ваш запрос — ${summary} — в каталоге ничего не нашлось. Вот самые близкие варианты, с честными оговорками:`
      : `Nothing in the catalog matches ${article(summary)} exactly. Here are the closest options, with honest caveats:`;
  }

  const lines = listed.map((candidate, i) => safeLine(i + 1, candidate, w, allWines));
  const notes: string[] = [];
  if ((reading.priceAsked || c.maxPrice !== undefined || c.minPrice !== undefined) && listed.every((x) => x.wine.price === null)) {
    notes.push(
      ru
        ? 'Цен в каталоге нет, поэтому сравнить вина по стоимости я не могу — выбрал лучшие по остальным условиям.'
        : "The catalog has no prices, so I can't compare on cost; these are the best matches on everything else.",
    );
  }
  if (reading.wantsOthers && listed.every((x) => x.repeated)) {
    notes.push(ru ? 'Других вариантов под эти условия в каталоге нет.' : 'The catalog has no other wines for these conditions.');
  }
  if (fitting.length < ENOUGH) notes.push(broadenSentence(w));
  if (!described && semanticFoundNothing) {
    notes.push(
      ru
        ? 'Расскажите, к какому блюду или поводу нужно вино и какой стиль вам ближе, — подберу точнее.'
        : 'Tell me the dish or the occasion and the style you like, and I will narrow it down.',
    );
  }

  const closing: string[] = [];
  const type = dominantType(listed);
  if (type) closing.push(servingTip(type, language));
  if (fitting.length >= ENOUGH && !(!described && semanticFoundNothing)) {
    closing.push(
      ru
        ? choose(
            [
              'Если хотите, подберу что-то полегче, из другой страны или к другому блюду.',
              'Скажите, если нужно уточнить — по стране, сорту или блюду.',
              'Хотите другие варианты — просто скажите, что поменять.',
            ],
            seed >>> 3,
          )
        : choose(
            [
              'Want something lighter, from another country or for a different dish? Just say.',
              'Tell me if you would like to narrow it down by country, grape or dish.',
              'If none of these feel right, tell me what to change.',
            ],
            seed >>> 3,
          ),
    );
  }

  const text = [opening, '', ...lines, '', ...notes, closing.join(' ')].filter((part, i, all) => part !== '' || (all[i - 1] ?? '') !== '').join('\n').trim();
  return { text, wineIds: listed.map((x) => x.wine.id) };
}
