import { fold, readWineType } from './lexicon/index.js';
import type { Acidity, Body, WineType } from './types.js';

/** Folding and word splitting live with the lexicon, the one text model; catalog code imports them from here too. */
export { fold, foldedWords, words } from './lexicon/index.js';

/** Folded match keys of a grape list: whole names and each part of "Syrah/Shiraz". */
export function grapeKeys(grapes: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const grape of grapes) {
    const folded = fold(grape);
    keys.add(folded);
    if (folded.includes('/')) for (const part of folded.split('/')) if (part.trim()) keys.add(part.trim());
  }
  return [...keys];
}

/** "Rosé" → rose, "Dessert/Port" → port, "Sparkling wine" → sparkling, "Красное" → red; null when unknown. */
export function normalizeWineType(raw: string): WineType | null {
  return readWineType(raw);
}

const BODY_ALIASES: Record<string, Body> = {
  'very light': 'very_light', 'light': 'light', 'medium': 'medium', 'full': 'full', 'very full': 'very_full',
  'medium light': 'light', 'medium full': 'full',
};

/** "Full-bodied" → full, "Very light-bodied" → very_light, "very_full" → very_full; null when unknown. */
export function normalizeBody(raw: string): Body | null {
  const key = fold(raw)
    .replace(/[-_]/g, ' ')
    .replace(/\s*bod(ied|y)$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return BODY_ALIASES[key] ?? null;
}

const ACIDITY_ALIASES: Record<string, Acidity> = { low: 'low', medium: 'medium', mid: 'medium', high: 'high' };

export function normalizeAcidity(raw: string): Acidity | null {
  return ACIDITY_ALIASES[fold(raw).replace(/\s*acid(ity)?$/, '')] ?? null;
}

/**
 * Splits a list cell: a Python/JSON list literal (`['Beef', "Rich Fish"]`, as in X-Wines) or plain text
 * separated by `;` (or `|`, or commas when neither is used). Throws on an unterminated literal.
 */
export function parseListCell(raw: string): string[] {
  const text = raw.trim();
  if (text === '' || text === '[]') return [];
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw new Error('unterminated list literal (no closing "]")');
    return parseListLiteral(text.slice(1, -1));
  }
  const separator = text.includes(';') ? ';' : text.includes('|') ? '|' : ',';
  return text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseListLiteral(body: string): string[] {
  const items: string[] = [];
  let index = 0;
  while (index < body.length) {
    const char = body[index];
    if (char === undefined) break;
    if (char === ',' || /\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === "'" || char === '"') {
      let value = '';
      let cursor = index + 1;
      for (;;) {
        const next = body[cursor];
        if (next === undefined) throw new Error('unterminated quoted item in list');
        if (next === '\\' && cursor + 1 < body.length) {
          value += body[cursor + 1];
          cursor += 2;
          continue;
        }
        if (next === char) break;
        value += next;
        cursor += 1;
      }
      items.push(value.trim());
      index = cursor + 1;
      continue;
    }
    // Unquoted items are numbers (vintage years) or bare words.
    const end = body.indexOf(',', index);
    const value = body.slice(index, end === -1 ? body.length : end).trim();
    if (value !== '') items.push(value);
    index = end === -1 ? body.length : end + 1;
  }
  return items.filter((item) => item !== '');
}

/** A stable positive id for a shop row without one: FNV-1a of name and winery, above X-Wines' id range. */
export function stableWineId(name: string, winery: string | null): number {
  let hash = 0x811c9dc5;
  for (const char of `${fold(name)}|${fold(winery ?? '')}`) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return 1_000_000_000 + (hash % 1_000_000_000);
}

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
