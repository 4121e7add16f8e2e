/**
 * Reads one message into a request: every word goes through the lexicon once (src/catalog/lexicon), then
 * each job below takes the roles it understands — numbers, negation, the kind of wine, the dish, place and
 * grape, the conversation signals, and what is left for semantic search.
 */
import { readTerms, type Phrase, type Role } from '../catalog/lexicon/index.js';
import { readLeftovers } from './leftovers.js';
import { moduleCache } from '../shared/index.js';
import { negatedPhrases } from './negation.js';
import { readNumbers } from './numbers.js';
import { detectLanguage, hasAnyConstraint, type MessageReading, type RequestConstraints } from './request.js';
import { readQuestion, readSignals } from './signals.js';
import { readSubjects } from './subjects.js';
import { readWine } from './wine.js';

/** Messages read recently, as frozen templates never handed out; enough for many concurrent sessions. */
const recentReadings = moduleCache<string, Readonly<MessageReading>>('understanding/message.recentReadings', 1000);

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

/** The hard constraints a person states in one message (Russian or English). */
export function readConstraints(text: string): RequestConstraints {
  return readMessage(text).constraints;
}

function parseMessage(text: string): MessageReading {
  const terms = readTerms(text, 'conversation');
  const numbers = readNumbers(terms);
  const live = terms.phrases.filter((phrase) => !numbers.used.has(phrase));
  const { negated, cues } = negatedPhrases(terms.phrases, numbers.used);
  const wine = readWine(live, negated);
  const subjects = readSubjects(text, live, negated);
  const signals = readSignals(live, negated);
  const leftovers = readLeftovers(text, live, new Set([...negated, ...cues]), [...wine.keep, ...subjects.keep]);

  const excludeRegions = [...(wine.constraints.excludeRegions ?? []), ...(subjects.constraints.excludeRegions ?? [])];
  const c: RequestConstraints = {
    language: detectLanguage(text),
    ...numbers.constraints,
    ...wine.constraints,
    ...subjects.constraints,
    freeText: leftovers.freeText,
  };
  // A number ("до 13%") says more than "некрепкое".
  if (numbers.constraints.maxAbv !== undefined) c.maxAbv = numbers.constraints.maxAbv;
  if (excludeRegions.length > 0) c.excludeRegions = [...new Set(excludeRegions)];
  else delete c.excludeRegions;
  if (c.country === undefined && wine.impliedCountry) c.country = wine.impliedCountry;
  const { orders } = signals;
  // Popularity over strength over price over "the best", whatever the order of the words.
  if (orders.has('popularity')) c.sort = 'popularity';
  else if (c.sort === undefined && orders.has('expensive')) c.sort = 'price_desc';
  else if (c.sort === undefined && orders.has('cheap')) c.sort = 'price_asc';
  else if (c.sort === undefined && orders.has('topRated')) c.sort = 'rating';
  if (leftovers.occasions.length > 0) c.occasions = leftovers.occasions;
  if (leftovers.unsupported.length > 0) c.unsupported = leftovers.unsupported;
  const question = readQuestion(live, subjects.grapes, c);
  if (question) c.question = question;

  const reading: MessageReading = { constraints: tidy(c), signals: signals.signals };
  // A greeting in front of a real request is not small talk; the greeting words are simply dropped.
  const nothingAsked = !hasAnyConstraint(c) && !question && !c.occasions && !c.unsupported && !reading.signals.asksForWine;
  if ((signals.greeting || signals.thanks) && nothingAsked && c.freeText === '') {
    reading.signals.smallTalk = signals.thanks ? 'thanks' : 'greeting';
  } else if (nothingAsked && !reading.signals.followUp && offTopic(live)) {
    reading.signals.smallTalk = 'offTopic';
  }
  return reading;
}

/** Roles that make a message about wine, whatever else it says. */
const WINE_ROLES: ReadonlySet<Role> = new Set([
  'food', 'country', 'region', 'grape', 'type', 'sweetness', 'body', 'acidity', 'strength', 'descriptor', 'occasion', 'unsupported',
  'comparative', 'order', 'wineNoun', 'asking', 'question', 'smallTalk',
]);

/**
 * "Какая погода будет завтра?", "who won the match?": several words and none of them about wine. One
 * unknown word ("что-нибудь для бабушки") is not enough to turn a request away.
 */
function offTopic(phrases: readonly Phrase[]): boolean {
  if (phrases.some((phrase) => phrase.values.some((sense) => WINE_ROLES.has(sense.role)))) return false;
  const unknown = phrases.filter((phrase) => phrase.values.length === 0 && phrase.tokens.some((token) => /\p{L}{3,}/u.test(token.text)));
  return unknown.length >= 2;
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
  if (c.foodWords.length === 0) c.foodWords = [];
  return c;
}
