/**
 * What a negation excludes: "не совиньон", "not Champagne", "no dessert wines", "не слишком тяжёлое",
 * "no red or rosé", "ни красное, ни розовое". A negation reaches the next wine word across filler words
 * ("not too", "don't want"), and on across "or"/"или"/"ни"; punctuation or any other word ends it.
 */
import type { Phrase, Role } from '../catalog/lexicon/index.js';

/** Roles a negation can exclude. */
const NEGATABLE: ReadonlySet<Role> = new Set([
  'type', 'grape', 'country', 'region', 'sweetness', 'body', 'acidity', 'strength', 'food', 'occasion', 'unsupported', 'descriptor',
]);

/** Filler words a negation reaches across, at most this many in a row. */
const MAX_FILLERS = 2;

const has = (phrase: Phrase, role: Role): boolean => phrase.values.some((sense) => sense.role === role);
const negatable = (phrase: Phrase): boolean => phrase.values.some((sense) => NEGATABLE.has(sense.role));

/** The phrases a negation excludes; the negation words themselves are in `cues`. */
export function negatedPhrases(phrases: readonly Phrase[], skip: ReadonlySet<Phrase>): { negated: Set<Phrase>; cues: Set<Phrase> } {
  const negated = new Set<Phrase>();
  const cues = new Set<Phrase>();
  for (let i = 0; i < phrases.length; i += 1) {
    const cue = phrases[i] as Phrase;
    if (skip.has(cue) || !has(cue, 'negation') || negatable(cue)) continue;
    let fillers = 0;
    let reached = false;
    for (let j = i + 1; j < phrases.length; j += 1) {
      const phrase = phrases[j] as Phrase;
      if (phrase.afterBreak && !(reached && has(phrase, 'alternation'))) {
        // "ни красное, ни розовое": a comma before another negation is that negation's business.
        break;
      }
      if (skip.has(phrase)) break;
      if (negatable(phrase)) {
        negated.add(phrase);
        cues.add(cue);
        reached = true;
        fillers = 0;
        continue;
      }
      if (reached ? has(phrase, 'alternation') || has(phrase, 'negation') : has(phrase, 'negationFiller') || has(phrase, 'stopword') || has(phrase, 'wineNoun')) {
        if (!reached && ++fillers > MAX_FILLERS) break;
        continue;
      }
      break;
    }
  }
  return { negated, cues };
}
