import { InlineKeyboard } from 'grammy';

export type Vote = 1 | -1;

/** Telegram caps callback_data at 64 bytes. */
const CALLBACK_DATA_MAX_BYTES = 64;
const PREFIX = 'fb';
const callbackPattern = /^fb:([+-]1):([A-Za-z0-9_-]+)$/;

/** `fb:+1:<traceId>` — self-contained, so a press needs no server-side state to find its trace. */
export function encodeVote(vote: Vote, traceId: string): string | null {
  const data = `${PREFIX}:${vote === 1 ? '+1' : '-1'}:${traceId}`;
  if (!/^[A-Za-z0-9_-]+$/.test(traceId) || Buffer.byteLength(data) > CALLBACK_DATA_MAX_BYTES) return null;
  return data;
}

export function decodeVote(data: string): { vote: Vote; traceId: string } | null {
  const match = callbackPattern.exec(data);
  if (!match?.[1] || !match[2]) return null;
  return { vote: match[1] === '+1' ? 1 : -1, traceId: match[2] };
}

const THUMB_UP = '👍';
const THUMB_DOWN = '👎';
const CHOSEN = ' ✓';

/**
 * The 👍 / 👎 row under an answer; `chosen` marks the user's last press. Both buttons stay live so a
 * second press (either one) changes the vote. Null when the trace id cannot be carried in callback data.
 */
export function feedbackKeyboard(traceId: string, chosen: Vote | null = null): InlineKeyboard | null {
  const up = encodeVote(1, traceId);
  const down = encodeVote(-1, traceId);
  if (!up || !down) return null;
  return new InlineKeyboard()
    .text(chosen === 1 ? THUMB_UP + CHOSEN : THUMB_UP, up)
    .text(chosen === -1 ? THUMB_DOWN + CHOSEN : THUMB_DOWN, down);
}
