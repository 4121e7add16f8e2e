import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { langfuseMask, redactText, redactValue } from '../../src/observability/masking.js';
import { toUsageDetails } from '../../src/observability/attributes.js';
import { automaticScoreId } from '../../src/observability/score-id.js';

describe('redactText', () => {
  it.each([
    ['OpenRouter key sk-or-v1-0123456789abcdef0123', 'OpenRouter key [REDACTED_API_KEY]'],
    ['OpenAI sk-proj-AbCdEf0123456789xyz', 'OpenAI [REDACTED_API_KEY]'],
    ['Langfuse pk-lf-1234abcd-12ab-34cd and sk-lf-abcd1234-5678', 'Langfuse [REDACTED_API_KEY] and [REDACTED_API_KEY]'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', 'Authorization: Bearer [REDACTED_TOKEN]'],
    ['write to jane.doe+wine@example.co.uk today', 'write to [REDACTED_EMAIL] today'],
    ['call +33 6 12 34 56 78 or (555) 123-4567', 'call [REDACTED_PHONE] or [REDACTED_PHONE]'],
    ['card 4111 1111 1111 1111 and 5500-0000-0000-0004', 'card [REDACTED_CARD] and [REDACTED_CARD]'],
    ['{"api_key":"abcdef123","password":"hunter22"}', '{"api_key":"[REDACTED_SECRET]","password":"[REDACTED_SECRET]"}'],
  ])('redacts %s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each([
    'Barolo 2015 2016 2018 vintages',
    'drink 2019-2021, bottled 2024-05-01',
    'wine #123456, 13.5% ABV, 12.50 EUR, rated 4.2/5',
    'card-like but not Luhn: 4111 1111 1111 1112',
    'Château Margaux, Pauillac — try-it-now',
  ])('leaves wine talk alone: %s', (text) => {
    expect(redactText(text)).toBe(text);
  });

  it('keeps JSON valid when masking serialised inputs', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.constantFrom('me@example.com', 'sk-or-v1-0123456789abcdef', '+1 (555) 123-4567', 'Bearer abcdefghijkl', '"quoted"'),
          ),
        ),
        (parts) => {
          const json = JSON.stringify({ messages: parts.map((content) => ({ role: 'user', content })) });
          expect(() => JSON.parse(redactText(json) as string) as unknown).not.toThrow();
        },
      ),
    );
  });

  it('masks nested values and passes non-strings through', () => {
    expect(redactValue({ a: ['x@y.io', 3, null], b: { c: true } })).toEqual({ a: ['[REDACTED_EMAIL]', 3, null], b: { c: true } });
    expect(langfuseMask({ data: 'x@y.io' })).toBe('[REDACTED_EMAIL]');
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
