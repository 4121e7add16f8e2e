/**
 * The one `Wording`: what a reply says, composed once from the bilingual phrasebook (./phrasebook.ts,
 * ./knowledge.ts) in the reply's language. Where Russian and English differ in more than words (word order,
 * which type words are nouns), the difference is data here, not a branch.
 */
import type { Body, WineType } from '../../catalog/index.js';
import type { ConstraintKey, Language } from '../../understanding/index.js';
import { GRAPE_PROFILE, STYLE_PROFILE, TOPIC, type Both } from './knowledge.js';
import {
  ACIDITY,
  BODY,
  BODY_RANGE,
  CONSTRAINT,
  GRAMMAR,
  INVITATIONS,
  SAY,
  SMALL_TALK,
  SWEET_MARK,
  TYPE,
  UNSUPPORTED,
  type Grammar,
} from './phrasebook.js';
import { capitalize, choose } from './shared.js';
import type { GrapeFacts, NearMiss, Opening, RequestSummary, WineLine, Wording } from './types.js';

export type * from './types.js';
export { choose, stableHash } from './shared.js';

const SWEET_TYPES: readonly WineType[] = ['dessert', 'port'];

/** Dessert or port, whichever: "a sweet wine" / «сладкое вино». */
const SWEET_PAIR: Both<{ text: string; noun: boolean }> = { en: { text: 'sweet wine', noun: true }, ru: { text: 'сладкое', noun: false } };
/** Where the acidity goes: "a crisp white wine" / «белое вино с высокой кислотностью». */
const ACIDITY_BEFORE_NOUN: Both<boolean> = { en: true, ru: false };
/** Body words that follow the noun: «красное вино средней полноты». */
const BODY_AFTER_NOUN: Both<ReadonlySet<string>> = { en: new Set(), ru: new Set(['medium']) };
/** What a wine line calls a type (a port is "fortified wine" in English). */
const lineType = (type: WineType): Both => TYPE[type].line ?? TYPE[type];
/** Body and sweetness agree with the type in Russian: «портвейн полнотелый (сладкий)». */
const bodyLabel = (body: Body, type: WineType | null): Both => ({ en: BODY[body].en, ru: type === 'port' ? BODY[body].ruMasculine : BODY[body].ru });
const sweetMark = (type: WineType | null): Both => ({ en: SWEET_MARK.en, ru: type === 'port' ? SWEET_MARK.ruMasculine : SWEET_MARK.ru });

/** A range of bodies as one word, and its key ("light", "medium", …). */
function bodyRange(bodies: readonly Body[]): { key: string; words: Both } {
  const set = new Set(bodies);
  const is = (...expected: Body[]) => expected.length === set.size && expected.every((b) => set.has(b));
  if (is('very_light', 'light') || is('light')) return { key: 'light', words: BODY_RANGE.light };
  if (is('full', 'very_full') || is('full')) return { key: 'full', words: BODY_RANGE.full };
  if (is('very_light', 'light', 'medium')) return { key: 'lighter', words: BODY_RANGE.lighter };
  if (is('medium', 'full', 'very_full')) return { key: 'heavier', words: BODY_RANGE.heavier };
  const key = bodies.length === 1 ? (bodies[0] ?? '') : 'mixed';
  return { key, words: { en: bodies.map((b) => BODY[b].en).join(' or '), ru: bodies.map((b) => BODY[b].ru).join(' или ') } };
}

function request(s: RequestSummary, lang: Language, g: Grammar): string {
  const onlyPort = s.types.length === 1 && s.types[0] === 'port';
  const sweetPair = s.types.length === 2 && SWEET_TYPES.every((type) => s.types.includes(type));
  // A port's body and dryness go without saying.
  const body = s.bodies?.length && !onlyPort ? bodyRange(s.bodies) : null;
  const bodyAfter = body !== null && BODY_AFTER_NOUN[lang].has(body.key);
  const acidity = s.acidity ? (ACIDITY_BEFORE_NOUN[lang] ? ACIDITY[s.acidity].enAdjective : ACIDITY[s.acidity][lang]) : '';
  const typeWords = sweetPair ? SWEET_PAIR[lang].text : g.or(s.types.map((t) => TYPE[t][lang]));
  const typeIsNoun = sweetPair ? SWEET_PAIR[lang].noun : s.types.length > 0 && s.types.every((t) => TYPE[t].noun[lang]);
  const noun = s.grape ? g.grape(s.grape) : typeIsNoun ? '' : SAY.bareRequest[lang];
  const parts = [
    body && !bodyAfter ? body.words[lang] : '',
    ACIDITY_BEFORE_NOUN[lang] ? acidity : '',
    s.dry && !onlyPort ? SAY.dry[lang] : '',
    s.sweet && !sweetPair ? SAY.sweet[lang] : '',
    typeWords,
    noun,
    bodyAfter ? body.words[lang] : '',
    ACIDITY_BEFORE_NOUN[lang] ? '' : acidity,
    g.from(s.country, s.region),
    s.minAbv !== undefined && s.maxAbv !== undefined
      ? SAY.abvRange[lang](g.number(s.minAbv), g.number(s.maxAbv))
      : s.maxAbv !== undefined
        ? SAY.abvMax[lang](g.number(s.maxAbv))
        : s.minAbv !== undefined
          ? SAY.abvMin[lang](g.number(s.minAbv))
          : '',
    s.minRating !== undefined ? SAY.ratedFrom[lang](g.number(s.minRating)) : '',
    s.food ? SAY.toGoWith[lang](g.food(s.food)) : '',
    ...s.occasions.map((occasion) => occasion[lang]),
  ];
  const excluded = [
    ...s.excludedTypes.map((t) => TYPE[t][lang]),
    ...s.excludedGrapes.map(g.grape),
    ...s.excludedCountries.map((c) => g.from(c, undefined)),
    ...s.excludedRegions.map((r) => g.from(undefined, r)),
  ];
  return `${parts.filter(Boolean).join(' ')}${excluded.length ? SAY.butNot[lang](excluded) : ''}`;
}

function violation(key: ConstraintKey, line: WineLine, lang: Language, g: Grammar): string {
  const { wine } = line;
  const value: Record<ConstraintKey, string | null> = {
    type: wine.type ? g.article(TYPE[wine.type][lang]) : null,
    sweetness: line.sweet ? 'sweet' : null,
    sweet: null,
    country: wine.country ? g.country(wine.country) : null,
    region: wine.region,
    grape: wine.grapes.map(g.grape).join(', '),
    pairing: line.food ? g.food(line.food) : null,
    body: wine.body ? bodyLabel(wine.body, wine.type)[lang] : null,
    acidity: wine.acidity ? ACIDITY[wine.acidity][lang] : null,
    abv: wine.abv !== null ? g.number(wine.abv) : null,
    rating: wine.rating !== null ? g.number(wine.rating, 1, true) : null,
    price: wine.price !== null ? g.number(wine.price, 2) : null,
  };
  return CONSTRAINT[key].differs[lang](value[key]);
}

function wineLine(line: WineLine, lang: Language, g: Grammar): string {
  const { wine, detail } = line;
  const who = [detail.winery ? wine.winery : null, g.place(wine.country, detail.region ? wine.region : null)].filter(Boolean).join(', ');
  const head = `${line.index}. ${g.name(wine.name)}${who ? ` — ${who}` : ''}.`;
  const style: string[] = [];
  if (wine.type && detail.type) style.push(`${lineType(wine.type)[lang]}${line.sweet ? sweetMark(wine.type)[lang] : ''}`);
  else if (line.sweet) style.push(SAY.sweet[lang]);
  if (wine.body) style.push(bodyLabel(wine.body, wine.type)[lang]);
  if (wine.acidity && line.showAcidity) style.push(ACIDITY[wine.acidity][lang]);
  if (detail.grapes && wine.grapes.length > 0) {
    const grapes = wine.grapes.slice(0, 3).map(g.grape);
    style.push(grapes.length === 1 ? (grapes[0] ?? '') : SAY.blend[lang](g.and(grapes), wine.grapes.length > 3));
  }
  if (wine.abv !== null) style.push(SAY.abv[lang](g.number(wine.abv)));
  const sentences: string[] = [];
  if (style.length) sentences.push(`${capitalize(style.join(', '))}.`);
  const why: string[] = [];
  const others = g.and(line.otherPairings.map(g.pairing));
  if (line.matchedFood) why.push(SAY.worksWith[lang](g.food(line.matchedFood), others));
  else if (others) why.push(SAY.pairsWith[lang](others));
  if (wine.rating !== null) why.push(SAY.rated[lang](g.number(wine.rating, 1, true), g.votes(wine.ratingCount ?? 0), why.length === 0));
  if (why.length) sentences.push(`${why.join('; ')}.`);
  if (wine.price !== null) sentences.push(SAY.price[lang](`${g.number(wine.price, 2)}${wine.currency ? ` ${wine.currency}` : ''}`));
  if (line.differs) {
    const list = line.differs.keys.map((key) => violation(key, line, lang, g)).join('; ');
    sentences.push(SAY.differs[lang](line.differs.core, list));
  }
  return `${head} ${sentences.join(' ')}`.trim();
}

/** What a grape's (or a style's) best wines in the catalog have in common. */
function catalogFacts(facts: GrapeFacts, subject: string, first: boolean, lang: Language, g: Grammar): string {
  if (facts.seen === 0) return SAY.noneOf[lang](subject);
  const parts = [
    facts.body ? SAY.factBody[lang](facts.body) : SAY.factMixedBody[lang],
    facts.pairings.length ? SAY.factPairings[lang](g.and(facts.pairings.map(g.pairing))) : '',
    facts.countries.length ? SAY.factCountries[lang](g.fromCountries(facts.countries, 'and')) : '',
  ].filter(Boolean);
  return SAY.catalogFacts[lang](subject, parts, first);
}

function example(facts: GrapeFacts, g: Grammar): string | null {
  const wine = facts.example;
  if (!wine) return null;
  const where = [wine.winery, wine.country ? g.country(wine.country) : null].filter(Boolean).join(', ');
  return `${g.name(wine.name)}${where ? ` (${where})` : ''}`;
}

function wording(lang: Language): Wording {
  const g = GRAMMAR[lang];
  const compare = (a: GrapeFacts, b: GrapeFacts, profiles: string, subjects: [string, string]): string => {
    const examples = [example(a, g), example(b, g)].filter((x): x is string => x !== null);
    return [
      profiles,
      `${catalogFacts(a, subjects[0], true, lang, g)} ${catalogFacts(b, subjects[1], false, lang, g)}`,
      examples.length ? SAY.sideBySide[lang](g.and(examples)) : '',
    ]
      .filter(Boolean)
      .join('\n\n');
  };
  const grapeSubject = (grape: string) => SAY.grapeSubject[lang](g.grape(grape));
  return {
    language: lang,
    bareRequest: SAY.bareRequest[lang],
    request: (summary) => request(summary, lang, g),
    wineLine: (line) => wineLine(line, lang, g),
    opening(o: Opening) {
      switch (o.kind) {
        case 'unsure':
          return SAY.unsure[lang];
        case 'general':
          return SAY.general[lang](g.and(o.occasions.map((occasion) => occasion[lang])));
        case 'widened':
          return SAY.widened[lang](g.article(o.summary));
        case 'matches':
          return choose(SAY.matches[lang], o.seed)(g.article(o.summary));
        case 'onlyFew':
          return SAY.onlyFew[lang](g.article(o.summary), o.count);
      }
    },
    nothingFound: (summary, broaden) => `${SAY.nothingFound[lang](summary !== SAY.bareRequest[lang] ? g.article(summary) : null)} ${broaden}`,
    broaden(keys) {
      const hints = keys.slice(0, 2).map((key) => CONSTRAINT[key].broaden[lang]);
      return hints.length ? SAY.broaden[lang](g.or(hints)) : SAY.describeStyle[lang];
    },
    noPrices(note) {
      const limit = note.budget?.max ?? note.budget?.min;
      const amount = limit !== undefined ? `${g.number(limit, 2)}${note.budget?.currency ? ` ${note.budget.currency}` : ''}` : null;
      return `${SAY.noPrices[lang](amount, note.budget?.max !== undefined)}${note.prestigeLeftOut ? SAY.prestigeLeftOut[lang] : SAY.bestOtherwise[lang]}`;
    },
    noOthers: () => SAY.noOthers[lang],
    describeMore: () => SAY.describeMore[lang],
    unsupported: (topics) => SAY.cannotHonour[lang](capitalize(g.and(topics.map((topic) => UNSUPPORTED[topic][lang])))),
    servingTip: (type) => SAY.serve[lang](TYPE[type].serve[lang], ...TYPE[type].celsius),
    invitation: (seed) => choose(INVITATIONS[lang], seed),
    smallTalk: (kind) => SMALL_TALK[kind][lang],
    noSearch: () => SAY.noSearch[lang],
    catalogDown: () => SAY.catalogDown[lang],
    nearMiss(n: NearMiss) {
      const options = n.alternatives.map((alternative) => {
        switch (alternative.key) {
          case 'country':
            return SAY.sameFrom[lang](g.fromCountries(alternative.countries, 'or'));
          case 'region':
            return SAY.otherRegions[lang](g.or(alternative.regions));
          case 'type':
            return SAY.instead[lang](g.or(alternative.types.map((t) => TYPE[t][lang])));
          case 'grape':
            return SAY.otherGrapes[lang](g.or(alternative.grapes.map(g.grape)));
          case 'body':
            return SAY.otherBody[lang](g.or(alternative.bodies.map((b) => BODY[b][lang])));
          case 'pairing':
            return SAY.notListedFor[lang](n.food ? g.food(n.food) : null);
          case 'sweetness':
            return SAY.otherSweetness[lang];
        }
      });
      return [SAY.nearMiss[lang](g.article(n.summary)), options.length ? SAY.itHas[lang](options) : ''].filter(Boolean).join(' ');
    },
    compareGrapes: (a, b) =>
      compare(
        a,
        b,
        [GRAPE_PROFILE[a.grape]?.[lang], GRAPE_PROFILE[b.grape]?.[lang]].filter(Boolean).join(' ') ||
          SAY.differentGrapes[lang](capitalize(g.grape(a.grape)), g.grape(b.grape)),
        [grapeSubject(a.grape), grapeSubject(b.grape)],
      ),
    compareStyles: (a, b) =>
      compare(
        a,
        b,
        [STYLE_PROFILE[a.grape]?.[lang], STYLE_PROFILE[b.grape]?.[lang]].filter(Boolean).join(' '),
        [styleSubject(a.grape, lang), styleSubject(b.grape, lang)],
      ),
    aboutGrape(facts) {
      const sample = example(facts, g);
      return [GRAPE_PROFILE[facts.grape]?.[lang] ?? '', catalogFacts(facts, grapeSubject(facts.grape), true, lang, g), sample ? SAY.goodExample[lang](sample) : '']
        .filter(Boolean)
        .join('\n\n');
    },
    aboutTopic: (topic) => TOPIC[topic][lang],
  };
}

/** "Champagne wines" / «шампанских вин». */
const styleSubject = (style: string, lang: Language): string => ({ en: style, ru: STYLE_PROFILE[style]?.ruOf ?? style })[lang];

const WORDINGS: Both<Wording> = { en: wording('en'), ru: wording('ru') };

/** The wording for a reply's language. */
export const wordingFor = (language: Language): Wording => WORDINGS[language];
