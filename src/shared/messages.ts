/**
 * Messages in the OpenAI chat shape (ChatML), which OpenRouter, Langfuse and the offline engine all read.
 * Here rather than in llm/: the agent, the tools, the offline engine and the trace all speak it.
 */
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

/** What one model call is given; the trace records exactly this part of a request. */
export interface ModelInput {
  messages: ChatMessage[];
  tools: ToolDefinition[];
  /** 'none' asks for a final answer without further tool calls (the agent's last iteration). */
  toolChoice?: 'auto' | 'none';
}

/** Which kind of model answered: a remote OpenAI-compatible LLM or the built-in offline engine. */
export type Engine = 'openai' | 'offline';

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
