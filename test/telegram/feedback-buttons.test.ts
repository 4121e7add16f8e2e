import { describe, expect, it } from 'vitest';
import { decodeVote, encodeVote, feedbackKeyboard } from '../../src/telegram/feedback-buttons.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('feedback buttons', () => {
  it('round-trips a vote and its trace id through callback data within 64 bytes', () => {
    const up = encodeVote(1, TRACE);
    const down = encodeVote(-1, TRACE);
    expect(up).toBe(`fb:+1:${TRACE}`);
    expect(Buffer.byteLength(down ?? '')).toBeLessThanOrEqual(64);
    expect(decodeVote(up ?? '')).toEqual({ vote: 1, traceId: TRACE });
    expect(decodeVote(down ?? '')).toEqual({ vote: -1, traceId: TRACE });
  });

  it('refuses data it did not make', () => {
    expect(decodeVote('fb:+2:abc')).toBeNull();
    expect(decodeVote('other')).toBeNull();
    expect(decodeVote(`fb:+1:${TRACE}:extra`)).toBeNull();
    expect(encodeVote(1, 'x'.repeat(60))).toBeNull();
    expect(encodeVote(1, 'has:colon')).toBeNull();
  });

  it('marks only the chosen button and keeps both pressable', () => {
    const texts = (chosen: 1 | -1 | null) => feedbackKeyboard(TRACE, chosen)?.inline_keyboard.flat().map((b) => b.text);
    expect(texts(null)).toEqual(['👍', '👎']);
    expect(texts(-1)).toEqual(['👍', '👎 ✓']);
    expect(texts(1)).toEqual(['👍 ✓', '👎']);
    const data = feedbackKeyboard(TRACE, -1)?.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : null));
    expect(data).toEqual([`fb:+1:${TRACE}`, `fb:-1:${TRACE}`]);
  });
});
