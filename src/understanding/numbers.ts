/**
 * Numbers in a request: alcohol ("до 13 градусов", "12-14%"), rating ("рейтинг выше 4", "4.2+ stars") and
 * price in any currency form ("до 30 евро", "€30", "30 euros", "under $25", "до 2 тыс руб"). What a number
 * measures comes from the sign or word after it, a currency sign before it, or a word shortly before it
 * ("крепость до 13"); its direction from the bound word before it ("до", "under", "от", "at least").
 */
import {
  BOUND_SIGNS,
  CURRENCIES,
  RANGE_SIGNS,
  sensesOf,
  UNIT_SIGNS,
  type Bound,
  type Phrase,
  type Quantity,
  type TermReading,
  type Token,
} from '../catalog/lexicon/index.js';
import type { RequestConstraints } from './request.js';

/** What the numbers of a message say, and which phrases they took. */
export interface NumberReading {
  constraints: Pick<RequestConstraints, 'minAbv' | 'maxAbv' | 'minRating' | 'minPrice' | 'maxPrice' | 'currency'>;
  /** Phrases read as part of a number (the number, its unit, bound and currency words). */
  used: Set<Phrase>;
}

const CURRENCY_SIGNS = new Map(CURRENCIES.flatMap((currency) => currency.signs.map((sign) => [sign, currency.code] as const)));

/** "12,5" and "12.5" alike. */
const parseNumber = (raw: string): number => Number(raw.replace(',', '.'));

/** A number read with what surrounds it. */
interface Quantified {
  value: number;
  quantity?: Quantity;
  currency?: string;
  /** The phrases after the number that belong to it (a unit, a currency, "тыс"). */
  after: Phrase[];
  /** Index of the last phrase the number took. */
  last: number;
}

const MAX_ABV = 25;
/** A bare number with a bound ("до 1500") is a price when no wine could have that strength or rating. */
const BARE_PRICE_FROM = 100;
/** "13%" without a bound means about 13: half a degree either way. */
const EXACT_ABV_SLACK = 0.5;

export function readNumbers(reading: TermReading): NumberReading {
  const { tokens, phrases } = reading;
  const position = new Map<Token, number>(tokens.map((token, index) => [token, index]));
  const used = new Set<Phrase>();
  const constraints: NumberReading['constraints'] = {};

  /** The raw tokens (signs included) between two phrases, or after the last one. */
  const between = (from: Phrase | undefined, to: Phrase | undefined): Token[] => {
    const start = from ? (position.get(from.tokens.at(-1) as Token) ?? -1) + 1 : 0;
    const end = to ? (position.get(to.tokens[0] as Token) ?? tokens.length) : tokens.length;
    return tokens.slice(start, end);
  };
  const isNumber = (phrase: Phrase | undefined): boolean => phrase?.tokens.length === 1 && phrase.tokens[0]?.kind === 'number';

  /** The number at phrase i with its unit and currency, reading forward. */
  const quantify = (i: number): Quantified | null => {
    const phrase = phrases[i];
    const token = phrase?.tokens[0];
    if (!phrase || !token || !isNumber(phrase)) return null;
    let value = parseNumber(token.text);
    let last = i;
    const after: Phrase[] = [];
    // "2 000": a group of three digits after a single space continues the number.
    const next = phrases[i + 1];
    const nextToken = next?.tokens[0];
    if (next && nextToken && isNumber(next) && /^\d{3}$/.test(nextToken.text) && nextToken.start - token.end === 1 && /^\d+$/.test(token.text)) {
      value = value * 1000 + Number(nextToken.text);
      after.push(next);
      last = i + 1;
    }
    let quantity: Quantity | undefined;
    let currency: string | undefined;
    const signs = between(phrases[last], phrases[last + 1]).map((t) => t.text);
    for (const sign of signs) {
      if (UNIT_SIGNS[sign]) quantity ??= UNIT_SIGNS[sign];
      const code = CURRENCY_SIGNS.get(sign);
      if (code) {
        quantity ??= 'price';
        currency ??= code;
      }
    }
    // Words right after: "тыс", a currency, a unit ("30 евро", "13 градусов", "4 звезды").
    for (let j = last + 1; j < phrases.length && j <= last + 2; j += 1) {
      const word = phrases[j] as Phrase;
      if (between(phrases[j - 1], word).some((t) => t.kind === 'sign' && !CURRENCY_SIGNS.has(t.text) && t.text !== '+')) break;
      if (sensesOf(word, 'thousand').length > 0 && after.length === 0) {
        value *= 1000;
      } else if (sensesOf(word, 'currency')[0]) {
        quantity ??= 'price';
        currency ??= sensesOf(word, 'currency')[0]?.code;
      } else if (sensesOf(word, 'unit')[0] && !quantity) {
        quantity = sensesOf(word, 'unit')[0]?.quantity;
      } else break;
      after.push(word);
      last = j;
    }
    // A currency sign in front: "€30", "$ 25".
    const before = between(phrases[i - 1], phrase).map((t) => t.text);
    for (const sign of before) {
      const code = CURRENCY_SIGNS.get(sign);
      if (code) {
        quantity ??= 'price';
        currency ??= code;
      }
    }
    return { value, quantity, currency, after, last };
  };

  let i = 0;
  while (i < phrases.length) {
    const first = quantify(i);
    if (!first) {
      i += 1;
      continue;
    }
    const numberPhrase = phrases[i] as Phrase;
    const taken: Phrase[] = [numberPhrase, ...first.after];
    // A range: "12-14%", "от 12 до 14 %", "from 20 to 30 euros".
    let second: Quantified | null = null;
    const connector = phrases[first.last + 1];
    const dash = between(phrases[first.last], connector).some((t) => RANGE_SIGNS.includes(t.text));
    if (dash && isNumber(connector)) {
      second = quantify(first.last + 1);
      if (second) taken.push(connector as Phrase, ...second.after);
    } else if (connector && sensesOf(connector, 'range').length > 0 && isNumber(phrases[first.last + 2])) {
      second = quantify(first.last + 2);
      if (second) taken.push(connector, phrases[first.last + 2] as Phrase, ...second.after);
    }
    // The bound and context words before the number: "не более 13", "рейтинг выше 4", "under €30".
    const previous = phrases[i - 1];
    let bound: Bound | undefined = previous && !used.has(previous) ? sensesOf(previous, 'bound')[0]?.bound : undefined;
    if (bound && previous) taken.push(previous);
    for (const sign of between(previous, numberPhrase).map((t) => t.text)) bound ??= BOUND_SIGNS[sign];
    const trailing = between(phrases[(second ?? first).last], phrases[(second ?? first).last + 1]).map((t) => t.text);
    if (trailing.includes('+')) bound ??= 'min';
    let quantity = second?.quantity ?? first.quantity;
    for (let back = i - 1; back >= Math.max(0, i - 3) && !quantity; back -= 1) {
      const context = sensesOf(phrases[back] as Phrase, 'numberContext')[0];
      if (context) {
        quantity = context.quantity;
        taken.push(phrases[back] as Phrase);
      }
    }
    const low = first.value;
    const high = second?.value;
    if (!quantity && (bound || high !== undefined) && (high ?? low) >= BARE_PRICE_FROM) quantity = 'price';
    if (quantity && apply(constraints, quantity, low, high, bound, second?.currency ?? first.currency)) {
      for (const phrase of taken) used.add(phrase);
    }
    i = (second ?? first).last + 1;
  }
  return { constraints, used };
}

/** Writes one reading into the constraints; false when the value makes no sense for what it measures. */
function apply(
  c: NumberReading['constraints'],
  quantity: Quantity,
  low: number,
  high: number | undefined,
  bound: Bound | undefined,
  currency: string | undefined,
): boolean {
  if (!Number.isFinite(low) || (high !== undefined && (!Number.isFinite(high) || high < low))) return false;
  if (quantity === 'abv') {
    if (low <= 0 || (high ?? low) > MAX_ABV) return false;
    if (high !== undefined) {
      c.minAbv = low;
      c.maxAbv = high;
    } else if (bound === 'max') c.maxAbv = low;
    else if (bound === 'min') c.minAbv = low;
    else {
      c.minAbv = Math.max(0, low - EXACT_ABV_SLACK);
      c.maxAbv = low + EXACT_ABV_SLACK;
    }
    return true;
  }
  if (quantity === 'rating') {
    if (low <= 0 || low > 5 || bound === 'max') return false;
    c.minRating = low;
    return true;
  }
  if (low < 0 || (high ?? low) > 1e9) return false;
  if (high !== undefined) {
    c.minPrice = low;
    c.maxPrice = high;
  } else if (bound === 'min') c.minPrice = low;
  // "€30 red", "за 1000 рублей", "under 30 euros": a budget.
  else c.maxPrice = low;
  if (currency) c.currency = currency;
  return true;
}
