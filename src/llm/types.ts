/** The interface every chat engine implements; the messages and tool types it speaks are in src/shared/. */
import type { Engine, FailedAttempt, ModelInput, TokenUsage, ToolCall } from '../shared/index.js';

export interface ChatRequest extends ModelInput {
  signal?: AbortSignal;
  /** Told of each HTTP attempt that failed before the client retried (or gave up). */
  onFailedAttempt?: (attempt: FailedAttempt) => void;
  /** Called with each piece of the answer's text as it arrives (streaming); the response still has all of it. */
  onDelta?: (text: string) => void;
  /**
   * false: ask for one whole answer instead of a stream, when nobody reads the pieces (no onDelta) or the
   * time of the first token (an untraced request). Parsing a stream costs the server ~1 ms of CPU per chat
   * (docs/BENCHMARKS.md, "CPU per LLM chat"). Default: streamed.
   */
  stream?: boolean;
}

export interface ChatResponse {
  message: { content: string | null; tool_calls: ToolCall[] };
  finishReason: string;
  engine: Engine;
  /** The model the provider says answered (may differ from the requested one). */
  model: string;
  usage: TokenUsage | null;
  /** Provider-reported cost in USD (OpenRouter `usage.cost`); null when not reported. */
  costUsd: number | null;
  /** When the first token arrived, if known. */
  completionStartTime: Date | null;
}

export interface ChatModel {
  readonly engine: Engine;
  /** The requested model name. */
  readonly model: string;
  /** Parameters sent with every call, for the trace. */
  readonly parameters: Record<string, string | number | boolean>;
  complete(request: ChatRequest): Promise<ChatResponse>;
}
