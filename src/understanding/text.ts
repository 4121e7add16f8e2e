/**
 * Text helpers for reading requests. Everything is matched on a normalised copy of the text (lower case,
 * ё → е, accents stripped from Latin letters only) whose length equals the original's, so spans found in
 * it can be blanked out to leave the free text.
 */

const LATIN_WITH_MARKS = /([a-z])[\u0300-\u036f]+/g;

/** Lower-cases, folds ё to е and strips accents from Latin letters (é → e) but keeps й intact. */
export function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .normalize('NFD')
    .replace(LATIN_WITH_MARKS, '$1')
    .normalize('NFC');
}

/**
 * Letters as they appear in normalised text. A narrow class instead of `\p{L}` keeps the patterns cheap to
 * compile (there are hundreds of them); text outside Latin and Cyrillic only needs to not look like a word.
 */
const WORD_CHAR = 'a-z\u00df-\u00ff\u0100-\u024fа-яё\u0400-\u04ff0-9';

/**
 * A tiny pattern language so the tables stay readable:
 * `*` = any letters (a Russian ending), a space = spaces or hyphens, `?` after `)` etc. is plain regex.
 * Word boundaries are spelled out because `\b` does not work for Cyrillic.
 */
export function wordPattern(...alternatives: string[]): RegExp {
  // Longest first, so "full bodied" wins over "full" at the same position.
  const body = [...alternatives]
    .sort((a, b) => b.length - a.length)
    .map((alternative) => alternative.replace(/\*/g, `[${WORD_CHAR}]*`).replace(/ /g, "[\\s\\-–'’]+"))
    .join('|');
  return new RegExp(`(?<![${WORD_CHAR}])(?:${body})(?![${WORD_CHAR}])`, 'g');
}

export interface Span {
  start: number;
  end: number;
}

export interface Hit<T> extends Span {
  value: T;
  text: string;
}

/**
 * The text being read, with the parts already understood blanked out so that later, looser patterns
 * ("бел*" for white) do not re-read them ("белая рыба" is a food, not a colour).
 */
export class Reading {
  private masked: string;

  constructor(readonly original: string) {
    this.masked = normalize(original);
    if (this.masked.length !== original.length) {
      // Some characters change length when lower-cased; fall back to a same-length copy.
      this.masked = Array.from(original, (ch) => {
        const lowered = normalize(ch);
        return lowered.length === ch.length ? lowered : ch;
      }).join('');
    }
  }

  /** The current text with consumed spans replaced by spaces. */
  get text(): string {
    return this.masked;
  }

  /** Finds every match of `pattern`, optionally consuming it. */
  findAll(pattern: RegExp, consume = true): Span[] {
    const spans: Span[] = [];
    pattern.lastIndex = 0;
    for (const match of this.masked.matchAll(pattern)) {
      const start = match.index;
      spans.push({ start, end: start + match[0].length });
    }
    if (consume) for (const span of spans) this.consume(span);
    return spans;
  }

  /** Runs a pattern with capture groups, consuming each match. */
  matchAll(pattern: RegExp, consume = true): RegExpMatchArray[] {
    pattern.lastIndex = 0;
    const matches = [...this.masked.matchAll(pattern)];
    if (consume) for (const match of matches) this.consume({ start: match.index ?? 0, end: (match.index ?? 0) + match[0].length });
    return matches;
  }

  consume(span: Span): void {
    this.masked = this.masked.slice(0, span.start) + ' '.repeat(span.end - span.start) + this.masked.slice(span.end);
  }

  /** The original wording with every consumed span blanked out: what is left for semantic search. */
  remainder(): string {
    let out = '';
    for (let i = 0; i < this.original.length; i += 1) {
      const ch = this.original[i] ?? ' ';
      out += this.masked[i] === ' ' && ch.trim() !== '' ? ' ' : ch;
    }
    return out;
  }

  /** The original wording of a span (for foodWords, which keep what the person literally said). */
  slice(span: Span): string {
    return this.original.slice(span.start, span.end);
  }
}

/** Number in either decimal notation ("12,5" or "12.5"). */
export function parseNumber(raw: string): number {
  return Number(raw.replace(',', '.'));
}

export function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}

/** A small stable hash so the offline engine can vary its wording deterministically. */
export function stableHash(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}
