import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from '../../../src/observability/spool/backoff.js';

describe('backoff', () => {
  const policy = { initialMs: 1_000, maxMs: 30_000 };

  it('doubles per failure up to the cap, with half of each delay random', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((failures) => backoffDelay(failures, policy, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
    expect([1, 2, 6].map((failures) => backoffDelay(failures, policy, () => 0))).toEqual([500, 1_000, 15_000]);
    expect(backoffDelay(1_000, policy, () => 0.5)).toBe(22_500);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter(' 0.5 ', now)).toBe(500);
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
