import { AsyncLocalStorage } from 'node:async_hooks';
import type OpenAI from 'openai';
import type { ClientOptions } from 'openai';
import { nodeHttpFetch } from './llm/http-fetch.js';
import type { FailedAttempt } from './llm/types.js';

interface AttemptLog {
  report(attempt: FailedAttempt): void;
  attempts: number;
}

/** The call whose HTTP attempts the client's fetch is making, so failed ones reach that call's trace. */
const currentCall = new AsyncLocalStorage<AttemptLog>();

/**
 * Runs one SDK call and tells `report` of every HTTP attempt inside it that failed (an error status or no
 * response). The SDK retries 429/5xx/timeouts itself; without this the attempts it retried stay invisible.
 */
export function reportingFailedAttempts<T>(report: ((attempt: FailedAttempt) => void) | undefined, call: () => T): T {
  return report ? currentCall.run({ report, attempts: 0 }, call) : call();
}

async function attemptReportingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const log = currentCall.getStore();
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
