import type { LangfuseClient } from '@langfuse/client';
import type { Logger } from 'pino';
import type { SystemPrompt, SystemPromptSource } from './types.js';

export interface LangfusePromptOptions<Language extends string> {
  publicKey: string;
  secretKey: string;
  baseUrl: string;
  /** The prompt's name in Langfuse prompt management. */
  name: string;
  /** Which version to use: the one carrying this label ("production" unless set). */
  label: string;
  /** How long a fetched version is used before it is fetched again (in the background). */
  cacheTtlSeconds: number;
  /** Longest wait for one fetch; a slower Langfuse leaves the current prompt in use. */
  fetchTimeoutMs: number;
  logger: Logger;
  /** Used until a version has been fetched, and whenever none can be (the agent's built-in prompt). */
  fallback: SystemPromptSource<Language>;
  /** The template variables a fetched version is compiled with for one language (`{{language}}`). */
  variables(language: Language): Record<string, string>;
  /** Test seam for the clock. */
  now?: () => number;
}

export type LangfusePromptSource<Language extends string> = Required<SystemPromptSource<Language>>;

/** What a fetched prompt version offers: the SDK's text and chat prompt clients both fit. */
interface FetchedPrompt {
  name: string;
  version: number;
  isFallback: boolean;
  compile(variables: Record<string, string>): unknown;
}

/** A chat prompt compiles to messages: its system messages are the system prompt. */
function promptText(compiled: unknown): string | null {
  if (typeof compiled === 'string') return compiled;
  if (!Array.isArray(compiled)) return null;
  const system = compiled
    .map((message: unknown) => (message !== null && typeof message === 'object' ? (message as Record<string, unknown>) : {}))
    .filter((message) => message.role === 'system' && typeof message.content === 'string')
    .map((message) => message.content as string);
  return system.length > 0 ? system.join('\n') : null;
}

/**
 * The system prompt from Langfuse prompt management. The SDK fetches and compiles the prompt; this module
 * decides when: a request always gets the version at hand (the built-in prompt before the first fetch),
 * and a stale version is refreshed in the background, so a slow or unreachable Langfuse never holds up a
 * chat. A failed fetch keeps the last good version (or the built-in one) and is retried after the TTL.
 */
export function createLangfusePromptSource<Language extends string>(options: LangfusePromptOptions<Language>): LangfusePromptSource<Language> {
  const { fallback } = options;
  const now = options.now ?? Date.now;
  const ttlMs = options.cacheTtlSeconds * 1000;
  // Loaded on first use: a service without prompt management never pays for the client module.
  let client: Promise<LangfuseClient> | null = null;
  const getClient = (): Promise<LangfuseClient> =>
    (client ??= import('@langfuse/client').then(
      ({ LangfuseClient }) => new LangfuseClient({ publicKey: options.publicKey, secretKey: options.secretKey, baseUrl: options.baseUrl }),
    ));
  const logger = options.logger.child({ component: 'prompts', prompt: options.name, label: options.label });

  let current: FetchedPrompt | null = null;
  /** Compiled texts of the current version, per language (compiling is the same work every request). */
  let compiled = new Map<Language, SystemPrompt>();
  let lastAttemptAt = -Infinity;
  let failing = false;
  let inFlight: Promise<void> | null = null;
  let firstFetch: Promise<void> | null = null;

  const fetchOnce = (): Promise<void> => {
    lastAttemptAt = now();
    // cacheTtlSeconds 0: the SDK fetches every time we ask; when to ask (and what to serve meanwhile) is decided here.
    const fetched = getClient()
      .then((langfuse) =>
        langfuse.prompt.get(options.name, { label: options.label, cacheTtlSeconds: 0, fetchTimeoutMs: options.fetchTimeoutMs, maxRetries: 0 }),
      )
      .then((prompt: FetchedPrompt) => {
        if (prompt.isFallback) return;
        if (current?.version !== prompt.version) {
          logger.info({ version: prompt.version }, current ? 'prompt version changed' : 'prompt fetched from Langfuse');
          compiled = new Map();
        }
        current = prompt;
        if (failing) logger.info('prompt fetching works again');
        failing = false;
      })
      .catch((error: unknown) => {
        if (!failing) {
          logger.warn(
            { err: error, using: current ? `version ${current.version}` : 'the built-in prompt' },
            'could not fetch the prompt from Langfuse; retrying after the cache TTL',
          );
        }
        failing = true;
      })
      .finally(() => {
        inFlight = null;
      });
    inFlight = fetched;
    return fetched;
  };

  const refreshIfStale = (): void => {
    if (inFlight === null && now() - lastAttemptAt >= ttlMs) void fetchOnce();
  };

  const source: LangfusePromptSource<Language> = {
    forLanguage(language) {
      refreshIfStale();
      const prompt = current;
      if (prompt === null) return fallback.forLanguage(language);
      let entry = compiled.get(language);
      if (entry === undefined) {
        const text = promptText(prompt.compile(options.variables(language)));
        if (text === null) {
          logger.warn({ version: prompt.version }, 'the Langfuse prompt has no text or system message; using the built-in prompt');
          return fallback.forLanguage(language);
        }
        entry = { text, link: { name: prompt.name, version: prompt.version } };
        compiled.set(language, entry);
      }
      return entry;
    },
    describe() {
      return current ? `${current.name} v${current.version}` : `${fallback.describe()} (${options.name} not fetched)`;
    },
    async ready(timeoutMs) {
      firstFetch ??= inFlight ?? fetchOnce();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([firstFetch, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
  // The first fetch starts now, so the first chats usually already have the Langfuse version.
  firstFetch = fetchOnce();
  return source;
}
