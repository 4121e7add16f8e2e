import type OpenAI from 'openai';
import { lazyOpenAIClient, reportingFailedAttempts } from '../openai-client.js';
import { z } from 'zod';
import type { ChatModel, ChatRequest, ChatResponse, TokenUsage, ToolCall } from './types.js';

export interface OpenAIChatModelOptions {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  temperature: number;
  timeoutMs: number;
  maxRetries: number;
  appUrl?: string | undefined;
  appTitle?: string | undefined;
}

/** OpenRouter adds `cost` and details the OpenAI SDK types don't know about; read them defensively. */
const usageSchema = z
  .object({
    prompt_tokens: z.number().nonnegative().catch(0),
    completion_tokens: z.number().nonnegative().catch(0),
    total_tokens: z.number().nonnegative().optional(),
    cost: z.number().nonnegative().optional().catch(undefined),
    prompt_tokens_details: z.object({ cached_tokens: z.number().optional() }).nullish().catch(undefined),
    completion_tokens_details: z.object({ reasoning_tokens: z.number().optional() }).nullish().catch(undefined),
  })
  .passthrough();

const toolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal('function').catch('function'),
  function: z.object({ name: z.string(), arguments: z.string().catch('') }),
});

/** What we accept from the provider: anything else is a malformed response, reported as an error. */
const completionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullish(),
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z.array(z.unknown()).nullish(),
        }),
      }),
    )
    .min(1),
  usage: usageSchema.nullish(),
});

/** OpenRouter can answer HTTP 200 with `{error: {code, message}}` in the body. */
const inBodyErrorSchema = z.object({ error: z.object({ message: z.string(), code: z.union([z.number(), z.string()]).optional() }) });

export class LLMResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LLMResponseError';
  }
}

function readUsage(raw: z.infer<typeof usageSchema> | null | undefined): { usage: TokenUsage | null; costUsd: number | null } {
  if (!raw) return { usage: null, costUsd: null };
  const usage: TokenUsage = {
    input: raw.prompt_tokens,
    output: raw.completion_tokens,
    total: raw.total_tokens ?? raw.prompt_tokens + raw.completion_tokens,
  };
  const cached = raw.prompt_tokens_details?.cached_tokens;
  const reasoning = raw.completion_tokens_details?.reasoning_tokens;
  if (cached !== undefined) usage.cachedInput = cached;
  if (reasoning !== undefined) usage.reasoning = reasoning;
  return { usage, costUsd: raw.cost ?? null };
}

function readToolCalls(raw: unknown[] | null | undefined): ToolCall[] {
  if (!raw) return [];
  // A call we cannot even parse is dropped here; a call with bad *arguments* reaches the tool, which
  // answers the model with a validation error so it can correct itself.
  return raw.flatMap((call) => {
    const parsed = toolCallSchema.safeParse(call);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * Chat model over any OpenAI-compatible endpoint (OpenRouter by default). Retries with backoff on
 * 429/5xx/timeouts are the SDK's own (it honours Retry-After).
 */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  const isOpenRouter = /openrouter\.ai/.test(options.baseUrl);
  const client = lazyOpenAIClient({
    baseURL: options.baseUrl,
    apiKey: options.apiKey,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    defaultHeaders: {
      ...(options.appUrl ? { 'HTTP-Referer': options.appUrl } : {}),
      ...(options.appTitle ? { 'X-Title': options.appTitle } : {}),
    },
  });

  const parameters = { temperature: options.temperature, tool_choice: 'auto' } as const;

  return {
    engine: 'openai',
    model: options.model,
    parameters: { ...parameters },
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const body = {
        model: options.model,
        temperature: options.temperature,
        messages: request.messages,
        ...(request.tools.length > 0 ? { tools: request.tools, tool_choice: request.toolChoice ?? 'auto' } : {}),
        // OpenRouter reports cost only when asked; api.openai.com rejects the unknown field.
        ...(isOpenRouter ? { usage: { include: true } } : {}),
      };
      const openai = await client();
      const raw: unknown = await reportingFailedAttempts(request.onFailedAttempt, () =>
        openai.chat.completions.create(body as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, { signal: request.signal }),
      );
      const inBodyError = inBodyErrorSchema.safeParse(raw);
      if (inBodyError.success) {
        throw new LLMResponseError(`provider error: ${inBodyError.data.error.message}`);
      }
      const parsed = completionSchema.safeParse(raw);
      if (!parsed.success) {
        throw new LLMResponseError(`malformed completion: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`);
      }
      const choice = parsed.data.choices[0]!;
      const { usage, costUsd } = readUsage(parsed.data.usage);
      return {
        message: { content: choice.message.content ?? null, tool_calls: readToolCalls(choice.message.tool_calls) },
        finishReason: choice.finish_reason ?? 'stop',
        engine: 'openai',
        model: parsed.data.model ?? options.model,
        usage,
        costUsd,
        completionStartTime: null,
      };
    },
  };
}
