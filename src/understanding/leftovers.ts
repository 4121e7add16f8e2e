/**
 * What is left once the structured parts are read: occasions and style words for semantic search, topics
 * the catalog has no data on, and any words the lexicon does not know.
 */
import { sensesOf, type Occasion, type Phrase, type UnsupportedTopic } from '../catalog/lexicon/index.js';

export interface Leftovers {
  /** Words for semantic search, in the person's own wording. */
  freeText: string;
  occasions: Occasion[];
  unsupported: UnsupportedTopic[];
}

/** Roles whose words go to semantic search as they are. */
const SEARCHED: ReadonlySet<string> = new Set(['descriptor', 'occasion']);

export function readLeftovers(text: string, phrases: readonly Phrase[], skip: ReadonlySet<Phrase>, keep: readonly Phrase[]): Leftovers {
  const occasions = new Map<string, Occasion>();
  const unsupported = new Set<UnsupportedTopic>();
  const words: string[] = [];
  for (const phrase of phrases) {
    for (const { topic } of sensesOf(phrase, 'unsupported')) unsupported.add(topic);
    if (skip.has(phrase)) continue;
    for (const { occasion } of sensesOf(phrase, 'occasion')) occasions.set(occasion.key, occasion);
    const own = text.slice(phrase.start, phrase.end);
    const unknown = phrase.values.length === 0 && /\p{L}{2,}|^\p{N}{4}$/u.test(own);
    const searched = phrase.values.some((sense) => SEARCHED.has(sense.role)) && !phrase.values.some((sense) => sense.role === 'food');
    if (unknown || searched || keep.includes(phrase)) words.push(own);
  }
  // Free text worth searching has at least one real word, not just a stray letter or number.
  const freeText = words.some((word) => /\p{L}{3,}/u.test(word)) ? words.join(' ').slice(0, 300) : '';
  return { freeText, occasions: [...occasions.values()], unsupported: [...unsupported] };
}
