import type OpenAI from 'openai';
import type { ClientOptions } from 'openai';
import { nodeHttpFetch } from './http-fetch.js';
import type { FailedAttempt } from '../shared/index.js';

interface AttemptLog {
  report(attempt: FailedAttempt): void;
  attempts: number;
}

/**
 * Where a call's attempt log rides: in the request init the SDK hands to its fetch. The SDK copies a
 * call's `fetchOptions` (symbol keys included) into every attempt's init, retries too. An AsyncLocalStorage
 * did this before, but on Node 20 it turns on promise hooks for the whole process: ~18 % more CPU per LLM
 * chat, tracing off (docs/BENCHMARKS.md, "CPU per LLM chat").
 */
const ATTEMPT_LOG = Symbol('sommelier.attemptLog');
type InitWithLog = RequestInit & { [ATTEMPT_LOG]?: AttemptLog };
type SdkRequestOptions = NonNullable<Parameters<OpenAI['chat']['completions']['create']>[1]>;

/**
 * Request options for one SDK call that make the client's fetch tell `report` of every HTTP attempt inside
 * the call that failed (an error status or no response). The SDK retries 429/5xx/timeouts itself; without
 * this the attempts it retried stay invisible.
 */
export function reportingFailedAttempts(report: ((attempt: FailedAttempt) => void) | undefined): Pick<SdkRequestOptions, 'fetchOptions'> {
  if (!report) return {};
  const init: InitWithLog = { [ATTEMPT_LOG]: { report, attempts: 0 } };
  return { fetchOptions: init as SdkRequestOptions['fetchOptions'] };
}

async function attemptReportingFetch(input: string | URL | Request, init?: InitWithLog): Promise<Response> {
  const log = init?.[ATTEMPT_LOG];
  if (!log) return nodeHttpFetch(input, init);
  log.attempts += 1;
  const attempt = log.attempts;
  const startTime = new Date();
  try {
    const response = await nodeHttpFetch(input, init);
    if (!response.ok) {
      log.report({ attempt, status: response.status, message: `HTTP ${response.status} ${response.statusText}`.trim(), startTime, endTime: new Date() });
    }
    return response;
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log.report({ attempt, status: null, message, startTime, endTime: new Date() });
    throw error;
  }
}

/**
 * An OpenAI-compatible client created on first use: the SDK is only loaded when a request needs it, so
 * an offline install never pays for it at start-up. Local servers take any key; the SDK insists on one.
 * Its transport is node:http rather than the global fetch: half the CPU per call (src/llm/http-fetch.ts).
 */
export function lazyOpenAIClient(options: Omit<ClientOptions, 'apiKey'> & { apiKey: string | undefined }): () => Promise<OpenAI> {
  let client: Promise<OpenAI> | null = null;
  return () =>
    (client ??= import('openai').then(
      ({ default: OpenAIClient }) => new OpenAIClient({ ...options, apiKey: options.apiKey ?? 'not-needed', fetch: attemptReportingFetch }),
    ));
}
