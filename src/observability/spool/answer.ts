import { z } from 'zod';

/**
 * What to do with Langfuse's answer to one request: a pure function of the answer and of what was sent,
 * so every case is one row of a table test (test/observability/spool/answer.test.ts). The shipper only
 * carries the action out.
 */
export type Answer =
  | { status: number; retryAfter: string | null; body: string }
  | { failure: 'timeout' | 'network'; message: string };

export interface Sent {
  stream: 'traces' | 'scores';
  /** Records in the request: several can be halved; one lone trace record can still be split by spans. */
  records: number;
  items: number;
  /** Uncompressed size of the request body. */
  bodyBytes: number;
}

export type Action =
  | { do: 'deliver' }
  /** 2xx with OTLP `partialSuccess`: which spans were refused is not said, so the body is kept whole. */
  | { do: 'deliver-partly'; rejected: number; reason: string }
  /** 2xx/207 from the ingestion API with per-event errors: 4xx events set aside, the others retried. */
  | { do: 'settle-events'; refused: Map<string, string>; retry: Set<string> }
  /** Keep the data and try again: after `afterMs` (Retry-After) or, when null, after the backoff. */
  | { do: 'retry'; afterMs: number | null; reason: string }
  | { do: 'keys-rejected'; reason: string }
  | { do: 'split'; by: 'records' | 'spans'; reason: string }
  | { do: 'dead-letter'; reason: string };

/** A 413 for a smaller body is a proxy's limit (Langfuse takes megabytes), not our data: retried, not split. */
const OVERSIZE_FLOOR_BYTES = 256 * 1024;
const RETRY_AFTER_MIN_MS = 1_000;
const RETRY_AFTER_MAX_MS = 5 * 60_000;

const snippet = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 500);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const partialSuccess = z.object({
  partialSuccess: z.object({ rejectedSpans: z.coerce.number().optional(), errorMessage: z.string().optional() }),
});
const ingestionResult = z.object({
  errors: z.array(z.object({ id: z.string(), status: z.number(), message: z.string().nullish(), error: z.unknown().optional() })),
});

/** `Retry-After` as delta-seconds or an HTTP date, in ms from `now`; null when absent or unreadable. */
function parseRetryAfter(header: string | null, now: number): number | null {
  const text = header?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return text === '' || Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Exponential backoff from 1 s, with "equal jitter": half of each delay fixed, half random. */
export function backoffDelay(failures: number, maxMs: number, random: () => number): number {
  const nominal = Math.min(maxMs, 1_000 * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(nominal / 2 + (nominal / 2) * random());
}

export function decide(answer: Answer, sent: Sent, now: number): Action {
  if ('failure' in answer) return { do: 'retry', afterMs: null, reason: `${answer.failure}: ${answer.message}` };
  const { status } = answer;
  const said = `HTTP ${status}: ${snippet(answer.body)}`;
  if (status >= 200 && status < 300) {
    const json = parseJson(answer.body);
    if (sent.stream === 'traces') {
      const partial = partialSuccess.safeParse(json);
      const rejected = Math.min(sent.items, partial.success ? (partial.data.partialSuccess.rejectedSpans ?? 0) : 0);
      if (!(rejected > 0)) return { do: 'deliver' };
      const message = partial.success ? partial.data.partialSuccess.errorMessage : undefined;
      return { do: 'deliver-partly', rejected, reason: `partial success: ${rejected} spans rejected${message ? `: ${message}` : ''}` };
    }
    const result = ingestionResult.safeParse(json);
    // An answer we cannot read counts as all accepted: a 2xx is Langfuse's word that it has them.
    if (!result.success || result.data.errors.length === 0) return { do: 'deliver' };
    const refused = new Map<string, string>();
    const retry = new Set<string>();
    for (const error of result.data.errors) {
      if (error.status >= 400 && error.status < 500) {
        const detail = error.message ?? (error.error === undefined ? '' : JSON.stringify(error.error));
        refused.set(error.id, `${error.status}${detail ? `: ${detail}` : ''}`.slice(0, 2_000));
      } else {
        retry.add(error.id);
      }
    }
    return { do: 'settle-events', refused, retry };
  }
  if (status === 401 || status === 403) return { do: 'keys-rejected', reason: `${said} (Langfuse rejected the API keys)` };
  if (status === 413 && sent.bodyBytes < OVERSIZE_FLOOR_BYTES) {
    return {
      do: 'retry',
      afterMs: null,
      reason: `HTTP 413 for a request of only ${sent.bodyBytes} bytes: a proxy in front of Langfuse limits the body size too strictly`,
    };
  }
  if (status === 400 || status === 413) {
    if (sent.records > 1) return { do: 'split', by: 'records', reason: said };
    if (status === 413 && sent.stream === 'traces' && sent.items > 1) return { do: 'split', by: 'spans', reason: said };
    const what = sent.stream === 'traces' ? 'span' : 'score';
    return { do: 'dead-letter', reason: status === 413 ? `HTTP 413: a single ${what} is larger than Langfuse accepts: ${snippet(answer.body)}` : said };
  }
  // 404, 408, 429, 5xx, anything else: not about our data. Retry-After (429/503 …) is honoured within bounds.
  const retryAfter = parseRetryAfter(answer.retryAfter, now);
  return {
    do: 'retry',
    afterMs: retryAfter === null ? null : Math.min(Math.max(retryAfter, RETRY_AFTER_MIN_MS), RETRY_AFTER_MAX_MS),
    reason: said,
  };
}
