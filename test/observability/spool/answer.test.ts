import { describe, expect, it } from 'vitest';
import { backoffDelay, decide } from '../../../src/observability/spool/answer.js';
import type { Action, Answer, Sent } from '../../../src/observability/spool/answer.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const http = (status: number, body: unknown = {}, retryAfter: string | null = null): Answer => ({
  status,
  retryAfter,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const traces = (records: number, items = records * 4, bodyBytes = 512 * 1024): Sent => ({ stream: 'traces', records, items, bodyBytes });
const scores = (records: number): Sent => ({ stream: 'scores', records, items: records, bodyBytes: 2_000 });

/** Langfuse's answer and what was sent → what to do. One row per case the shipper must handle. */
const TABLE: [string, Answer, Sent, Action | Partial<Action>][] = [
  ['2xx spans', http(200), traces(3), { do: 'deliver' }],
  ['2xx with an empty body', http(200, ''), traces(1), { do: 'deliver' }],
  ['2xx with a partial success of 0', http(200, { partialSuccess: {} }), traces(1), { do: 'deliver' }],
  [
    '2xx with rejected spans',
    http(200, { partialSuccess: { rejectedSpans: '3', errorMessage: 'bad span' } }),
    traces(2),
    { do: 'deliver-partly', rejected: 3, reason: 'partial success: 3 spans rejected: bad span' },
  ],
  ['2xx rejecting more spans than sent counts what was sent', http(200, { partialSuccess: { rejectedSpans: 99 } }), traces(1, 4), { do: 'deliver-partly', rejected: 4 }],
  ['207 scores, all accepted', http(207, { successes: [{ id: 'a', status: 201 }], errors: [] }), scores(1), { do: 'deliver' }],
  ['2xx scores with an answer we cannot read', http(200, 'not json'), scores(2), { do: 'deliver' }],
  [
    '207 scores with per-event errors',
    http(207, { errors: [{ id: 'bad', status: 400, message: 'Invalid value' }, { id: 'flaky', status: 500 }] }),
    scores(3),
    { do: 'settle-events', refused: new Map([['bad', '400: Invalid value']]), retry: new Set(['flaky']) },
  ],
  ['connection refused', { failure: 'network', message: 'ECONNREFUSED' }, traces(1), { do: 'retry', afterMs: null, reason: 'network: ECONNREFUSED' }],
  ['timeout', { failure: 'timeout', message: 'no answer in 10 s' }, traces(1), { do: 'retry', afterMs: null }],
  ['500', http(500, 'oops'), traces(1), { do: 'retry', afterMs: null, reason: 'HTTP 500: oops' }],
  ['404 (wrong base URL)', http(404), traces(1), { do: 'retry', afterMs: null }],
  ['503 with Retry-After seconds', http(503, {}, '7'), traces(1), { do: 'retry', afterMs: 7_000 }],
  ['429 with Retry-After as a date', http(429, {}, 'Wed, 25 Nov 2026 12:00:30 GMT'), scores(1), { do: 'retry', afterMs: 30_000 }],
  ['Retry-After of 0 waits at least a second', http(503, {}, '0'), traces(1), { do: 'retry', afterMs: 1_000 }],
  ['Retry-After with a fraction', http(503, {}, ' 2.5 '), traces(1), { do: 'retry', afterMs: 2_500 }],
  ['Retry-After as a date in the past waits a second', http(503, {}, 'Wed, 25 Nov 2026 11:00:00 GMT'), traces(1), { do: 'retry', afterMs: 1_000 }],
  ['Retry-After of an hour waits 5 minutes', http(503, {}, '3600'), traces(1), { do: 'retry', afterMs: 300_000 }],
  ['unreadable Retry-After: backoff', http(502, {}, 'soon'), traces(1), { do: 'retry', afterMs: null }],
  ['401', http(401), traces(1), { do: 'keys-rejected' }],
  ['403', http(403), scores(1), { do: 'keys-rejected' }],
  ['400 for several records', http(400, 'bad'), traces(5), { do: 'split', by: 'records' }],
  ['400 for one record', http(400, 'bad'), traces(1), { do: 'dead-letter', reason: 'HTTP 400: bad' }],
  ['400 for one score', http(400), scores(1), { do: 'dead-letter' }],
  ['413 for several records', http(413), traces(2), { do: 'split', by: 'records' }],
  ['413 for one record of several spans', http(413), traces(1, 6), { do: 'split', by: 'spans' }],
  ['413 for a single span', http(413, 'too big'), traces(1, 1), { do: 'dead-letter', reason: 'HTTP 413: a single span is larger than Langfuse accepts: too big' }],
  ['413 for a small body is a proxy limit: kept', http(413), traces(4, 16, 10_000), { do: 'retry', afterMs: null }],
];

describe("Langfuse's answer → action", () => {
  it.each(TABLE)('%s', (_name, answer, sent, expected) => {
    expect(decide(answer, sent, NOW)).toMatchObject(expected);
  });
});

describe('backoff', () => {
  it('doubles from 1 s per failure up to the cap, with half of each delay random', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((failures) => backoffDelay(failures, 30_000, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect([1, 2, 6].map((failures) => backoffDelay(failures, 30_000, () => 0))).toEqual([500, 1_000, 15_000]);
    expect(backoffDelay(1_000, 30_000, () => 0.5)).toBe(22_500);
    expect(backoffDelay(1, 200, () => 1)).toBe(200);
  });

});
