/**
 * The one pattern compiler. A pattern is words separated by spaces (a hyphen or an apostrophe counts as a
 * space); in each word slot:
 * - `стейк*`: any word that starts with "стейк" (a Russian stem covers its case endings);
 * - `oyster`: the whole word, an English one in its plural as well (`singular` folds both);
 * - `сухое|сухого`: any of the alternatives;
 * - `[слишком|too]`: an optional slot.
 *
 * Search and request understanding both read text through a `PhraseIndex` built from these patterns, taking
 * the longest phrase at each word, so "белая рыба" is a food before "белая" can be a colour and "Sauvignon
 * Blanc" a grape before "blanc" can be white.
 */
import { fold, singular } from './text.js';

interface PatternWord {
  text: string;
  prefix: boolean;
}

type Slot = PatternWord[];

function compileWord(raw: string): PatternWord {
  return raw.endsWith('*')
    ? { text: raw.slice(0, -1), prefix: true }
    : { text: singular(raw.replace(/[^\p{L}\p{N}]/gu, '')), prefix: false };
}

/** Every word sequence a pattern stands for (one per combination of its optional slots). */
export function compilePattern(pattern: string): Slot[][] {
  let sequences: Slot[][] = [[]];
  for (const raw of fold(pattern).split(/[\s'’\-–]+/u).filter(Boolean)) {
    const optional = raw.startsWith('[') && raw.endsWith(']');
    const slot = (optional ? raw.slice(1, -1) : raw).split('|').filter(Boolean).map(compileWord);
    if (slot.length === 0) continue;
    sequences = optional ? [...sequences, ...sequences.map((sequence) => [...sequence, slot])] : sequences.map((sequence) => [...sequence, slot]);
  }
  return sequences.filter((sequence) => sequence.length > 0);
}

const fits = (word: PatternWord, text: string, folded: string): boolean =>
  word.prefix ? text.startsWith(word.text) : folded === word.text;

interface Compiled<T> {
  slots: Slot[];
  value: T;
}

export interface ScannedPhrase<T> extends PhraseMatch<T> {
  /** Index of the phrase's first word. */
  at: number;
}

export interface PhraseMatch<T> {
  /** How many words the phrase covers. */
  length: number;
  /** Every value whose pattern covers exactly these words. */
  values: T[];
}

/**
 * Patterns indexed by their first word. `longestAt` looks only at the patterns whose first slot can match,
 * so a reading costs a few comparisons per word rather than one per pattern.
 */
export class PhraseIndex<T> {
  private readonly byWord = new Map<string, Compiled<T>[]>();
  private readonly byPrefix = new Map<string, Compiled<T>[]>();

  constructor(entries: Iterable<{ patterns: readonly string[]; value: T }>) {
    for (const { patterns, value } of entries) {
      for (const pattern of patterns) {
        for (const slots of compilePattern(pattern)) {
          const compiled = { slots, value };
          for (const word of slots[0] ?? []) {
            const [map, key] = word.prefix ? [this.byPrefix, word.text.slice(0, 1)] : [this.byWord, word.text];
            const bucket = map.get(key);
            if (bucket) bucket.push(compiled);
            else map.set(key, [compiled]);
          }
        }
      }
    }
  }

  /**
   * Reads words left to right, taking the longest phrase at each word; a word no pattern starts with comes
   * back on its own with no values. `joins(i)` says whether word i may continue a phrase that reached word
   * i - 1 (false across punctuation).
   */
  scan(words: readonly string[], joins: (index: number) => boolean = () => true): ScannedPhrase<T>[] {
    const folded = words.map(singular);
    const phrases: ScannedPhrase<T>[] = [];
    let at = 0;
    while (at < words.length) {
      const match = this.longestAt(words, folded, at, joins);
      const length = match?.length ?? 1;
      phrases.push({ at, length, values: match?.values ?? [] });
      at += length;
    }
    return phrases;
  }

  private longestAt(
    words: readonly string[],
    folded: readonly string[],
    at: number,
    joins: (index: number) => boolean,
  ): PhraseMatch<T> | null {
    const first = words[at];
    if (first === undefined || first === '') return null;
    const candidates = [...(this.byWord.get(folded[at] ?? '') ?? []), ...(this.byPrefix.get(first.slice(0, 1)) ?? [])];
    let best: PhraseMatch<T> | null = null;
    for (const { slots, value } of candidates) {
      const length = slots.length;
      if (best && length < best.length) continue;
      if (at + length > words.length) continue;
      let matched = true;
      for (let offset = 0; offset < length && matched; offset += 1) {
        const index = at + offset;
        matched = (offset === 0 || joins(index)) && (slots[offset] ?? []).some((word) => fits(word, words[index] ?? '', folded[index] ?? ''));
      }
      if (!matched) continue;
      if (!best || length > best.length) best = { length, values: [value] };
      else if (!best.values.includes(value)) best.values.push(value);
    }
    return best;
  }
}
