import type { Acidity, Body, WineFilters, WineType } from '../catalog/types.js';
import {
  ACIDITIES_READ,
  BODIES_READ,
  COMPARATIVES,
  DRY_WORDS,
  FOLLOW_UP_OPENERS,
  GREETINGS,
  NEGATED_TYPES,
  SEMI_SWEETNESS,
  SORT_WORDS,
  SWEET_WORDS,
  THANKS,
  TYPES,
} from './style.js';
import { BoundedCache } from './memo.js';
import { normalize, parseNumber, Reading, unique } from './text.js';
import { COUNTRIES, FOODS, GRAPES, REGIONS } from './words.js';

export type Language = 'ru' | 'en';

/**
 * What a person asked for, as hard constraints plus the words left for semantic search. ABV, rating,
 * price (only honoured when the catalog has prices; X-Wines has none) and an implied ordering
 * ("подешевле" → price_asc) are the catalog filter's own fields.
 */
export interface RequestConstraints extends Pick<WineFilters, 'minAbv' | 'maxAbv' | 'minRating' | 'minPrice' | 'maxPrice' | 'sort'> {
  language: Language;
  types?: WineType[];
  /** "dry" excludes dessert and port. */
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
  /** What is left for semantic search once the structured parts are taken out; may be empty. */
  freeText: string;
  /** The same leftover in the person's own words ("к ужину с девушкой"), for replies; empty when none. */
  occasion?: string;
}

/** Signals that say how a message relates to the conversation before it. */
export interface MessageSignals {
  /** Starts like a continuation ("а …", "what about …") or asks for more/other. */
  followUp: boolean;
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
  /** The whole message is a greeting or a thank-you. */
  smallTalk: 'greeting' | 'thanks' | null;
}

export interface MessageReading {
  constraints: RequestConstraints;
  signals: MessageSignals;
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

const NUMBER = '(\\d{1,5}(?:[.,]\\d{1,2})?)';
const ABV_UNIT = '(?:%|процент\\p{L}*|градус\\p{L}*|град\\.?|°|abv|alc\\.?|alcohol|vol\\.?)';
const ABV_CONTEXT = '(?:крепост\\p{L}*|алкогол\\p{L}*|abv|alcohol)';
const LESS = '(?:до|не более|не больше|не выше|не крепче|менее|меньше|ниже|максимум|макс\\.?|under|below|less than|at most|up to|no more than|not more than|max(?:imum)?|<=?)';
const MORE = '(?:от|не менее|не меньше|не ниже|не слабее|более|больше|выше|крепче|минимум|мин\\.?|over|above|more than|at least|min(?:imum)?|from|>=?)';
const SEP = '[\\s:]*';

const re = (source: string) => new RegExp(`(?<![\\p{L}\\p{N}])${source}`, 'gu');

const ABV_RANGE = re(`(?:от\\s*|from\\s*|between\\s*)?${NUMBER}\\s*${ABV_UNIT}?\\s*(?:-|–|до|to|and)\\s*${NUMBER}\\s*${ABV_UNIT}`);
const ABV_MAX = re(`(?:${ABV_CONTEXT}${SEP})?${LESS}\\s*${NUMBER}\\s*${ABV_UNIT}`);
const ABV_MIN = re(`(?:${ABV_CONTEXT}${SEP})?${MORE}\\s*${NUMBER}\\s*${ABV_UNIT}`);
const ABV_MAX_CONTEXT_FIRST = re(`${ABV_CONTEXT}${SEP}${LESS}\\s*${NUMBER}`);
const ABV_MIN_CONTEXT_FIRST = re(`${ABV_CONTEXT}${SEP}${MORE}\\s*${NUMBER}`);
const ABV_EXACT = re(`${NUMBER}\\s*${ABV_UNIT}(?![\\p{L}\\p{N}])`);

const RATING_WORD = '(?:рейтинг\\p{L}*|оценк\\p{L}*|оценено|оценены|баллов|rating|rated|score|scored)';
const RATING_MIN = re(
  `${RATING_WORD}${SEP}(?:(?:выше|от|не ниже|не меньше|больше|более|above|over|of at least|at least|of|>=?|>)\\s*)?${NUMBER}\\s*(?:\\+|\\s*(?:и|or|and)\\s*(?:выше|больше|more|above|higher|up))?`,
);
const STARS_MIN = re(`${NUMBER}\\s*\\+?\\s*(?:звезд\\p{L}*|stars?)`);

const CURRENCY = '(?:руб\\p{L}*|р\\.|₽|\\$|usd|долл\\p{L}*|бакс\\p{L}*|евро|€|eur|euros?|bucks|dollars?)';
const PRICE_LESS = '(?:до|не дороже|дешевле|меньше|в пределах|under|below|less than|up to|max(?:imum)?|no more than|within)';
const PRICE_MORE = '(?:от|дороже|более|больше|over|above|more than|at least|from)';
const PRICE_RANGE = re(`(?:от\\s*)?[$€₽]?\\s*${NUMBER}\\s*${CURRENCY}?\\s*(?:-|–|до|to)\\s*[$€₽]?\\s*${NUMBER}\\s*${CURRENCY}`);
const PRICE_MAX = re(`${PRICE_LESS}\\s*(?:[$€₽]\\s*${NUMBER}|${NUMBER}\\s*${CURRENCY})`);
const PRICE_MIN = re(`${PRICE_MORE}\\s*(?:[$€₽]\\s*${NUMBER}|${NUMBER}\\s*${CURRENCY})`);

/** Words that carry no meaning for search once the structured parts are gone. */
const STOPWORDS = new Set(
  `посоветуй посоветуйте посоветовать посоветуете посоветуешь порекомендуй порекомендуйте порекомендовать порекомендуете
  порекомендуешь подскажете подскажешь предложите предложишь взять возьму возьмем взял налить открыть открою брать беру
  рекомендуешь рекомендуете
  рекомендация рекомендации подбери подберите подобрать подскажи подскажите предложи предложите помоги
  помогите хочу хотел хотела хотим хотелось хочется нужно нужен нужна нужны надо ищу ищем выбрать выбери
  купить найди найдите найти есть вино вина вину вином вине вин винцо винишко бутылка бутылку бутылки
  бутылочку что-нибудь что-то какое-нибудь какое-то какой-нибудь какое какой какую какие каких что мне нам
  меня нас для к ко под с со из и а или на в во по о об у но же ли бы пожалуйста плиз можно можешь
  можете это этот эта эту эти тот та то было был будет очень хорошее хороший хорошую хорошего вкусное
  вкусный вкусного отличное отличный приятное пусть чтобы чем как так тоже ну вот его ее их сегодня
  подходящее подходящий подойдет подойдут подошло подойти сочетается сочетание пару пара варианты вариант
  вариантов самое самые самый бы ещё еще от до без при над за себя себе вам вас ты вы я мы он она они
  какая-нибудь какое-либо будь блюду блюда блюдо блюдам стиле стиль типа тип сорт сорта сорту сортом
  страны страна регион региона из-за подать подавать выпить попить пить любит люблю любим любите любят нравится нравятся обожает обожаю она оно они ему ей им её ее него неё нее мой моя мое моё мои наш наша наше наши around about pour drink likes like loves love enjoys enjoy he she they her him his them
  i i'd id im i'm me my we us our you your please recommend recommendation recommendations suggest
  suggestion want wants wanted need needs looking look find get pick choose give show would like could
  can some something anything a an the for with to from of in on and or that which what good nice great
  bottle bottles wine wines goes go going pair pairs pairing paired match matches matching well should is
  are be it its this these those any option options do does have has had tell help will shall may might
  kind type sort style region country grape variety one ones also just really very much more bit little
  maybe perhaps i'll let lets let's serve served but not no except only than too so if кроме не нет только чем если`
    .split(/\s+/)
    .filter(Boolean),
);

/** Messages read recently, as frozen templates never handed out; enough for many concurrent sessions. */
const recentReadings = new BoundedCache<string, Readonly<MessageReading>>(1000);

function frozen(reading: MessageReading): Readonly<MessageReading> {
  for (const value of Object.values(reading.constraints)) if (Array.isArray(value)) Object.freeze(value);
  Object.freeze(reading.constraints);
  Object.freeze(reading.signals);
  return Object.freeze(reading);
}

/** A fresh copy, so a caller that edits its reading (or its arrays) cannot change what the cache holds. */
function copyReading(reading: Readonly<MessageReading>): MessageReading {
  const constraints = { ...reading.constraints };
  for (const key of Object.keys(constraints) as (keyof RequestConstraints)[]) {
    const value = constraints[key];
    if (Array.isArray(value)) (constraints as Record<string, unknown>)[key] = [...(value as unknown[])];
  }
  return { constraints, signals: { ...reading.signals } };
}

/** Reads one message. Never throws; an empty or odd message yields empty constraints. */
export function readMessage(text: string): MessageReading {
  const safe = typeof text === 'string' ? text.slice(0, 4000) : '';
  let cached = recentReadings.get(safe);
  if (cached === undefined) {
    cached = frozen(parseMessage(safe));
    recentReadings.set(safe, cached);
  }
  return copyReading(cached);
}

function parseMessage(safe: string): MessageReading {
  const reading = new Reading(safe);
  const language = detectLanguage(safe);
  const constraints: RequestConstraints = { language, foodWords: [], freeText: '' };
  const signals: MessageSignals = {
    followUp: FOLLOW_UP_OPENERS.test(normalize(safe)),
    lighter: false,
    heavier: false,
    stronger: false,
    weaker: false,
    cheaper: false,
    pricier: false,
    fresher: false,
    sweeter: false,
    drier: false,
    other: false,
    smallTalk: null,
  };
  const keepForSearch: string[] = [];

  const types: TypeState = { included: new Set(), excluded: new Set(), dry: false };

  // Order matters: each pass blanks out what it understood, so later and looser patterns cannot
  // misread it ("белая рыба" is a food before "бел*" can be a colour; "Sauvignon Blanc" is a grape).
  readNumbers(reading, constraints);
  readGrapes(reading, constraints, keepForSearch);
  readTypeWords(reading, constraints, types, true);
  readFoods(reading, constraints);
  readPlaces(reading, constraints);
  readTypeWords(reading, constraints, types, false);
  readSweetness(reading, types, keepForSearch);
  applyTypes(constraints, types);
  readAcidityAndBody(reading, constraints);
  readComparatives(reading, signals);
  readOrdering(reading, constraints, signals);

  // A greeting in front of a real request is not small talk; the greeting words are simply dropped.
  const greeting = reading.findAll(GREETINGS).length > 0;
  const thanks = reading.findAll(THANKS).length > 0;
  constraints.freeText = freeTextOf(reading.remainder(), keepForSearch);
  if (constraints.freeText) {
    const occasion = occasionOf(reading.remainder());
    if (occasion) constraints.occasion = occasion;
  }
  if ((greeting || thanks) && !hasAnyConstraint(constraints) && constraints.freeText === '') {
    signals.smallTalk = thanks ? 'thanks' : 'greeting';
  }
  return { constraints: tidy(constraints), signals };
}

/** The hard constraints a person states in one message (Russian or English). */
export function readConstraints(text: string): RequestConstraints {
  return readMessage(text).constraints;
}

/** Whether any structured constraint was read (free text does not count). */
export function hasAnyConstraint(c: RequestConstraints): boolean {
  return (
    c.types !== undefined ||
    c.excludeTypes !== undefined ||
    c.country !== undefined ||
    c.region !== undefined ||
    c.grape !== undefined ||
    c.pairing !== undefined ||
    c.body !== undefined ||
    c.acidity !== undefined ||
    c.minAbv !== undefined ||
    c.maxAbv !== undefined ||
    c.minRating !== undefined ||
    c.minPrice !== undefined ||
    c.maxPrice !== undefined ||
    c.sort !== undefined
  );
}

function readNumbers(reading: Reading, c: RequestConstraints): void {
  const abv = (raw: string | undefined) => {
    const value = parseNumber(raw ?? '');
    return Number.isFinite(value) && value > 0 && value <= 25 ? value : undefined;
  };
  for (const m of reading.matchAll(PRICE_RANGE)) {
    c.minPrice = parseNumber(m[1] ?? '');
    c.maxPrice = parseNumber(m[2] ?? '');
  }
  for (const m of reading.matchAll(PRICE_MAX)) c.maxPrice = parseNumber(m[1] ?? m[2] ?? '');
  for (const m of reading.matchAll(PRICE_MIN)) c.minPrice = parseNumber(m[1] ?? m[2] ?? '');

  for (const m of reading.matchAll(RATING_MIN)) {
    const value = parseNumber(m[1] ?? '');
    if (value > 0 && value <= 5) c.minRating = value;
  }
  for (const m of reading.matchAll(STARS_MIN)) {
    const value = parseNumber(m[1] ?? '');
    if (value > 0 && value <= 5) c.minRating = value;
  }

  for (const m of reading.matchAll(ABV_RANGE)) {
    const low = abv(m[1]);
    const high = abv(m[2]);
    if (low !== undefined && high !== undefined && low <= high) {
      c.minAbv = low;
      c.maxAbv = high;
    }
  }
  for (const pattern of [ABV_MAX, ABV_MAX_CONTEXT_FIRST]) {
    for (const m of reading.matchAll(pattern)) {
      const value = abv(m[1]);
      if (value !== undefined) c.maxAbv = value;
    }
  }
  for (const pattern of [ABV_MIN, ABV_MIN_CONTEXT_FIRST]) {
    for (const m of reading.matchAll(pattern)) {
      const value = abv(m[1]);
      if (value !== undefined) c.minAbv = value;
    }
  }
  if (c.minAbv === undefined && c.maxAbv === undefined) {
    const exact = reading.matchAll(ABV_EXACT)[0];
    const value = abv(exact?.[1]);
    if (value !== undefined) {
      c.minAbv = Math.max(0, value - 0.5);
      c.maxAbv = value + 0.5;
    }
  }
}

function readGrapes(reading: Reading, c: RequestConstraints, keep: string[]): void {
  // Semi-dry/semi-sweet hold "dry"/"sweet" inside them; read them before anything else sees those words.
  for (const span of reading.findAll(SEMI_SWEETNESS)) keep.push(reading.slice(span));
  for (const entry of GRAPES) {
    const spans = reading.findAll(entry.pattern);
    if (spans.length === 0) continue;
    if (c.grape === undefined) c.grape = entry.name;
    else if (c.grape !== entry.name) keep.push(entry.name);
  }
}

function readPlaces(reading: Reading, c: RequestConstraints): void {
  const firstAt = (pattern: RegExp) => reading.findAll(pattern)[0]?.start;
  let regionAt = Infinity;
  for (const entry of REGIONS) {
    const at = firstAt(entry.pattern);
    if (at !== undefined && at < regionAt) {
      regionAt = at;
      c.region = entry.name;
    }
  }
  let countryAt = Infinity;
  for (const entry of COUNTRIES) {
    const at = firstAt(entry.pattern);
    if (at !== undefined && at < countryAt) {
      countryAt = at;
      c.country = entry.name;
    }
  }
  const region = REGIONS.find((entry) => entry.name === c.region);
  if (region?.country) {
    if (c.country === undefined) c.country = region.country;
    else if (c.country !== region.country) delete c.region;
  }
}

interface TypeState {
  included: Set<WineType>;
  excluded: Set<WineType>;
  dry: boolean;
}

function readTypeWords(reading: Reading, c: RequestConstraints, state: TypeState, early: boolean): void {
  for (const entry of NEGATED_TYPES) {
    if (Boolean(entry.early) !== early) continue;
    if (reading.findAll(entry.pattern).length > 0) entry.types.forEach((t) => state.excluded.add(t));
  }
  for (const entry of TYPES) {
    if (Boolean(entry.early) !== early) continue;
    if (reading.findAll(entry.pattern).length === 0) continue;
    entry.types.forEach((t) => state.included.add(t));
    if (entry.country && c.country === undefined) c.country = entry.country;
    if (entry.dry) state.dry = true;
  }
}

function readSweetness(reading: Reading, state: TypeState, keep: string[]): void {
  if (reading.findAll(DRY_WORDS).length > 0) state.dry = true;
  const sweetSpans = reading.findAll(SWEET_WORDS);
  if (sweetSpans.length === 0) return;
  const { included } = state;
  if (included.size === 0) {
    included.add('dessert');
    included.add('port');
  } else if (included.size === 1 && included.has('sparkling')) {
    // Sweet sparkling (Asti, demi-sec) is filed as sparkling; sweetness is left to semantic search.
    sweetSpans.forEach((span) => keep.push(reading.slice(span)));
  } else {
    included.add('dessert');
  }
}

function applyTypes(c: RequestConstraints, state: TypeState): void {
  const { included, excluded } = state;
  // "Dry" rules out sweet wines unless a sweet type was named outright ("сухой херес" is still sherry).
  if (state.dry) {
    for (const t of ['dessert', 'port'] as const) if (!included.has(t)) excluded.add(t);
  }
  for (const t of excluded) included.delete(t);
  if (included.size > 0) c.types = [...included];
  if (excluded.size > 0) c.excludeTypes = [...excluded];
}

function readFoods(reading: Reading, c: RequestConstraints): void {
  let best: { pairing: string; weight: number; at: number } | undefined;
  const words: { at: number; text: string }[] = [];
  for (const entry of FOODS) {
    for (const span of reading.findAll(entry.pattern)) {
      words.push({ at: span.start, text: reading.slice(span).trim() });
      const better = !best || entry.weight > best.weight || (entry.weight === best.weight && span.start < best.at);
      if (better) best = { pairing: entry.pairing, weight: entry.weight, at: span.start };
    }
  }
  if (best) c.pairing = best.pairing;
  c.foodWords = unique(words.sort((a, b) => a.at - b.at).map((w) => w.text));
}

function readAcidityAndBody(reading: Reading, c: RequestConstraints): void {
  for (const entry of ACIDITIES_READ) {
    if (reading.findAll(entry.pattern).length > 0 && c.acidity === undefined) c.acidity = [...entry.acidity];
  }
  for (const entry of BODIES_READ) {
    if (reading.findAll(entry.pattern).length > 0 && c.body === undefined) c.body = [...entry.body];
  }
}

function readComparatives(reading: Reading, s: MessageSignals): void {
  for (const key of Object.keys(COMPARATIVES) as (keyof typeof COMPARATIVES)[]) {
    if (reading.findAll(COMPARATIVES[key]).length > 0) s[key] = true;
  }
  if (Object.keys(COMPARATIVES).some((key) => s[key as keyof typeof COMPARATIVES])) s.followUp = true;
}

/** "Некрепкое", "low alcohol": a soft upper bound rather than a sort, so the best such wines come first. */
const LOW_ALCOHOL_ABV = 12.5;

function readOrdering(reading: Reading, c: RequestConstraints, s: MessageSignals): void {
  if (reading.findAll(SORT_WORDS.lowAlcohol).length > 0 && c.maxAbv === undefined) c.maxAbv = LOW_ALCOHOL_ABV;
  if (reading.findAll(SORT_WORDS.cheap).length > 0) {
    c.sort = 'price_asc';
    s.cheaper = true;
  }
  if (reading.findAll(SORT_WORDS.expensive).length > 0) c.sort = 'price_desc';
  if (reading.findAll(SORT_WORDS.strong).length > 0) c.sort = 'abv_desc';
  if (reading.findAll(SORT_WORDS.popularity).length > 0) c.sort = 'popularity';
  if (reading.findAll(SORT_WORDS.topRated).length > 0 && c.sort === undefined) c.sort = 'rating';
}

function freeTextOf(remainder: string, keep: string[]): string {
  const tokens = remainder
    .split(/[^\p{L}\p{N}'’-]+/u)
    .map((token) => token.replace(/^[-'’]+|[-'’]+$/g, ''))
    .filter((token) => token.length > 0)
    .filter((token) => !STOPWORDS.has(normalize(token)))
    .filter((token) => /\p{L}{2,}|\p{N}{4}/u.test(token));
  const words = [...tokens, ...keep.map((k) => k.trim()).filter(Boolean)];
  // Free text worth searching has at least one real word, not just a stray letter or number.
  if (!words.some((word) => /\p{L}{3,}/u.test(word))) return '';
  return words.join(' ').slice(0, 300);
}

/** Prepositions that make the leftover read as a phrase: "на день рождения", "for a romantic dinner". */
const LEADING_PREPOSITIONS = new Set(['к', 'ко', 'на', 'для', 'с', 'со', 'под', 'в', 'во', 'for', 'to', 'on', 'at', 'with']);

const ARTICLES = new Set(['a', 'an', 'the', 'some']);

/** The leftover words as the person wrote them, trimmed of filler at both ends. */
function occasionOf(remainder: string): string {
  const tokens = [...remainder.replace(/[!?.;:…"«»()]/g, ' ').matchAll(/\S+/g)].map((m) => ({ text: m[0], at: m.index ?? 0 }));
  const content = (token: string) => {
    const word = normalize(token.replace(/^[,'’-]+|[,'’-]+$/g, ''));
    return word !== '' && !STOPWORDS.has(word) && /\p{L}{2,}|\p{N}{4}/u.test(word);
  };
  const first = tokens.findIndex((t) => content(t.text));
  if (first === -1) return '';
  let last = tokens.length - 1;
  while (last > first && !content(tokens[last]?.text ?? '')) last -= 1;
  // Keep a preposition (and article) right in front, so the phrase reads "на день рождения", "for a dinner";
  // only when nothing understood was cut out in between ("с пиццей пепперони" must not become "с пепперони").
  const adjacent = (a: number, b: number) => {
    const left = tokens[a];
    const right = tokens[b];
    return left !== undefined && right !== undefined && right.at - (left.at + left.text.length) === 1;
  };
  let start = first;
  if (start > 0 && ARTICLES.has(normalize(tokens[start - 1]?.text ?? '')) && adjacent(start - 1, start)) start -= 1;
  if (start > 0 && LEADING_PREPOSITIONS.has(normalize(tokens[start - 1]?.text ?? '')) && adjacent(start - 1, start)) start -= 1;
  if (start !== first && ARTICLES.has(normalize(tokens[start]?.text ?? '')) && !LEADING_PREPOSITIONS.has(normalize(tokens[start - 1]?.text ?? ''))) {
    start += 1;
  }
  return tokens
    .slice(start, last + 1)
    .map((t) => t.text)
    .join(' ')
    .replace(/[,'’-]+$/, '')
    .slice(0, 120);
}

function tidy(c: RequestConstraints): RequestConstraints {
  if (c.minAbv !== undefined && c.maxAbv !== undefined && c.minAbv > c.maxAbv) {
    delete c.minAbv;
    delete c.maxAbv;
  }
  if (c.minPrice !== undefined && c.maxPrice !== undefined && c.minPrice > c.maxPrice) {
    delete c.minPrice;
    delete c.maxPrice;
  }
  for (const key of ['minPrice', 'maxPrice', 'minAbv', 'maxAbv', 'minRating'] as const) {
    const value = c[key];
    if (value !== undefined && !Number.isFinite(value)) delete c[key];
  }
  return c;
}
