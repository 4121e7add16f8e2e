/**
 * How a message relates to the conversation: a continuation ("а подешевле?"), a request of its own
 * ("вино из Грузии"), small talk, or a general question about wine.
 */
import { sensesOf, type Order, type Phrase, type UnsupportedTopic, type WineTopic } from '../catalog/lexicon/index.js';
import type { MessageSignals, RequestConstraints, WineQuestion } from './request.js';

export interface SignalReading {
  signals: MessageSignals;
  /** Orderings the words imply ("дешёвое", "popular", "лучшее"). */
  orders: Set<Order>;
  greeting: boolean;
  thanks: boolean;
}

export function readSignals(phrases: readonly Phrase[], used: ReadonlySet<Phrase>): SignalReading {
  const signals: MessageSignals = {
    followUp: false,
    asksForWine: false,
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
  const reading: SignalReading = { signals, orders: new Set(), greeting: false, thanks: false };
  const first = phrases[0];
  if (first && sensesOf(first, 'opener').length > 0) signals.followUp = true;
  const { orders } = reading;
  for (const phrase of phrases) {
    if (used.has(phrase)) continue;
    for (const { comparative } of sensesOf(phrase, 'comparative')) signals[comparative] = true;
    for (const { order } of sensesOf(phrase, 'order')) orders.add(order);
    for (const { kind } of sensesOf(phrase, 'smallTalk')) reading[kind === 'greeting' ? 'greeting' : 'thanks'] = true;
    if (sensesOf(phrase, 'wineNoun').length > 0 || sensesOf(phrase, 'asking').length > 0) signals.asksForWine = true;
  }
  if (orders.has('cheap')) signals.cheaper = true;
  const comparatives: (keyof MessageSignals)[] = ['lighter', 'heavier', 'stronger', 'weaker', 'cheaper', 'pricier', 'fresher', 'sweeter', 'drier', 'other'];
  if (comparatives.some((key) => signals[key] === true)) signals.followUp = true;
  return reading;
}

/**
 * A general question: a question word with grapes or a wine topic and nothing to pair with ("what's the
 * difference between Merlot and Cabernet?", "что такое танины?", "how long does an open bottle keep?").
 * "What wine goes with steak?" names a dish, so it is a request.
 */
export function readQuestion(
  phrases: readonly Phrase[],
  grapes: readonly string[],
  c: Pick<RequestConstraints, 'pairing' | 'occasions' | 'types' | 'country'>,
): WineQuestion | undefined {
  const cues = new Set(phrases.flatMap((phrase) => sensesOf(phrase, 'question').map((sense) => sense.cue)));
  if (cues.size === 0 || c.pairing !== undefined || (c.occasions?.length ?? 0) > 0) return undefined;
  const [first, second] = grapes;
  if (cues.has('compare') && first && second) return { kind: 'compare', grapes: [first, second] };
  const styles = [...new Set(phrases.flatMap((phrase) => sensesOf(phrase, 'type').flatMap((sense) => (sense.style.appellation ? [sense.style.appellation] : []))))];
  const [one, other] = styles;
  if (cues.has('compare') && one && other) return { kind: 'compareStyles', styles: [one, other] };
  const topics: (WineTopic | UnsupportedTopic)[] = phrases.flatMap((phrase) => [
    ...sensesOf(phrase, 'descriptor').flatMap((sense) => (sense.descriptor.topic ? [sense.descriptor.topic] : [])),
    ...sensesOf(phrase, 'unsupported').map((sense) => sense.topic),
  ]);
  if (cues.has('define') && first && !second && topics.length === 0 && c.country === undefined) return { kind: 'grape', grape: first };
  const topic = topics[0];
  if (topic && (cues.has('define') || cues.has('how'))) return { kind: 'topic', topic };
  return undefined;
}
