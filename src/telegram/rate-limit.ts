export interface RateDecision {
  allowed: boolean;
  /**
   * True for the first refused message of a burst only, so a user who keeps typing gets one friendly
   * notice instead of one per message (which would itself be spam, and count against Telegram's limits).
   */
  notify: boolean;
}

interface Window {
  /** Arrival times of the allowed messages still inside the window, oldest first. */
  hits: number[];
  notifiedAt: number | null;
}

/** A sliding window per key: at most `limit` messages in any `windowMs`. In memory; one bot process. */
export class SlidingWindowRateLimiter {
  private readonly windows = new Map<string, Window>();
  private checksSinceSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
  }

  check(key: string): RateDecision {
    const now = this.now();
    this.maybeSweep(now);
    const window = this.windows.get(key) ?? { hits: [], notifiedAt: null };
    this.windows.set(key, window);
    while (window.hits.length > 0 && (window.hits[0] ?? 0) <= now - this.windowMs) window.hits.shift();
    if (window.hits.length < this.limit) {
      window.hits.push(now);
      return { allowed: true, notify: false };
    }
    const oldest = window.hits[0] ?? now;
    const notify = window.notifiedAt === null || window.notifiedAt < oldest;
    if (notify) window.notifiedAt = now;
    return { allowed: false, notify };
  }

  /** Forget idle users now and then so the map does not grow with every user ever seen. */
  private maybeSweep(now: number): void {
    if (++this.checksSinceSweep < 1000) return;
    this.checksSinceSweep = 0;
    for (const [key, window] of this.windows) {
      const newest = window.hits[window.hits.length - 1];
      if (newest === undefined || newest <= now - this.windowMs) this.windows.delete(key);
    }
  }
}
