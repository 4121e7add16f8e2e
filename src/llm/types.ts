/** Messages in the OpenAI chat shape (ChatML), which OpenRouter, Langfuse and the offline engine all read. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** A tool as the model sees it (OpenAI function-tool format, JSON Schema parameters). */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface TokenUsage {
  input: number;
  output: number;
  total: number;
  cachedInput?: number;
  reasoning?: number;
}

/** One HTTP attempt of a model call that failed and was retried by the client. */
export interface FailedAttempt {
  /** 1 for the first try. */
  attempt: number;
  /** HTTP status, or null when no response arrived (connection error, timeout). */
  status: number | null;
  message: string;
  startTime: Date;
  endTime: Date;
}

export interface ChatRequest {
  messages: ChatMessage[];
  tools: ToolDefinition[];
  /** 'none' asks for a final answer without further tool calls (the agent's last iteration). */
  toolChoice?: 'auto' | 'none';
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

export type Engine = 'openai' | 'offline';

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
