/** Telegram rejects a text message longer than this (counted after HTML entities are parsed, in UTF-16 units). */
export const TELEGRAM_MESSAGE_MAX_CHARS = 4096;

/** The three characters Telegram's HTML parse mode requires escaped outside tags. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** A cut position at or below `at` that does not split a surrogate pair. */
function safeCut(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return Math.max(0, Math.min(at, text.length));
  return isHighSurrogate(text.charCodeAt(at - 1)) ? at - 1 : at;
}

/**
 * Shortens a user's message to what the backend accepts, at a word boundary when one is near the limit.
 * Returns whether anything was cut so the bot can say so.
 */
export function truncateMessage(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  let cut = safeCut(text, maxChars);
  const lastSpace = text.lastIndexOf(' ', cut);
  // Only back off to a space if that loses little; a 4,000-character word is cut where it is.
  if (lastSpace > maxChars * 0.9) cut = lastSpace;
  return { text: text.slice(0, cut).trimEnd(), truncated: true };
}

/**
 * Splits text into pieces of at most `limit` characters, preferring paragraph breaks, then line
 * breaks, then spaces, and only then a hard cut. Whitespace at the seams is dropped; nothing else is.
 */
export function splitMessage(text: string, limit: number = TELEGRAM_MESSAGE_MAX_CHARS): string[] {
  if (limit < 2) throw new RangeError('limit must be at least 2');
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const chunk = rest.slice(0, cut).trimEnd();
    if (chunk !== '') chunks.push(chunk);
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '') chunks.push(rest);
  return chunks;
}

function findCut(text: string, limit: number): number {
  // Search the window [limit/2, limit] so a break near the start does not produce a tiny chunk.
  const floor = Math.floor(limit / 2);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = text.lastIndexOf(separator, limit - separator.length);
    if (at >= floor) return at + separator.length;
  }
  return safeCut(text, limit);
}

/**
 * Escapes one piece of the sommelier's reply for parse_mode HTML and puts the recommended wines'
 * names in bold. Names are matched in the raw text, longest first, so one name inside another
 * is not bolded twice and no tag ever lands inside an entity.
 */
export function renderReplyHtml(text: string, wineNames: readonly string[]): string {
  const names = [...new Set(wineNames.map((name) => name.trim()).filter((name) => name.length >= 3))].sort(
    (a, b) => b.length - a.length,
  );
  if (names.length === 0) return escapeHtml(text);
  const pattern = new RegExp(names.map(escapeRegExp).join('|'), 'g');
  let html = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const start = match.index;
    html += escapeHtml(text.slice(last, start)) + `<b>${escapeHtml(match[0])}</b>`;
    last = start + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
