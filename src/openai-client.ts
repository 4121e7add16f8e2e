import type OpenAI from 'openai';
import type { ClientOptions } from 'openai';

/**
 * An OpenAI-compatible client created on first use: the SDK is only loaded when a request needs it, so
 * an offline install never pays for it at start-up. Local servers take any key; the SDK insists on one.
 */
export function lazyOpenAIClient(options: Omit<ClientOptions, 'apiKey'> & { apiKey: string | undefined }): () => Promise<OpenAI> {
  let client: Promise<OpenAI> | null = null;
  return () =>
    (client ??= import('openai').then(({ default: OpenAIClient }) => new OpenAIClient({ ...options, apiKey: options.apiKey ?? 'not-needed' })));
}
