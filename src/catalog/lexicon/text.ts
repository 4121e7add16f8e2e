/**
 * The one text model. Catalog keys, full-text search, request understanding and "does this reply name that
 * wine" all fold text and cut it into words here, so they cannot disagree about what a word is.
 */

/**
 * Lower-case, accent-free form used for every comparison ("Rosé" → "rose", "Лёгкое" → "легкое"). Only
 * Latin letters lose their marks: Cyrillic "й" must stay distinct from "и".
 */
export function fold(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\u00c0-\u024f\u1e00-\u1eff]/g, (char) => char.normalize('NFD').replace(/\p{M}+/gu, ''))
    .replace(/ß/g, 'ss')
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * - `word`: letters and digits ("стейку", "1er");
 * - `number`: digits with an optional decimal part ("12,5", "4.2");
 * - `joiner`: a hyphen, dash or apostrophe, which joins words ("full-bodied", "d'Avola") and numbers ("12-14");
 * - `sign`: any other character (%, €, punctuation), which ends a phrase.
 */
export type TokenKind = 'word' | 'number' | 'joiner' | 'sign';

export interface Token {
  /** Folded text of the token. */
  text: string;
  kind: TokenKind;
  /** Offsets in the original text. */
  start: number;
  end: number;
}

const TOKEN = /\d+(?:[.,]\d+)?(?![\p{L}\p{M}])|[\p{L}\p{M}\p{N}]+|[-‐‑–—'’`ʼ]|[^\s\p{L}\p{M}\p{N}]/gu;
const JOINER = /^[-‐‑–—'’`ʼ]$/u;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    const start = match.index;
    const kind: TokenKind = /^\d/.test(raw) && /^\d+(?:[.,]\d+)?$/.test(raw) ? 'number' : JOINER.test(raw) ? 'joiner' : /[\p{L}\p{N}]/u.test(raw) ? 'word' : 'sign';
    tokens.push({ text: kind === 'word' ? fold(raw) : raw, kind, start, end: start + raw.length });
  }
  return tokens;
}

/** Words and numbers of a text after folding, punctuation dropped. */
export function words(text: string): string[] {
  return tokenize(text).flatMap((token) => (token.kind === 'word' || token.kind === 'number' ? [token.text] : []));
}

/** The folded words of a text joined by single spaces: what "does this text name that wine" compares. */
export const foldedWords = (text: string): string => words(text).join(' ');

/** English plurals and possessives fold onto the singular so "oysters" finds "oyster". */
export function singular(word: string): string {
  if (/[а-я]/.test(word)) return word;
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}
