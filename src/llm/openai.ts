import type OpenAI from 'openai';
import { lazyOpenAIClient, reportingFailedAttempts } from './openai-client.js';
import type { Stream } from 'openai/streaming';
import { z } from 'zod';
import { chatCompletionJson } from './request-body.js';
import type { ChatModel, ChatRequest, ChatResponse } from './types.js';
import type { TokenUsage, ToolCall } from '../shared/index.js';

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

/** One streamed chunk (`chat.completion.chunk`); the last one carries usage and no choices. */
const chunkSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        index: z.number().int().optional(),
        finish_reason: z.string().nullish(),
        delta: z
          .object({
            content: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().int().optional(),
                  id: z.string().nullish(),
                  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
      }),
    )
    .nullish(),
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

/**
 * Tool calls assembled from stream deltas. A delta names its call by `index`; some providers send each call
 * whole under index 0, so a new `id` at an index already in use starts a new call instead of merging two.
 */
class ToolCallAssembler {
  private readonly calls: { id: string; name: string; arguments: string }[] = [];
  private readonly byIndex = new Map<number, { id: string; name: string; arguments: string }>();

  add(delta: { index?: number | undefined; id?: string | null | undefined; function?: { name?: string | null | undefined; arguments?: string | null | undefined } | null | undefined }): void {
    const index = delta.index ?? 0;
    let call = this.byIndex.get(index);
    if (!call || (delta.id && call.id && delta.id !== call.id)) {
      call = { id: '', name: '', arguments: '' };
      this.calls.push(call);
      this.byIndex.set(index, call);
    }
    if (delta.id) call.id = delta.id;
    if (delta.function?.name) call.name += delta.function.name;
    if (delta.function?.arguments) call.arguments += delta.function.arguments;
  }

  result(): unknown[] {
    return this.calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  }
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
  /** What `chat.completions.create` sends, with the body as JSON we make (the tools' part made once). */
  const post = (body: Parameters<typeof chatCompletionJson>[0]) => ({
    body: chatCompletionJson(body),
    headers: { 'content-type': 'application/json' },
  });

  /** A whole (non-streamed) completion: what a provider that ignores `stream` sends, or an error with HTTP 200. */
  const readCompletion = (raw: unknown, request: ChatRequest): ChatResponse => {
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
      const toolCalls = readToolCalls(choice.message.tool_calls);
      if (choice.message.content && toolCalls.length === 0) request.onDelta?.(choice.message.content);
      return {
        message: { content: choice.message.content ?? null, tool_calls: toolCalls },
        finishReason: choice.finish_reason ?? 'stop',
        engine: 'openai',
        model: parsed.data.model ?? options.model,
        usage,
        costUsd,
        completionStartTime: null,
      };
  };

  return {
    engine: 'openai',
    model: options.model,
    parameters: { ...parameters, stream: true },
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const streamed = request.stream !== false || request.onDelta !== undefined;
      const body = {
        model: options.model,
        temperature: options.temperature,
        messages: request.messages,
        ...(request.tools.length > 0 ? { tools: request.tools, tool_choice: request.toolChoice ?? 'auto' } : {}),
        // Streamed unless the caller has no use for it: the generation gets its time to first token, and a
        // streamed chat passes text on as it arrives. The last chunk carries usage (and OpenRouter's cost)
        // only when asked for.
        ...(streamed ? { stream: true, stream_options: { include_usage: true } } : {}),
        // OpenRouter reports cost only when asked; api.openai.com rejects the unknown field.
        ...(isOpenRouter ? { usage: { include: true } } : {}),
      };
      const openai = await client();
      if (!streamed) {
        const raw: unknown = await openai.post('/chat/completions', { ...post(body), stream: false, signal: request.signal, ...reportingFailedAttempts(request.onFailedAttempt) });
        return readCompletion(raw, request);
      }
      const { data: stream, response } = await openai
        .post<Stream<OpenAI.Chat.Completions.ChatCompletionChunk>>('/chat/completions', {
          ...post(body),
          stream: true,
          signal: request.signal,
          ...reportingFailedAttempts(request.onFailedAttempt),
        })
        .withResponse();
      if (!/text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
        return readCompletion(safeJson(await response.text()), request);
      }

      // The SDK's timeout ends when the headers arrive; a stream that stalls afterwards is cut here instead.
      // Its iterator ends quietly on an abort, so the cause is checked after the loop.
      const idle = new AbortController();
      let timer = setTimeout(() => idle.abort(), options.timeoutMs);
      const cutOnIdle = () => stream.controller.abort();
      idle.signal.addEventListener('abort', cutOnIdle, { once: true });
      let content = '';
      let finishReason: string | null = null;
      let model: string | undefined;
      let rawUsage: z.infer<typeof usageSchema> | null | undefined;
      let completionStartTime: Date | null = null;
      const toolCalls = new ToolCallAssembler();
      try {
        for await (const chunk of stream) {
          clearTimeout(timer);
          timer = setTimeout(() => idle.abort(), options.timeoutMs);
          const parsed = chunkSchema.safeParse(chunk);
          if (!parsed.success) throw new LLMResponseError(`malformed stream chunk: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`);
          model = parsed.data.model ?? model;
          if (parsed.data.usage) rawUsage = parsed.data.usage;
          const choice = parsed.data.choices?.find((c) => (c.index ?? 0) === 0);
          if (!choice) continue;
          if (choice.finish_reason) finishReason = choice.finish_reason;
          const text = choice.delta?.content;
          if (text) {
            completionStartTime ??= new Date();
            content += text;
            request.onDelta?.(text);
          }
          for (const call of choice.delta?.tool_calls ?? []) {
            completionStartTime ??= new Date();
            toolCalls.add(call);
          }
        }
      } catch (error) {
        if (error instanceof LLMResponseError || request.signal?.aborted) throw error;
        // An error event inside the stream (OpenRouter sends one when the upstream model fails mid-answer).
        throw new LLMResponseError(`provider error: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        clearTimeout(timer);
        idle.signal.removeEventListener('abort', cutOnIdle);
      }
      if (idle.signal.aborted) throw new LLMResponseError(`the provider stopped streaming for ${options.timeoutMs} ms`);
      if (request.signal?.aborted) throw request.signal.reason instanceof Error ? request.signal.reason : new Error('aborted');
      if (finishReason === null && content === '' && toolCalls.result().length === 0) {
        throw new LLMResponseError('malformed completion: the stream ended without an answer');
      }
      const { usage, costUsd } = readUsage(rawUsage);
      return {
        message: { content: content === '' ? null : content, tool_calls: readToolCalls(toolCalls.result()) },
        finishReason: finishReason ?? 'stop',
        engine: 'openai',
        model: model ?? options.model,
        usage,
        costUsd,
        completionStartTime,
      };
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
