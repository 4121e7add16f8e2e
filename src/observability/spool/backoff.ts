export interface BackoffPolicy {
  /** First retry delay. */
  initialMs: number;
  /** Longest delay between two attempts. */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries from many
 * instances spread out while each still waits at least half the nominal time.
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const nominal = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  return Math.round(nominal / 2 + (nominal / 2) * random());
}

/** `Retry-After` as delta-seconds or an HTTP date, in milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
