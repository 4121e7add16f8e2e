import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Wine } from '../catalog/index.js';
import type { ChatModel, ChatRequest, ChatResponse } from '../llm/index.js';
import { maskUserId, redactText } from '../masking.js';
import type { Observability, RequestTrace, UpstreamTraceContext } from '../observability/index.js';
import { deepFreeze, type Channel, type ChatMessage, type Engine, type TokenUsage, type ToolCall } from '../shared/index.js';
import type { Toolbox, ToolExecution } from '../tools/index.js';
import { detectLanguage, readConstraints, type Language } from '../understanding/index.js';
import { constraintSatisfaction, groundedness, winesNamedInReply } from './evaluation.js';
import type { ConversationMemory } from './memory.js';
import { builtinPromptSource, FALLBACK_NOTICE, NO_FINAL_ANSWER, NOTHING_FOUND, type SystemPromptSource } from './prompts.js';

export { createConversationMemory } from './memory.js';
export type { ConversationMemory } from './memory.js';
export { builtinPromptSource, promptVariables, type SystemPromptSource } from './prompts.js';
export { groundedness } from './evaluation.js';

/** The configured LLM failed after its retries and no fallback was allowed. */
export class LLMUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`The language model is unavailable: ${reason}`);
    this.name = 'LLMUnavailableError';
  }
}

export interface AgentDeps {
  chatModel: ChatModel;
  /** Used when the chat model fails after its retries (LLM_FALLBACK_TO_OFFLINE), null to surface the error. */
  fallbackModel: ChatModel | null;
  toolbox: Toolbox;
  memory: ConversationMemory;
  observability: Observability;
  maxIterations: number;
  logger: Logger;
  /** How many earlier turns of the session the model sees. */
  historyTurns?: number;
  /** The system prompt's source: the built-in prompt unless Langfuse prompt management is configured. */
  prompts?: SystemPromptSource;
  /** Tool calls run per model round and per request; the rest are answered with an error (default 8, 20). */
  maxToolCallsPerRound?: number;
  maxToolCallsPerRequest?: number;
  /**
   * Mask personal data and secrets in the user's message and user id before anything else sees them
   * (default true; MASK_USER_INPUT). See docs/SECURITY.md for why this happens before the agent.
   */
  maskUserInput?: boolean;
  /**
   * true: a traced chat not streamed to its caller still streams from the LLM, so that its generations
   * record the time to first token (~1–3 ms more CPU per chat). Default false: such a chat asks for one
   * whole answer; a chat streamed to its caller always streams and records it.
   */
  traceTimeToFirstToken?: boolean;
}

const DEFAULT_MAX_TOOL_CALLS_PER_ROUND = 8;
const DEFAULT_MAX_TOOL_CALLS_PER_REQUEST = 20;

export interface ChatRequestInput {
  message: string;
  sessionId: string;
  userId: string | null;
  channel: Channel;
  /** The caller's trace context (W3C traceparent) and whether the caller may continue its trace. */
  upstream?: UpstreamTraceContext | undefined;
  /** Receives the answer's text as the model writes it (streamed responses). */
  stream?: AnswerStream | undefined;
}

/**
 * The final answer's text as it is produced. Text a model writes before deciding to call tools is not the
 * answer: `discard` says to drop what was sent so far. The result's `reply` stays the authoritative text.
 */
export interface AnswerStream {
  delta(text: string): void;
  discard(): void;
}

export interface AgentResult {
  /** Identifies this answer for feedback; stored with the assistant turn. */
  answerId: string;
  reply: string;
  recommendations: Wine[];
  sessionId: string;
  toolsUsed: string[];
  iterations: number;
  engine: Engine;
  model: string;
  language: Language;
  usage: TokenUsage;
  costUsd: number | null;
  traceId: string | null;
  /** Why the answer came from the offline engine instead of the configured LLM. */
  fallbackReason: string | null;
}

/** Bounded view of a tool call for the trace and for logs. */
function describeToolCall(call: ToolCall): unknown {
  try {
    return JSON.parse(call.function.arguments) as unknown;
  } catch {
    return { raw: call.function.arguments.slice(0, 500) };
  }
}

/** One ERROR tool observation for all refused calls of a round: which tools and how many, not their arguments. */
function recordRefusedToolCalls(trace: RequestTrace, refused: readonly ToolCall[], limit: string): Promise<void> {
  const byTool: Record<string, number> = {};
  for (const call of refused) byTool[call.function.name] = (byTool[call.function.name] ?? 0) + 1;
  return trace.tool('tool-calls-refused', { refused: refused.length, limit, byTool }, async (recorder) => {
    recorder.end({ output: { refused: refused.length }, error: `${refused.length} tool calls over the limit of ${limit} were not run` });
  });
}

function addUsage(total: TokenUsage, usage: TokenUsage | null): void {
  if (!usage) return;
  total.input += usage.input;
  total.output += usage.output;
  total.total += usage.total;
  if (usage.cachedInput !== undefined) total.cachedInput = (total.cachedInput ?? 0) + usage.cachedInput;
  if (usage.reasoning !== undefined) total.reasoning = (total.reasoning ?? 0) + usage.reasoning;
}

function listWines(wines: Wine[], language: Language): string {
  if (wines.length === 0) return NOTHING_FOUND[language];
  const lines = wines.slice(0, 5).map((wine, i) => {
    const where = [wine.region, wine.country].filter(Boolean).join(', ');
    return `${i + 1}. ${wine.name}${wine.winery ? ` — ${wine.winery}` : ''}${where ? ` (${where})` : ''}`;
  });
  return `${NO_FINAL_ANSWER[language]}\n${lines.join('\n')}`;
}

/**
 * The agent loop: LLM call with tools → run the requested tools in parallel → feed results back →
 * until the model answers or the iteration budget is spent. One call is one trace.
 */
export async function runAgent(deps: AgentDeps, request: ChatRequestInput): Promise<AgentResult> {
  // Masked where it enters: the LLM provider, the offline engine (which rewrites the text, so masks
  // applied later would miss "password hunter2x"), memory, logs and traces only ever see the masked text.
  const input =
    deps.maskUserInput === false ? request : { ...request, message: redactText(request.message), userId: maskUserId(request.userId) };
  const language = detectLanguage(input.message);
  const history = await deps.memory.recent(input.sessionId, deps.historyTurns ?? 10);

  return deps.observability.traceChat(
    {
      input: input.message,
      sessionId: input.sessionId,
      userId: input.userId,
      channel: input.channel,
      upstream: input.upstream,
    },
    async (trace) => {
      const result = await runAgentLoop(deps, input, language, history, trace);
      const answerId = randomUUID();
      await deps.memory.append(input.sessionId, [
        { role: 'user', content: input.message },
        {
          role: 'assistant',
          content: result.reply,
          answer: { answerId, traceId: trace.traceId, recommendationIds: result.recommendations.map((wine) => wine.id) },
        },
      ]);
      trace.finish({
        output: result.reply,
        engine: result.engine,
        model: result.model,
        toolsUsed: result.toolsUsed,
        iterations: result.iterations,
        language: result.language,
        recommendations: result.recommendations.length,
        fallbackReason: result.fallbackReason ?? undefined,
      });
      return { ...result, answerId, traceId: trace.traceId };
    },
  );
}

async function runAgentLoop(
  deps: AgentDeps,
  input: ChatRequestInput,
  language: Language,
  history: { role: 'user' | 'assistant'; content: string }[],
  trace: RequestTrace,
): Promise<Omit<AgentResult, 'traceId' | 'answerId'>> {
  const prompt = (deps.prompts ?? builtinPromptSource).forLanguage(language);
  // Each message is frozen: its JSON is made once and reused by every later call and trace input.
  const messages: ChatMessage[] = [
    Object.freeze({ role: 'system', content: prompt.text }),
    ...history.map((turn): ChatMessage => Object.freeze({ role: turn.role, content: turn.content })),
    Object.freeze({ role: 'user', content: input.message }),
  ];
  const toolWines = new Map<number, Wine>();
  const toolsUsed = new Set<string>();
  const usage: TokenUsage = { input: 0, output: 0, total: 0 };
  let costUsd: number | null = null;
  let model = deps.chatModel;
  let fallbackReason: string | null = null;
  let iterations = 0;
  let reply: string | null = null;
  let answeredBy = model.model;
  /** Whether the current round has streamed text that may turn out not to be the answer. */
  let streamed = false;
  const onDelta = input.stream
    ? (text: string) => {
        streamed = true;
        input.stream?.delta(text);
      }
    : undefined;
  const discardStreamed = () => {
    if (streamed) input.stream?.discard();
    streamed = false;
  };

  const callModel = async (toolChoice: 'auto' | 'none'): Promise<ChatResponse> => {
    iterations += 1;
    const attempt = (current: ChatModel) =>
      trace.generation(
        {
          engine: current.engine,
          model: current.model,
          modelParameters: { ...current.parameters, tool_choice: toolChoice },
          request: { messages, tools: deps.toolbox.definitions, toolChoice },
          prompt: prompt.link ?? undefined,
        },
        async (generation) => {
          const request: ChatRequest = {
            messages,
            tools: deps.toolbox.definitions,
            toolChoice,
            onFailedAttempt: (failed) => generation.failedAttempt(failed),
            ...(onDelta ? { onDelta } : {}),
            // Nobody reads the pieces or the first token's time: one whole answer is cheaper to read.
            ...(onDelta || (trace.traceId !== null && deps.traceTimeToFirstToken === true) ? {} : { stream: false }),
          };
          const response = await current.complete(request);
          generation.end({
            output: { role: 'assistant', content: response.message.content, tool_calls: response.message.tool_calls },
            responseModel: response.model,
            usage: response.usage,
            costUsd: response.costUsd,
            completionStartTime: response.completionStartTime,
          });
          return response;
        },
      );
    try {
      return await attempt(model);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (model === deps.fallbackModel) throw error;
      if (!deps.fallbackModel) throw new LLMUnavailableError(reason);
      fallbackReason = reason;
      deps.logger.warn({ err: error, sessionId: input.sessionId }, 'LLM failed after retries; answering with the offline engine');
      model = deps.fallbackModel;
      // A stream cut off by the failure is dropped; the final reply starts with the notice, so does the stream.
      discardStreamed();
      onDelta?.(`${FALLBACK_NOTICE[language]}\n\n`);
      streamed = false;
      return attempt(model);
    }
  };

  const perRound = deps.maxToolCallsPerRound ?? DEFAULT_MAX_TOOL_CALLS_PER_ROUND;
  const perRequest = deps.maxToolCallsPerRequest ?? DEFAULT_MAX_TOOL_CALLS_PER_REQUEST;
  let toolCallsRun = 0;

  const runTool = (call: ToolCall): Promise<ToolExecution> =>
    trace.tool(call.function.name, describeToolCall(call), async (recorder) => {
      const execution = await deps.toolbox.run(call.function.name, call.function.arguments);
      recorder.end({ output: execution.summary, error: execution.ok ? undefined : execution.error });
      return execution;
    });

  while (iterations < deps.maxIterations) {
    // The last allowed call must produce an answer, not another round of tools; so must the call after
    // the request's tool budget is spent.
    const lastCall = (iterations + 1 >= deps.maxIterations || toolCallsRun >= perRequest) && iterations > 0;
    const toolChoice = lastCall ? 'none' : 'auto';
    const response = await callModel(toolChoice);
    addUsage(usage, response.usage);
    if (response.costUsd !== null) costUsd = (costUsd ?? 0) + response.costUsd;
    answeredBy = response.model;
    const calls = toolChoice === 'none' ? [] : response.message.tool_calls;
    if (calls.length === 0) {
      reply = response.message.content?.trim() || null;
      break;
    }
    discardStreamed();
    messages.push(deepFreeze({ role: 'assistant', content: response.message.content, tool_calls: calls }));
    const allowed = calls.slice(0, Math.max(0, Math.min(perRound, perRequest - toolCallsRun)));
    const refused = calls.slice(allowed.length);
    toolCallsRun += allowed.length;
    const executions = await Promise.all(allowed.map(runTool));
    executions.forEach((execution, i) => {
      toolsUsed.add(execution.name);
      for (const wine of execution.wines) toolWines.set(wine.id, wine);
      messages.push(Object.freeze({ role: 'tool', tool_call_id: allowed[i]!.id, content: execution.content }));
    });
    if (refused.length > 0) {
      // Every call needs an answer (the API rejects an unanswered tool_call_id); these are not run.
      const limit = toolCallsRun >= perRequest ? `${perRequest} per request` : `${perRound} per round`;
      const content = JSON.stringify({ error: `tool call limit reached (${limit}): this call was not run; answer with what you have` });
      for (const call of refused) messages.push(Object.freeze({ role: 'tool', tool_call_id: call.id, content }));
      await recordRefusedToolCalls(trace, refused, limit);
    }
  }

  const wines = [...toolWines.values()];
  let finalReply = reply ?? listWines(wines, language);
  let recommendations = winesNamedInReply(finalReply, wines);
  if (reply === null) recommendations = wines.slice(0, 5);
  if (fallbackReason !== null) finalReply = `${FALLBACK_NOTICE[language]}\n\n${finalReply}`;

  // Automatic evaluations exist only as Langfuse scores: an untraced request skips the work.
  if (trace.traceId !== null) {
    const satisfaction = constraintSatisfaction(recommendations, readConstraints(input.message));
    if (satisfaction !== null) trace.score('constraint-satisfaction', satisfaction);
    trace.score('grounded', groundedness(finalReply, wines));
  }

  return {
    reply: finalReply,
    recommendations,
    sessionId: input.sessionId,
    toolsUsed: [...toolsUsed],
    iterations,
    engine: model.engine,
    model: answeredBy,
    // The reply's language, which is what the trace's `language` metadata promises (an LLM may answer
    // in another language than the question's).
    language: detectLanguage(finalReply),
    usage,
    costUsd,
    fallbackReason,
  };
}
