/**
 * Name safety. Callers decide which wines a reply recommends by finding their names in it, so a line about
 * one wine must not name another: a grape or a region that happens to be another wine's name ("Cabernet
 * Sauvignon", "Barolo") would count as a recommendation of that wine.
 */
import { foldedWords } from '../catalog/lexicon/index.js';
import { moduleCache } from '../shared/index.js';
import type { ToolWine } from './transcript.js';

/** Earlier replies are folded again on every model call of every turn of a session, so their folded forms are kept. */
const foldedReplies = moduleCache<string, string>('offline/names.foldedReplies', 500);
/** Candidate lines: the same wine in the same wording recurs whenever a popular request comes again. */
const foldedLines = moduleCache<string, string>('offline/names.foldedLines', 4000);

/** Same as folding the replies joined by newlines: a newline only ever becomes the space between them. */
export function foldReplies(replies: string[]): string {
  return replies
    .map((reply) => foldedReplies.through(reply, foldedWords))
    .filter((folded) => folded !== '')
    .join(' ');
}

/**
 * The folded, space-padded names of this turn's wines, made once per reply: every candidate line is
 * checked against all of them, at several detail levels.
 */
export class WineNames {
  private readonly entries: { id: number; needle: string }[];

  constructor(wines: readonly ToolWine[]) {
    this.entries = wines.flatMap((wine) => {
      return wine.foldedName === '' ? [] : [{ id: wine.id, needle: ` ${wine.foldedName} ` }];
    });
  }

  /** Whether `text` names a wine other than `own` (or names `own` a second time). */
  namesOthers(text: string, own: ToolWine | null): boolean {
    let haystack = ` ${foldedLines.through(text, foldedWords)} `;
    const name = own?.foldedName ?? '';
    if (name) {
      const needle = ` ${name} `;
      const at = haystack.indexOf(needle);
      if (at !== -1) haystack = `${haystack.slice(0, at)}${' '.repeat(needle.length)}${haystack.slice(at + needle.length)}`;
    }
    return this.entries.some(({ id, needle }) => id !== own?.id && haystack.includes(needle));
  }

  /**
   * The first of the wordings, most detailed first, that names no other wine. When every one does, the last
   * (the barest) for a wine line, or the first (the most informative) where even the barest would name one.
   */
  firstSafe(wordings: readonly (() => string)[], own: ToolWine | null, otherwise: 'first' | 'last' = 'last'): string {
    const texts: string[] = [];
    for (const wording of wordings) {
      const text = wording();
      if (!this.namesOthers(text, own)) return text;
      texts.push(text);
    }
    return (otherwise === 'first' ? texts[0] : texts.at(-1)) ?? '';
  }
}
