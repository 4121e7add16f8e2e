import { setTimeout as sleep } from 'node:timers/promises';

export interface ChunkedStreamOptions {
  /** Roughly how many characters one piece holds; pieces end at a space. */
  chunkChars?: number;
  /** Pause between pieces, so each reaches the reader as its own event. */
  pauseMs?: number;
  /** The whole reveal takes at most about this long, however long the text is. */
  maxTotalMs?: number;
  signal?: AbortSignal | undefined;
}

/** Splits text into pieces of about `size` characters, each ending after a space or line break. */
export function textPieces(text: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    if (end < text.length) {
      const space = text.slice(end).search(/\s/);
      end = space < 0 ? text.length : end + space + 1;
    }
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/**
 * Hands a text that exists all at once (the offline engine's answer) to `onDelta` in pieces, the way a
 * model streams tokens: the reader sees it arrive instead of waiting for one block. The pause keeps the
 * pieces apart on the wire; `maxTotalMs` bounds what that costs a long answer. Returns when the first
 * piece went out (the generation's completion start).
 */
export async function streamInPieces(text: string, onDelta: (text: string) => void, options: ChunkedStreamOptions = {}): Promise<Date | null> {
  const pauseMs = options.pauseMs ?? 12;
  const maxTotalMs = options.maxTotalMs ?? 400;
  let size = options.chunkChars ?? 24;
  // Longer answers get bigger pieces rather than a longer reveal.
  const maxPieces = pauseMs > 0 ? Math.max(1, Math.floor(maxTotalMs / pauseMs)) : Number.POSITIVE_INFINITY;
  if (text.length / size > maxPieces) size = Math.ceil(text.length / maxPieces);
  let first: Date | null = null;
  for (const [index, piece] of textPieces(text, size).entries()) {
    if (options.signal?.aborted) break;
    if (index > 0 && pauseMs > 0) await sleep(pauseMs);
    first ??= new Date();
    onDelta(piece);
  }
  return first;
}
