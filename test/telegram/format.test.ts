import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderReplyHtml, splitMessage, TELEGRAM_MESSAGE_MAX_CHARS, truncateMessage } from '../../src/telegram/format.js';
import { parseTelegramHtml } from '../support/fake-telegram.js';

describe('escapeHtml', () => {
  it('escapes the characters Telegram HTML reserves', () => {
    expect(escapeHtml('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    expect(parseTelegramHtml(escapeHtml('<script>&amp;</script>'))).toBe('<script>&amp;</script>');
  });
});

describe('renderReplyHtml', () => {
  it('bolds recommended wine names and escapes everything else', () => {
    const html = renderReplyHtml('Try Château <Margaux> & "Margaux" or Barolo.', ['Château <Margaux>', 'Barolo']);
    expect(html).toBe('Try <b>Château &lt;Margaux&gt;</b> &amp; "Margaux" or <b>Barolo</b>.');
  });

  it('prefers the longer of two overlapping names', () => {
    expect(renderReplyHtml('Rioja Reserva is great', ['Rioja', 'Rioja Reserva'])).toBe('<b>Rioja Reserva</b> is great');
  });

  it('always produces HTML Telegram accepts, showing exactly the original text', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 4 }), (text, names) => {
        expect(parseTelegramHtml(renderReplyHtml(text, names))).toBe(text);
      }),
    );
  });
});

describe('splitMessage', () => {
  it('keeps a short message whole', () => {
    expect(splitMessage('  hello  ')).toEqual(['hello']);
    expect(splitMessage('   ')).toEqual([]);
  });

  it('splits at paragraph breaks first', () => {
    const paragraph = 'x'.repeat(3000);
    expect(splitMessage(`${paragraph}\n\n${paragraph}\n\n${paragraph}`)).toEqual([paragraph, paragraph, paragraph]);
  });

  it('falls back to line breaks, then spaces, then a hard cut that keeps surrogate pairs whole', () => {
    const line = 'y'.repeat(3000);
    expect(splitMessage(`${line}\n${line}`)).toEqual([line, line]);
    const words = Array.from({ length: 1000 }, () => 'wine').join(' ');
    const chunks = splitMessage(words, 100);
    expect(chunks.every((chunk) => chunk.length <= 100 && !chunk.startsWith(' ') && !chunk.endsWith(' '))).toBe(true);
    expect(chunks.join(' ')).toBe(words);
    const emoji = '🍷'.repeat(3000);
    const cut = splitMessage(emoji);
    expect(cut.join('')).toBe(emoji);
    expect(cut.every((chunk) => chunk.length <= TELEGRAM_MESSAGE_MAX_CHARS && !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(chunk))).toBe(true);
  });

  it('never exceeds the limit and loses nothing but whitespace at the seams', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.integer({ min: 2, max: 80 }), (text, limit) => {
        const chunks = splitMessage(text, limit);
        expect(chunks.every((chunk) => chunk.length > 0 && chunk.length <= limit)).toBe(true);
        expect(chunks.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      }),
    );
  });
});

describe('truncateMessage', () => {
  it('leaves a message within the limit alone', () => {
    expect(truncateMessage('short', 4000)).toEqual({ text: 'short', truncated: false });
  });

  it('cuts a long message at a word boundary near the limit', () => {
    const text = 'vino '.repeat(1000);
    const result = truncateMessage(text, 4000);
    expect(result.truncated).toBe(true);
    expect(result.text.length).toBeLessThanOrEqual(4000);
    expect(result.text.length).toBeGreaterThan(3600);
    expect(result.text.endsWith('vino')).toBe(true);
  });

  it('hard-cuts one giant word without splitting a surrogate pair', () => {
    const result = truncateMessage('🍷'.repeat(2500), 4001);
    expect(result.text.length).toBe(4000);
    expect(result.text).toBe('🍷'.repeat(2000));
  });
});
