/**
 * Every word and sentence the offline engine writes, each entry in both languages side by side, so a phrase
 * and its translation are one entry and the reply logic (./index.ts) is written once.
 */
import { PAIRINGS, type Occasion, type UnsupportedTopic } from '../../catalog/lexicon/index.js';
import type { Acidity, Body, WineType } from '../../catalog/index.js';
import type { ConstraintKey, SmallTalk } from '../../understanding/index.js';
import type { Both } from './knowledge.js';
import { countryEntry, formatNumber, grapeEntry, joinList, regionEntry } from './shared.js';
import type { FoodName } from './types.js';

/**
 * How a wine type reads: its word (Russian agrees with "вино"), whether that word is a noun of its own ("a
 * port", «портвейн»: no "wine" after it), what a serving tip calls wines of the type, and at what temperature
 * (°C, general guidance, not a claim about a particular wine). A wine line calls a port "fortified wine":
 * X-Wines has wines named just "Port", and a line saying "Port" would name them.
 */
export interface TypeWords extends Both {
  noun: Both<boolean>;
  serve: Both;
  celsius: readonly [number, number];
  line?: Both;
}

export const TYPE: Readonly<Record<WineType, TypeWords>> = {
  red: { en: 'red', ru: 'красное', noun: { en: false, ru: false }, serve: { en: 'the reds', ru: 'Красные вина' }, celsius: [16, 18] },
  white: { en: 'white', ru: 'белое', noun: { en: false, ru: false }, serve: { en: 'the whites', ru: 'Белые вина' }, celsius: [8, 12] },
  rose: { en: 'rosé', ru: 'розовое', noun: { en: false, ru: false }, serve: { en: 'rosé', ru: 'Розовые вина' }, celsius: [8, 10] },
  orange: { en: 'orange', ru: 'оранжевое', noun: { en: false, ru: false }, serve: { en: 'orange wine', ru: 'Оранжевые вина' }, celsius: [12, 14] },
  sparkling: { en: 'sparkling', ru: 'игристое', noun: { en: false, ru: false }, serve: { en: 'sparkling wine', ru: 'Игристое' }, celsius: [6, 8] },
  dessert: { en: 'dessert wine', ru: 'десертное', noun: { en: true, ru: false }, serve: { en: 'dessert wines', ru: 'Десертные вина' }, celsius: [10, 12] },
  port: {
    en: 'port',
    ru: 'портвейн',
    noun: { en: true, ru: true },
    serve: { en: 'port', ru: 'Портвейн' },
    celsius: [14, 18],
    line: { en: 'fortified wine', ru: 'портвейн' },
  },
};
export const SWEET_MARK: Both & { ruMasculine: string } = { en: ' (sweet)', ru: ' (сладкое)', ruMasculine: ' (сладкий)' };

export const BODY: Readonly<Record<Body, Both & { ruMasculine: string; ruGenitivePlural: string }>> = {
  very_light: { en: 'very light-bodied', ru: 'очень лёгкое', ruMasculine: 'очень лёгкий', ruGenitivePlural: 'очень лёгких' },
  light: { en: 'light-bodied', ru: 'лёгкое', ruMasculine: 'лёгкий', ruGenitivePlural: 'лёгких' },
  medium: { en: 'medium-bodied', ru: 'средней полноты', ruMasculine: 'средней полноты', ruGenitivePlural: 'вин средней полноты' },
  full: { en: 'full-bodied', ru: 'полнотелое', ruMasculine: 'полнотелый', ruGenitivePlural: 'полнотелых' },
  very_full: { en: 'very full-bodied', ru: 'очень полнотелое', ruMasculine: 'очень полнотелый', ruGenitivePlural: 'очень полнотелых' },
};

/** A requested range of bodies as one word: [very_light, light] is "light-bodied". */
export const BODY_RANGE: Readonly<Record<'light' | 'full' | 'lighter' | 'heavier', Both>> = {
  light: { en: 'light-bodied', ru: 'лёгкое' },
  full: { en: 'full-bodied', ru: 'полнотелое' },
  lighter: { en: 'lighter', ru: 'не слишком тяжёлое' },
  heavier: { en: 'substantial', ru: 'насыщенное' },
};

export const ACIDITY: Readonly<Record<Acidity, Both & { enAdjective: string }>> = {
  high: { en: 'high acidity', ru: 'с высокой кислотностью', enAdjective: 'crisp' },
  medium: { en: 'medium acidity', ru: 'со средней кислотностью', enAdjective: 'balanced' },
  low: { en: 'soft acidity', ru: 'с мягкой кислотностью', enAdjective: 'soft' },
};

export const UNSUPPORTED: Readonly<Record<UnsupportedTopic, Both>> = {
  oak: { en: 'the catalog has no oak information', ru: 'в каталоге нет сведений о выдержке в дубе' },
  organic: {
    en: 'the catalog does not say which wines are organic, biodynamic or natural',
    ru: 'в каталоге не отмечено, какие вина органические, биодинамические или натуральные',
  },
  sulfites: { en: 'the catalog has no sulphite information', ru: 'в каталоге нет сведений о сульфитах' },
  kosher: { en: 'the catalog does not say which wines are kosher', ru: 'в каталоге не отмечено, какие вина кошерные' },
  ageing: { en: 'the catalog has no information on how the wines were aged', ru: 'в каталоге нет сведений о выдержке вин' },
};

export const SMALL_TALK: Readonly<Record<SmallTalk, Both>> = {
  thanks: {
    en: 'You are welcome, glad to help! If you need another bottle — for dinner, as a gift or just because — just ask.',
    ru: 'Пожалуйста, рад был помочь! Если понадобится ещё вино — к ужину, в подарок или просто так, — пишите.',
  },
  greeting: {
    en: 'Hello! I am your sommelier. Tell me about the dish or the occasion and what you enjoy — colour, country, grape. For example: "a full-bodied red for steak" or "a light white for oysters".',
    ru: 'Здравствуйте! Я ваш сомелье. Расскажите, к какому блюду или поводу нужно вино и что вам по душе — цвет, страна, сорт. Например: «красное сухое к стейку» или «лёгкое белое к устрицам».',
  },
  offTopic: {
    en: "I'm a sommelier, so that is outside what I can help with. Tell me about a dish, an occasion or a wine you like, and I'll suggest a bottle.",
    ru: 'Я сомелье, так что с этим помочь не смогу. Расскажите о блюде, поводе или вине, которое вам нравится, — и я подберу бутылку.',
  },
};

export const INVITATIONS: Both<readonly string[]> = {
  en: [
    'Want something lighter, from another country or for a different dish? Just say.',
    'Tell me if you would like to narrow it down by country, grape or dish.',
    'If none of these feel right, tell me what to change.',
  ],
  ru: [
    'Если хотите, подберу что-то полегче, из другой страны или к другому блюду.',
    'Скажите, если нужно уточнить — по стране, сорту или блюду.',
    'Хотите другие варианты — просто скажите, что поменять.',
  ],
};

/** The grammar the sentences below share: numbers, lists, names, places and foods in each language. */
export interface Grammar {
  number(value: number, digits?: number, keepZeros?: boolean): string;
  and(items: readonly string[]): string;
  or(items: readonly string[]): string;
  /** A wine's name as a reply writes it: «…» in Russian. */
  name(name: string): string;
  grape(name: string): string;
  /** A country on its own ("Франция", "France"). */
  country(name: string): string;
  /** "из Франции", "from the Rhône Valley". */
  from(country: string | undefined, region: string | undefined): string;
  /** "from France and Italy" / «из Франции и из Италии». */
  fromCountries(countries: readonly string[], conjunction: 'and' | 'or'): string;
  /** Where a wine is from, in the order the language lists it. */
  place(country: string | null, region: string | null): string;
  /** A dataset pairing after "with"/"к": "beef", "говядине". */
  pairing(name: string): string;
  food(food: FoodName): string;
  /** "a light red wine" / "лёгкое красное вино". */
  article(phrase: string): string;
  votes(count: number): string;
}

const english: Grammar = {
  number: (value, digits = 1, keepZeros = false) => formatNumber(value, false, digits, keepZeros),
  and: (items) => joinList(items, 'and'),
  or: (items) => joinList(items, 'or'),
  name: (name) => name,
  // Dataset spellings read as one name: "Syrah/Shiraz" is Syrah, "Glera/Prosecco" Glera.
  grape: (name) => name.split('/')[0] ?? name,
  country: (name) => (name === 'United States' || name === 'United Kingdom' ? `the ${name}` : name),
  from: (country, region) => (region ? `from ${regionEntry(region)?.en ?? region}` : country ? `from ${english.country(country)}` : ''),
  fromCountries: (countries, conjunction) => `from ${english[conjunction](countries.map(english.country))}`,
  place: (country, region) => [region, country].filter(Boolean).join(', '),
  pairing: (name) => PAIRINGS[name]?.en ?? name.toLowerCase(),
  food: (food) => food.en,
  article: (phrase) => (/^[aeiou]/i.test(phrase) ? `an ${phrase}` : `a ${phrase}`),
  votes: (count) => (count > 0 ? ` by ${count.toLocaleString('en-US')} ${count === 1 ? 'drinker' : 'drinkers'}` : ''),
};

/** 1 оценка, 2 оценки, 5 оценок (11–14 take the last form). */
function ruPlural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

const russian: Grammar = {
  number: (value, digits = 1, keepZeros = false) => formatNumber(value, true, digits, keepZeros),
  and: (items) => joinList(items, 'и'),
  or: (items) => joinList(items, 'или'),
  name: (name) => `«${name}»`,
  grape: (name) => grapeEntry(name)?.ru ?? name,
  country: (name) => countryEntry(name)?.ru ?? name,
  from: (country, region) =>
    region ? (regionEntry(region)?.ruFrom ?? `из региона ${region}`) : country ? (countryEntry(country)?.ruFrom ?? `из страны ${country}`) : '',
  fromCountries: (countries, conjunction) => russian[conjunction](countries.map((country) => russian.from(country, undefined))),
  place: (country, region) => [country ? russian.country(country) : null, region].filter(Boolean).join(', '),
  pairing: (name) => PAIRINGS[name]?.ruTo ?? name.toLowerCase(),
  food: (food) => food.ruTo,
  article: (phrase) => phrase,
  votes: (count) => (count > 0 ? ` (${count.toLocaleString('ru-RU').replace(/\u00a0/g, ' ')} ${ruPlural(count, 'оценка', 'оценки', 'оценок')})` : ''),
};

export const GRAMMAR: Both<Grammar> = { en: english, ru: russian };

/** The sentences of a reply; `g` is the language's grammar. */
export const SAY = {
  bareRequest: { en: 'wine', ru: 'вино' },
  serve: {
    en: (what: string, low: number, high: number) => `Serve ${what} at ${low}–${high} °C.`,
    ru: (what: string, low: number, high: number) => `${what} подают при ${low}–${high} °C.`,
  },
  dry: { en: 'dry', ru: 'сухое' },
  sweet: { en: 'sweet', ru: 'сладкое' },
  toGoWith: { en: (food: string) => `to go with ${food}`, ru: (food: string) => `к ${food}` },
  butNot: { en: (items: string[]) => `, but not ${items.join(' or ')}`, ru: (items: string[]) => `, но не ${items.join(' и не ')}` },
  abvRange: { en: (low: string, high: string) => `at ${low}–${high}% ABV`, ru: (low: string, high: string) => `крепостью ${low}–${high}%` },
  abvMax: { en: (n: string) => `under ${n}% ABV`, ru: (n: string) => `крепостью до ${n}%` },
  abvMin: { en: (n: string) => `of at least ${n}% ABV`, ru: (n: string) => `крепостью от ${n}%` },
  ratedFrom: { en: (n: string) => `rated ${n}+`, ru: (n: string) => `с оценкой от ${n}` },
  abv: { en: (n: string) => `${n}% ABV`, ru: (n: string) => `${n}%` },
  blend: {
    en: (grapes: string, more: boolean) => `a blend of ${grapes}${more ? ' and others' : ''}`,
    ru: (grapes: string, more: boolean) => `купаж: ${grapes}${more ? ' и др.' : ''}`,
  },
  worksWith: {
    en: (food: string, also: string) => `Works well with ${food}${also ? `, and also with ${also}` : ''}`,
    ru: (food: string, also: string) => `Хорошо подойдёт к ${food}${also ? `, а также к ${also}` : ''}`,
  },
  pairsWith: { en: (foods: string) => `Pairs with ${foods}`, ru: (foods: string) => `Подходит к ${foods}` },
  rated: {
    en: (rating: string, votes: string, first: boolean) => `${first ? 'Rated' : 'rated'} ${rating}/5${votes}`,
    ru: (rating: string, votes: string, first: boolean) => `${first ? 'Средняя оценка' : 'средняя оценка'} ${rating} из 5${votes}`,
  },
  price: { en: (price: string) => `Catalog price: ${price}.`, ru: (price: string) => `Цена в каталоге: ${price}.` },
  differs: {
    en: (core: boolean, list: string) => `${core ? 'Differs from your request' : 'Slightly outside the request'}: ${list}.`,
    ru: (core: boolean, list: string) => `${core ? 'Отличие от запроса' : 'Чуть за рамками запроса'}: ${list}.`,
  },
  unsure: {
    en: "I'm not sure I understood the request, so here are some of the best-rated wines in the catalog:",
    ru: 'Не уверен, что правильно понял запрос, поэтому вот вина с самыми высокими оценками в каталоге:',
  },
  general: {
    en: (occasions: string) => `Here are a few wines I'd recommend${occasions ? ` ${occasions}` : ''}:`,
    ru: (occasions: string) => `Вот несколько вин, которые я бы посоветовал${occasions ? ` ${occasions}` : ''}:`,
  },
  widened: {
    en: (summary: string) => `Few wines in the catalog match every condition (${summary}), so I widened the search a little; the differences are noted for each wine:`,
    ru: (summary: string) => `Строго под все условия — ${summary} — вариантов в каталоге мало, поэтому я немного расширил поиск (отличия отмечены у каждого вина):`,
  },
  matches: {
    en: [
      (summary: string) => `Happy to help! Here are my picks for ${summary}:`,
      (summary: string) => `Here's what I'd pour for ${summary}:`,
      (summary: string) => `Great request — ${summary}. Here's what the catalog has:`,
    ],
    ru: [
      (summary: string) => `С удовольствием! ${summary.charAt(0).toUpperCase()}${summary.slice(1)} — вот что я нашёл в каталоге:`,
      (summary: string) => `Подобрал для вас ${summary}. Вот лучшие варианты из каталога:`,
      (summary: string) => `Отличный запрос — ${summary}. Вот что могу предложить:`,
    ],
  },
  onlyFew: {
    en: (summary: string, count: number) =>
      `Only ${count === 1 ? 'one wine' : 'two wines'} in the catalog ${count === 1 ? 'matches' : 'match'} everything you asked for (${summary}):`,
    ru: (summary: string, count: number) => `Точно под ваш запрос — ${summary} — в каталоге нашлось ${count === 1 ? 'только одно вино' : 'только два вина'}:`,
  },
  nothingFound: {
    en: (summary: string | null) => `Sorry — I couldn't find anything in the catalog${summary ? ` for ${summary}` : ' that fits'}.`,
    ru: (summary: string | null) => `К сожалению, в каталоге не нашлось ничего${summary ? ` под ваш запрос — ${summary}` : ' подходящего'}.`,
  },
  broaden: {
    en: (hints: string) => `If you're open to ${hints}, tell me and I'll find more.`,
    ru: (hints: string) => `Если готовы рассмотреть ${hints}, напишите — подберу ещё варианты.`,
  },
  describeMore: {
    en: 'Tell me the dish or the occasion and the style you like, and I will narrow it down.',
    ru: 'Расскажите, к какому блюду или поводу нужно вино и какой стиль вам ближе, — подберу точнее.',
  },
  describeStyle: {
    en: 'Tell me more about the occasion, the dish or the style you like and I will look again.',
    ru: 'Опишите повод, блюдо или любимый стиль подробнее — и я поищу ещё.',
  },
  noOthers: { en: 'The catalog has no other wines for these conditions.', ru: 'Других вариантов под эти условия в каталоге нет.' },
  noPrices: {
    en: (limit: string | null, max: boolean) =>
      limit ? `The catalog has no prices, so I can't check the ${max ? 'limit' : 'minimum'} of ${limit}` : "The catalog has no prices, so I can't compare on cost",
    ru: (limit: string | null, max: boolean) =>
      limit
        ? `Цен в каталоге нет, поэтому уложиться в ${max ? 'бюджет до' : 'цену от'} ${limit} я проверить не могу`
        : 'Цен в каталоге нет, поэтому сравнить вина по стоимости я не могу',
  },
  prestigeLeftOut: {
    en: '; I left out famously expensive bottles and picked widely drunk, well-rated ones instead.',
    ru: ': я не стал предлагать заведомо дорогие вина и выбрал популярные вина с хорошими оценками.',
  },
  bestOtherwise: { en: '; these are the best matches on everything else.', ru: ' — выбрал лучшие по остальным условиям.' },
  cannotHonour: { en: (topics: string) => `${topics}, so I could not take that into account.`, ru: (topics: string) => `${topics}, поэтому учесть это я не могу.` },
  noSearch: {
    en: "I can't look into the catalog right now, so I won't name wines at random. Please ask again in a moment.",
    ru: 'Сейчас я не могу заглянуть в каталог, поэтому не буду называть вина наугад. Попробуйте, пожалуйста, спросить ещё раз.',
  },
  catalogDown: {
    en: "I couldn't reach the wine catalog just now — please try again in a moment.",
    ru: 'Не получилось обратиться к каталогу вин — попробуйте, пожалуйста, ещё раз чуть позже.',
  },
  nearMiss: {
    en: (summary: string) => `Nothing in the catalog matches ${summary}, so I won't suggest a bottle that isn't what you asked for.`,
    ru: (summary: string) => `Точно под ваш запрос — ${summary} — в каталоге ничего не нашлось, поэтому не буду предлагать то, о чём вы не просили.`,
  },
  itHas: {
    en: (options: string[]) => `It does have ${options.join('; or ')}. Tell me which way to go and I'll pick the wines.`,
    ru: (options: string[]) => `Зато есть ${options.join('; или ')}. Скажите, что выбрать, — и я подберу конкретные вина.`,
  },
  sameFrom: { en: (places: string) => `the same ${places}`, ru: (places: string) => `такое же вино ${places}` },
  otherRegions: { en: (regions: string) => `the same from other regions (${regions})`, ru: (regions: string) => `такое же вино из других регионов (${regions})` },
  instead: { en: (types: string) => `${types} instead`, ru: (types: string) => `${types} вместо него` },
  otherGrapes: { en: (grapes: string) => `other grapes (${grapes})`, ru: (grapes: string) => `другие сорта (${grapes})` },
  otherBody: { en: (bodies: string) => `the same with another body (${bodies})`, ru: (bodies: string) => `вина другой полноты (${bodies})` },
  notListedFor: {
    en: (food: string | null) => `wines not specifically listed for ${food ?? 'this dish'}`,
    ru: (food: string | null) => `вина без явной рекомендации ${food ? `к ${food}` : 'к этому блюду'}`,
  },
  otherSweetness: { en: 'a different sweetness', ru: 'вина другой сладости' },
  catalogFacts: {
    en: (subject: string, parts: string[], first: boolean) => `${first ? 'In this catalog, the' : 'The'} best-rated ${subject} wines are ${parts.join(', ')}.`,
    ru: (subject: string, parts: string[]) => `Среди лучших ${subject} в этом каталоге ${parts.join('; ')}.`,
  },
  factBody: { en: (body: Body) => `mostly ${BODY[body].en}`, ru: (body: Body) => `больше всего ${BODY[body].ruGenitivePlural}` },
  factMixedBody: { en: 'of several styles', ru: 'встречаются разные стили' },
  factPairings: { en: (foods: string) => `paired with ${foods}`, ru: (foods: string) => `их советуют к ${foods}` },
  factCountries: { en: (places: string) => places, ru: (places: string) => `чаще всего они ${places}` },
  noneOf: { en: (subject: string) => `The catalog has no ${subject} wines to show.`, ru: (subject: string) => `${subject.charAt(0).toUpperCase()}${subject.slice(1)} в каталоге нет.` },
  grapeSubject: { en: (grape: string) => grape, ru: (grape: string) => `вин из сорта ${grape}` },
  differentGrapes: { en: (a: string, b: string) => `${a} and ${b} are different grape varieties.`, ru: (a: string, b: string) => `${a} и ${b} — разные сорта винограда.` },
  sideBySide: { en: (wines: string) => `To taste the difference side by side: ${wines}.`, ru: (wines: string) => `Чтобы почувствовать разницу, попробуйте рядом ${wines}.` },
  goodExample: { en: (wine: string) => `A good example: ${wine}.`, ru: (wine: string) => `Хороший пример: ${wine}.` },
} as const;

/**
 * How a reply talks about each constraint: what to suggest dropping when few wines fit ("other countries"),
 * and how a wine breaks it ("from Argentina", «страна — Аргентина»).
 */
export const CONSTRAINT: Readonly<Record<ConstraintKey, { broaden: Both; differs: Both<(value: string | null) => string> }>> = {
  type: {
    broaden: { en: 'another colour or style', ru: 'вино другого цвета или стиля' },
    differs: { en: (v) => (v ? `it is ${v}` : 'a different type'), ru: (v) => (v ? `это ${v}` : 'другой тип') },
  },
  sweetness: {
    broaden: { en: 'a different sweetness', ru: 'вино другой сладости' },
    differs: { en: (v) => (v ? 'it is sweet' : 'it is not sweet'), ru: (v) => (v ? 'это сладкое вино' : 'это не сладкое вино') },
  },
  sweet: {
    broaden: { en: 'sweeter wines', ru: 'более сладкие вина' },
    differs: { en: () => 'it is sweet', ru: () => 'это сладкое вино' },
  },
  country: {
    broaden: { en: 'other countries', ru: 'другие страны' },
    differs: { en: (v) => `from ${v ?? 'elsewhere'}`, ru: (v) => `страна — ${v ?? 'не указана'}` },
  },
  region: {
    broaden: { en: 'neighbouring regions', ru: 'соседние регионы' },
    differs: { en: (v) => `region: ${v ?? 'not given'}`, ru: (v) => `регион — ${v ?? 'не указан'}` },
  },
  grape: {
    broaden: { en: 'other grapes', ru: 'другие сорта' },
    differs: { en: (v) => `grapes: ${v || 'not given'}`, ru: (v) => `сорт — ${v || 'не указан'}` },
  },
  pairing: {
    broaden: { en: 'wines not specifically listed for this dish', ru: 'вина без явной рекомендации к этому блюду' },
    differs: { en: (v) => `not specifically listed ${v ? `for ${v}` : 'for this food'}`, ru: (v) => `в рекомендациях к нему нет ${v ? 'блюд вроде вашего' : 'этой еды'}` },
  },
  body: {
    broaden: { en: 'a different body', ru: 'вино другой полноты' },
    differs: { en: (v) => v ?? 'body not given', ru: (v) => (v ? `полнота — ${v}` : 'полнота не указана') },
  },
  acidity: {
    broaden: { en: 'a different acidity', ru: 'другую кислотность' },
    differs: { en: (v) => v ?? 'acidity not given', ru: (v) => v ?? 'кислотность не указана' },
  },
  abv: {
    broaden: { en: 'a different strength', ru: 'другую крепость' },
    differs: { en: (v) => (v ? `${v}% ABV` : 'ABV not given'), ru: (v) => (v ? `крепость ${v}%` : 'крепость не указана') },
  },
  rating: {
    broaden: { en: 'slightly lower-rated wines', ru: 'вина с оценкой чуть ниже' },
    differs: { en: (v) => (v ? `rated ${v}` : 'no ratings yet'), ru: (v) => (v ? `оценка ${v}` : 'без оценок') },
  },
  price: {
    broaden: { en: 'wines without a listed price', ru: 'вина без указанной цены' },
    differs: { en: (v) => (v ? `price ${v}` : 'no listed price'), ru: (v) => (v ? `цена ${v}` : 'цена не указана') },
  },
};

/** Occasions in a reply ("на день рождения", "for a birthday"). */
export const occasionPhrase = (occasion: Occasion): Both => ({ en: occasion.en, ru: occasion.ru });
