import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compileExtraPattern,
  langfuseMask,
  maskUserId,
  redactSerialized,
  redactText,
  redactValue,
  setExtraMaskingPatterns,
} from '../src/masking.js';
import { toUsageDetails } from '../src/observability/attributes.js';
import { automaticScoreId } from '../src/observability/score-id.js';
import { SENSITIVE_SAMPLES } from './support/sensitive-samples.js';

afterEach(() => setExtraMaskingPatterns([]));

describe('redactText', () => {
  it.each(SENSITIVE_SAMPLES)('masks a $format', ({ text, secret }) => {
    const masked = redactText(text);
    expect(masked).not.toContain(secret);
    expect(masked).toContain('[REDACTED');
  });

  it.each([
    ['OpenRouter key sk-or-v1-0123456789abcdef0123', 'OpenRouter key [REDACTED_API_KEY]'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', 'Authorization: Bearer [REDACTED_TOKEN]'],
    ['call +33 6 12 34 56 78 or (555) 123-4567', 'call [REDACTED_PHONE] or [REDACTED_PHONE]'],
    ['card 4111 1111 1111 1111 and 5500-0000-0000-0004', 'card [REDACTED_CARD] and [REDACTED_CARD]'],
    ['{"api_key":"abcdef123","password":"hunter22"}', '{"api_key":"[REDACTED_SECRET]","password":"[REDACTED_SECRET]"}'],
    ['postgres://user:pw@db:5432/x', 'postgres://[REDACTED_CREDENTIALS]@db:5432/x'],
    ['"password": "two words"', '"password": "[REDACTED_SECRET]"'],
  ])('keeps the shape around the mask: %s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each([
    ['two international numbers', '+33612345678 +33612345679'],
    ['two Russian mobiles', '89161234567 89161234568'],
    ['two dashed numbers', '555-123-4567 555-765-4321'],
    ['two grouped numbers', '+7 916 123-45-67, +7 916 765-43-21'],
  ])('masks neighbouring phone numbers separately: %s', (_name, text) => {
    expect(redactText(text).match(/\[REDACTED_PHONE\]/g)).toHaveLength(2);
    expect(redactText(text)).not.toMatch(/\d{3}/);
  });

  it.each([
    'Barolo 2015 2016 2018 vintages',
    'drink 2019-2021, bottled 2024-05-01',
    'wine #123456, 13.5% ABV, 12.50 EUR, rated 4.2/5',
    'prices 12.50 13.75 14.20 EUR; ABV 12.5 13.0 13.5 14.0 14.5',
    'Château Margaux, Pauillac — try-it-now',
    'a basic understanding of Basic wines; the bearer of good news',
    'trace 4bf92f3577b34da6a3ce929d0e0e4736, span 00f067aa0ba902b7',
    'the secret of a good Rioja; tokens: 480',
    'wine id 1000123456789 in the catalog',
  ])('leaves wine talk and ids alone: %s', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it('is idempotent and keeps JSON text valid', () => {
    const pieces = fc.oneof(
      fc.string(),
      fc.constantFrom(...SENSITIVE_SAMPLES.map((sample) => sample.text), '"quoted"', 'a\\b', '\n+33612345678'),
    );
    fc.assert(
      fc.property(fc.array(pieces), (parts) => {
        const text = parts.join(' ');
        const once = redactText(text);
        expect(redactText(once)).toBe(once);
        const json = JSON.stringify({ messages: parts.map((content) => ({ role: 'user', content })) });
        expect(() => JSON.parse(redactText(json)) as unknown).not.toThrow();
      }),
    );
  });

  it('costs time linear in the input length, whatever the input (no catastrophic backtracking)', () => {
    // Inputs built from the characters and prefixes the patterns react to: a quadratic pattern would
    // take 8 times longer for one 16,000-character input than for eight 2,000-character ones.
    const piece = fc.constantFrom(
      'a', 'Z', '@', '.', '-', '_', '+', ' ', '\n', '1', '9', ':', '/', '(', ')', '=', '"', "'", '\\', '&',
      'sk-', 'pk-lf-', 'eyJ', 'ghp_', 'xoxb-', 'AKIA', 'Bearer ', 'Basic 1', 'password', 'token: ', '://',
      'FR76', 'я', 'é', '4111 ', '+7 ', '2015 ',
    );
    // CPU time, not wall time: on a shared machine a descheduled process is not a slow regex.
    const bestOf = (run: () => void): number => {
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 5; i += 1) {
        const start = process.cpuUsage();
        run();
        const used = process.cpuUsage(start);
        best = Math.min(best, used.user + used.system);
      }
      return best;
    };
    fc.assert(
      // A repeated unit and a tail once at the end: "aaaa…@" is the classic quadratic e-mail input.
      fc.property(fc.array(piece, { minLength: 1, maxLength: 5 }), fc.array(piece, { maxLength: 3 }), (parts, tailParts) => {
        const unit = parts.join('');
        const tail = tailParts.join('');
        // Whole units, the large text eight times the small one's: both end the same way. Cutting a unit
        // at an arbitrary length would give the two texts different endings (e.g. a digit run meeting the
        // tail in one and not the other), and compare two inputs instead of two lengths of one.
        const copies = Math.ceil(2_000 / unit.length);
        const small = unit.repeat(copies) + tail;
        const large = unit.repeat(8 * copies) + tail;
        // 32 small against 4 large per measurement: long enough to time (~0.5 ms or more).
        const ratio = (): number => {
          const eightSmall = bestOf(() => {
            for (let i = 0; i < 32; i += 1) redactText(small);
          });
          const oneLarge = bestOf(() => {
            for (let i = 0; i < 4; i += 1) redactText(large);
          });
          return oneLarge / eightSmall;
        };
        // Noise only ever makes a side slower, and a quadratic pattern is slow every time: a failing
        // look is taken again, up to twice.
        let measured = ratio();
        for (let retry = 0; retry < 2 && measured >= 3; retry += 1) measured = Math.min(measured, ratio());
        // Linear: about 1. Quadratic: about 8. Generous, for a shared machine.
        expect(measured, JSON.stringify({ unit, tail })).toBeLessThan(3);
      }),
      { numRuns: 60 },
    );
  });
});

describe('values and serialised attributes', () => {
  it('masks nested values and passes non-strings through', () => {
    expect(redactValue({ a: ['x@y.io', 3, null], b: { c: true } })).toEqual({ a: ['[REDACTED_EMAIL]', 3, null], b: { c: true } });
    expect(langfuseMask({ data: 'x@y.io' })).toBe('[REDACTED_EMAIL]');
  });

  it('masks serialised JSON value by value, so an escape next to the data cannot hide it', () => {
    // As JSON text the number follows `\n`, which reads like a letter glued to the digits.
    const serialised = JSON.stringify({ messages: [{ role: 'user', content: 'my number:\n89161234567\nmail:\tme@example.com' }] });
    const masked = langfuseMask({ data: serialised }) as string;
    expect(JSON.parse(masked)).toEqual({ messages: [{ role: 'user', content: 'my number:\n[REDACTED_PHONE]\nmail:\t[REDACTED_EMAIL]' }] });
    // Text that only starts like JSON is masked as text, whatever it holds outside quotes.
    expect(redactSerialized('{not json me@example.com')).toBe('{not json [REDACTED_EMAIL]');
    expect(redactSerialized('{"a": 1} me@example.com "b"')).toBe('{"a": 1} [REDACTED_EMAIL] "b"');
    expect(redactSerialized('[555-123-4567]')).toBe('["[REDACTED_PHONE]"]');
    // A long number that is a phone number becomes a masked string; the JSON stays valid.
    expect(JSON.parse(redactSerialized('{"phone":89161234567,"n":[1,2.5e3,-4],"ok":true}'))).toEqual({
      phone: '[REDACTED_PHONE]',
      n: [1, 2500, -4],
      ok: true,
    });
  });

  it('hashes user ids that are personal data, keeps the others', () => {
    const hashed = maskUserId('Jane.Doe@example.com');
    expect(hashed).toMatch(/^user:[0-9a-f]{16}$/);
    expect(maskUserId('jane.doe@example.com ')).toBe(hashed);
    expect(maskUserId('+33612345678')).toMatch(/^user:[0-9a-f]{16}$/);
    expect(maskUserId('tg:123456')).toBe('tg:123456');
    expect(maskUserId(null)).toBeNull();
  });
});

describe('operator patterns (MASKING_EXTRA_PATTERNS)', () => {
  it('masks what the operator adds, before the built-in patterns', () => {
    const pattern = compileExtraPattern('CUST-\\d{8}');
    expect(pattern).toBeInstanceOf(RegExp);
    setExtraMaskingPatterns([pattern as RegExp]);
    expect(redactText('customer CUST-12345678 wrote from me@example.com')).toBe('customer [REDACTED] wrote from [REDACTED_EMAIL]');
  });

  it.each([
    ['(a+)+$', /catastrophic/],
    ['(\\w*)*x', /catastrophic/],
    ['(?:x|y+){2,}', /catastrophic/],
    ['((ab)+c){2,}', /catastrophic/],
    ['(a)\\1', /back-references/],
    ['[unclosed', /Invalid|Unterminated/i],
    ['a*', /empty string/],
    ['', /characters/],
  ])('refuses %s', (source, reason) => {
    expect(compileExtraPattern(source)).toMatch(reason);
  });

  it.each(['ORDER-[0-9]{6}', '(?:ab|cd)+', 'x(?:-\\d{2}){3}', '[(+]\\d+'])('accepts %s', (source) => {
    expect(compileExtraPattern(source)).toBeInstanceOf(RegExp);
  });
});

describe('trace attributes', () => {
  it('splits cached and reasoning tokens out of input and output (Langfuse usage types are disjoint)', () => {
    expect(toUsageDetails({ input: 100, output: 50, total: 150, cachedInput: 40, reasoning: 10 })).toEqual({
      input: 60,
      input_cached_tokens: 40,
      output: 40,
      output_reasoning_tokens: 10,
      total: 150,
    });
    expect(toUsageDetails({ input: 7, output: 3, total: 10 })).toEqual({ input: 7, output: 3, total: 10 });
  });

  it('derives a stable UUID v5 score id per trace and score name', () => {
    const traceId = 'a'.repeat(32);
    const id = automaticScoreId(traceId, 'grounded');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(automaticScoreId(traceId, 'grounded')).toBe(id);
    expect(automaticScoreId(traceId, 'constraint-satisfaction')).not.toBe(id);
    expect(automaticScoreId('b'.repeat(32), 'grounded')).not.toBe(id);
  });
});
