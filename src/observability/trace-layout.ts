/**
 * The shape of one request's trace in Langfuse, in one place: span names, observation types, trace-level
 * values (name, tags, metadata keys) and what a generation records as its input. Domain code describes
 * what happened ("a generation of this engine", "this tool ran"); this module decides how it is named
 * and shaped. docs/OBSERVABILITY.md describes the result and points here.
 *
 * Langfuse v4 builds a trace from one row per observation: name, tags, session and user come from
 * whichever row carrying them is written last, input, output and metadata only from the parentless row
 * (../shared/docs/langfuse-facts.md). So:
 * - every span carries the same trace name, session and user, all known when the request starts;
 * - tags are carried only by the spans that end last (the request's own root, and the bot's span in
 *   a Telegram trace), which set the final list computed here from what both sides know;
 * - the parentless span carries trace input, output and all trace metadata.
 */
import { messagesJson, toolsJson, type Channel, type Engine, type ModelInput } from '../shared/index.js';
import type { ChatTraceOutcome } from './types.js';

/** Every trace's name, whatever the channel: filter by the `channel:` tag instead. */
export const TRACE_NAME = 'sommelier-chat';

/** Span names. The root of a request is an `agent` observation named like the trace. */
export const SPAN = {
  /** The backend's handling of one chat request (observation type agent). */
  agent: TRACE_NAME,
  /** The Telegram bot's span around its call to the backend (type span); the trace's root for a bot message. */
  telegramUpdate: 'telegram-update',
  /** A failed HTTP attempt of an LLM call that the client retried (type event, level ERROR). */
  llmAttemptFailed: 'llm-attempt-failed',
} as const;

/** Generation names by engine: the offline engine's calls are told apart from an LLM's at a glance. */
export function generationName(engine: Engine): string {
  return engine === 'offline' ? 'offline-completion' : 'llm-completion';
}

export const channelTag = (channel: Channel): string => `channel:${channel}`;
export const engineTag = (engine: string): string => `engine:${engine}`;

/** The trace's final tag list. Both ends of a Telegram trace compute it from the same two values. */
export function traceTags(channel: Channel, engine?: string): string[] {
  return engine ? [channelTag(channel), engineTag(engine)] : [channelTag(channel)];
}

/** Trace metadata keys, as they appear in Langfuse's filters. */
export const TRACE_METADATA = {
  toolUsed: 'tool_used',
  iterations: 'iterations',
  /** The reply's language (ru | en). */
  language: 'language',
  recommendations: 'recommendations',
  engine: 'engine',
  model: 'model',
  fallbackReason: 'fallback_reason',
  /** The trace id of a caller whose `traceparent` was not trusted: the request started its own trace. */
  upstreamTraceId: 'upstream_trace_id',
} as const;

/** Langfuse keeps propagated metadata values up to 200 characters; we hold ours to the same. */
const METADATA_VALUE_LIMIT = 200;

/** The outcome as `langfuse.trace.metadata.<key>` string values (the form Langfuse filters on). */
export function traceMetadata(outcome: ChatTraceOutcome): Record<string, string> {
  const metadata: Record<string, string> = {
    [TRACE_METADATA.toolUsed]: outcome.toolsUsed.join(','),
    [TRACE_METADATA.iterations]: String(outcome.iterations),
    [TRACE_METADATA.language]: outcome.language,
    [TRACE_METADATA.recommendations]: String(outcome.recommendations),
    [TRACE_METADATA.engine]: outcome.engine,
    [TRACE_METADATA.model]: outcome.model,
  };
  if (outcome.fallbackReason) metadata[TRACE_METADATA.fallbackReason] = outcome.fallbackReason.slice(0, METADATA_VALUE_LIMIT);
  return metadata;
}

/**
 * What a generation records as its input: what that engine reads. An LLM reads everything sent (system
 * prompt, conversation, tool schemas); the offline engine reads the conversation and which tools exist,
 * so its generations skip the system prompt and the schemas (a third of a traced offline chat's CPU).
 * The schemas are the same on every call of a chat: a trace's first LLM generation records them whole,
 * the later ones by name (`schemas: false`), which was ~4 KB less to serialise, mask, encode and ship
 * per model call. Returned as the JSON the generation's input attribute holds.
 */
export function generationInput(
  engine: Engine,
  request: ModelInput,
  options: { schemas?: boolean } = {},
): string {
  // JSON made here rather than by the SDK: each message's JSON is made once per chat and shared with the
  // request bodies (src/shared/json-once.ts), the schemas' once per process.
  const toolsOffered = request.toolChoice === 'none' ? [] : request.tools;
  const names = (): string => JSON.stringify(toolsOffered.map((tool) => tool.function.name));
  if (engine === 'offline') {
    return `{"messages":${messagesJson(request.messages.filter((message) => message.role !== 'system'))},"tools":${names()}}`;
  }
  const tools = options.schemas === false ? names() : toolsJson(toolsOffered);
  return `{"messages":${messagesJson(request.messages)},"tools":${tools}}`;
}
