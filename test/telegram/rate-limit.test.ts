import { describe, expect, it } from 'vitest';
import { SlidingWindowRateLimiter } from '../../src/telegram/rate-limit.js';

describe('SlidingWindowRateLimiter', () => {
  it('allows `limit` messages per window per key, notifying once per burst', () => {
    let now = 0;
    const limiter = new SlidingWindowRateLimiter(3, 60_000, () => now);
    const results = Array.from({ length: 5 }, () => limiter.check('a'));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.notify)).toEqual([false, false, false, true, false]);
    expect(limiter.check('b').allowed).toBe(true);

    now = 59_999;
    expect(limiter.check('a').allowed).toBe(false);
    now = 60_000;
    // The first three fell out of the window together.
    expect([limiter.check('a'), limiter.check('a'), limiter.check('a')].every((r) => r.allowed)).toBe(true);
    const again = limiter.check('a');
    expect(again).toEqual({ allowed: false, notify: true });
  });

  it('slides: room frees up as the oldest message ages out', () => {
    let now = 0;
    const limiter = new SlidingWindowRateLimiter(2, 1_000, () => now);
    limiter.check('u');
    now = 500;
    limiter.check('u');
    expect(limiter.check('u').allowed).toBe(false);
    now = 1_000;
    expect(limiter.check('u').allowed).toBe(true);
    expect(limiter.check('u').allowed).toBe(false);
  });
});
