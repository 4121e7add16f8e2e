import { GRAPES } from '../catalog/lexicon/index.js';
import { BODIES, type Body, type WineType } from '../catalog/index.js';
import { readMessage } from './message.js';
import { hasAnyConstraint, hasLetters, type MessageReading, type RequestConstraints, type SmallTalk } from './request.js';
import { sweetFriendly } from './subjects.js';

export interface ConversationReading {
  /** The request the latest message amounts to, with earlier turns folded in when it is a follow-up. */
  constraints: RequestConstraints;
  /** The latest message only refines an earlier request ("а подешевле?", "something lighter?"). */
  followUp: boolean;
  /** The latest message is only a greeting or a thank-you, or not about wine at all. */
  smallTalk: SmallTalk | null;
  /** The person asked for other/more options: do not repeat earlier picks. */
  wantsOthers: boolean;
  /** The person asked for cheaper (or pricier) wines. */
  priceAsked: boolean;
}

/** A follow-up of at most this many words without its own type/food/grape refines the previous request. */
const SHORT_FOLLOW_UP_WORDS = 6;

/**
 * Reads the user's side of a conversation, oldest first. Each message either starts a new request or
 * refines the current one; the result is what the latest message asks for.
 */
export function readConversation(userMessages: readonly string[]): ConversationReading {
  let current: RequestConstraints | undefined;
  let last: MessageReading | undefined;
  let followUp = false;
  for (const text of userMessages) {
    const reading = readMessage(text);
    last = reading;
    if (reading.signals.smallTalk) {
      followUp = false;
      continue;
    }
    if (current && isFollowUp(reading, text)) {
      current = refine(current, reading, text);
      followUp = true;
    } else {
      current = standalone(reading);
      followUp = false;
    }
  }
  const constraints = implySweetness(current ?? { language: last?.constraints.language ?? 'en', foodWords: [], freeText: '' });
  const latest = userMessages.at(-1) ?? '';
  if (last && hasLetters(latest)) constraints.language = last.constraints.language;
  // Topics the catalog has no data on are answered for the message that raised them, not carried on.
  if (last?.constraints.unsupported) constraints.unsupported = last.constraints.unsupported;
  else delete constraints.unsupported;
  return {
    constraints,
    followUp,
    smallTalk: last?.signals.smallTalk ?? null,
    wantsOthers: followUp && Boolean(last?.signals.other),
    priceAsked: Boolean(last?.signals.cheaper || last?.signals.pricier || last?.constraints.maxPrice || last?.constraints.minPrice),
  };
}

/**
 * A follow-up refines the last request; anything else starts a new one, so "вино из Грузии" after a dessert
 * question is not "к десерту". Openers ("а …", "and …") and comparatives ("подешевле") make a follow-up;
 * a subject of its own (a type, a dish, a grape, an occasion), a request for "вино" in so many words or a
 * general question make a new request; a short message with neither ("из Италии", "under 13%") leans on the
 * last one.
 */
function isFollowUp(reading: MessageReading, text: string): boolean {
  const c = reading.constraints;
  if (c.question) return false;
  if (reading.signals.followUp) return true;
  const ownSubject = c.types !== undefined || c.pairing !== undefined || c.grape !== undefined || (c.occasions?.length ?? 0) > 0;
  if (ownSubject || reading.signals.asksForWine) return false;
  const words = text.split(/\s+/).filter(Boolean).length;
  return words <= SHORT_FOLLOW_UP_WORDS && (hasAnyConstraint(c) || c.freeText === '' || (c.unsupported?.length ?? 0) > 0);
}

/** Types a sweet-wine request is about. */
const SWEET_TYPES: readonly WineType[] = ['dessert', 'port'];

/**
 * Sweetness nobody stated: a savoury dish rules dessert wines and ports out (no Port or Eiswein with a
 * Thai curry), and otherwise sweet wines go after the others (a "Riesling from Germany" is not three
 * Beerenauslesen), unless something asked for is sweet by nature (a dessert, a port, cheese).
 */
function implySweetness(c: RequestConstraints): RequestConstraints {
  if (c.sweetness !== undefined || c.types?.some((type) => SWEET_TYPES.includes(type)) || c.question) return c;
  if (c.pairing !== undefined && sweetFriendly(c.pairing)) return c;
  c.avoidSweet = true;
  if (c.pairing !== undefined) {
    const excluded = new Set([...(c.excludeTypes ?? []), ...SWEET_TYPES]);
    c.excludeTypes = [...excluded];
  }
  return c;
}

/** A new request: apply its own comparatives ("something cheaper than usual") as orderings. */
function standalone(reading: MessageReading): RequestConstraints {
  const c = { ...reading.constraints };
  const s = reading.signals;
  if (s.cheaper && c.sort === undefined) c.sort = 'price_asc';
  if (s.pricier && c.sort === undefined) c.sort = 'price_desc';
  if (s.lighter && c.body === undefined) c.body = ['very_light', 'light', 'medium'];
  if (s.heavier && c.body === undefined) c.body = ['full', 'very_full'];
  if (s.fresher && c.acidity === undefined) c.acidity = ['high'];
  return c;
}

function refine(previous: RequestConstraints, reading: MessageReading, text: string): RequestConstraints {
  const next: RequestConstraints = { ...previous, foodWords: [...previous.foodWords] };
  delete next.question;
  const c = reading.constraints;
  const s = reading.signals;

  if (c.pairing !== undefined) {
    // A new dish resets the style chosen for the old one ("а к рыбе?" after a red for steak).
    next.pairing = c.pairing;
    next.foodWords = c.foodWords;
    delete next.types;
    delete next.body;
    delete next.grape;
    delete next.acidity;
    delete next.sweetness;
    delete next.excludeTypes;
  }
  if (c.types !== undefined) {
    next.types = c.types;
    if (c.grape === undefined) delete next.grape;
  }
  if (c.excludeTypes !== undefined) {
    next.excludeTypes = [...new Set([...(next.excludeTypes ?? []), ...c.excludeTypes])];
  }
  for (const key of ['excludeGrapes', 'excludeCountries', 'excludeRegions'] as const) {
    const excluded = c[key];
    if (excluded) next[key] = [...new Set([...(next[key] ?? []), ...excluded])];
  }
  if (c.sweetness !== undefined) next.sweetness = c.sweetness;
  if (c.grape !== undefined) {
    next.grape = c.grape;
    const colour = GRAPES.find((g) => g.name === c.grape)?.colour;
    const clashes =
      (colour === 'red' && next.types?.every((t) => t === 'white')) ||
      (colour === 'white' && next.types?.every((t) => t === 'red'));
    if (clashes && c.types === undefined) delete next.types;
  }
  if (c.country !== undefined) {
    next.country = c.country;
    if (c.region === undefined) delete next.region;
  }
  if (c.region !== undefined) next.region = c.region;

  if (c.body !== undefined) next.body = c.body;
  else if (s.lighter) next.body = shiftBody(previous.body, -1);
  else if (s.heavier) next.body = shiftBody(previous.body, +1);

  if (c.acidity !== undefined) next.acidity = c.acidity;
  else if (s.fresher) next.acidity = ['high'];

  if (s.sweeter) {
    next.types = ['dessert', 'port'];
    delete next.excludeTypes;
    delete next.sweetness;
  }
  if (s.drier) {
    next.sweetness = 'dry';
    next.excludeTypes = [...new Set([...(next.excludeTypes ?? []), 'dessert' as const, 'port' as const])];
    if (next.types) next.types = next.types.filter((t) => t !== 'dessert' && t !== 'port');
    if (next.types?.length === 0) delete next.types;
  }
  if (next.types && next.excludeTypes) {
    next.excludeTypes = next.excludeTypes.filter((t) => !next.types?.includes(t));
    if (next.excludeTypes.length === 0) delete next.excludeTypes;
  }

  for (const key of ['minAbv', 'maxAbv', 'minRating', 'minPrice', 'maxPrice', 'currency'] as const) {
    if (c[key] !== undefined) next[key] = c[key] as never;
  }
  if (s.stronger && c.minAbv === undefined) {
    delete next.maxAbv;
    next.sort = 'abv_desc';
  }
  if (s.weaker && c.maxAbv === undefined) {
    delete next.minAbv;
    next.sort = 'abv_asc';
  }
  if (s.cheaper) next.sort = 'price_asc';
  if (s.pricier) next.sort = 'price_desc';
  if (c.sort !== undefined) next.sort = c.sort;

  if (c.freeText !== '') next.freeText = c.freeText;
  if (c.occasions) next.occasions = c.occasions;
  if (hasLetters(text)) next.language = c.language;
  return next;
}

/** "Lighter"/"heavier" than what was asked before (or than a typical full-bodied pick when unstated). */
function shiftBody(previous: Body[] | undefined, direction: -1 | 1): Body[] {
  const indexes = (previous ?? [direction < 0 ? 'full' : 'medium']).map((b) => BODIES.indexOf(b));
  if (direction < 0) {
    const lightest = Math.min(...indexes);
    return lightest <= 0 ? ['very_light'] : BODIES.slice(0, lightest);
  }
  const heaviest = Math.max(...indexes);
  return heaviest >= BODIES.length - 1 ? ['very_full'] : BODIES.slice(heaviest + 1);
}
