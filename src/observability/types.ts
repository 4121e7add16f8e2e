/**
 * The narrow surface domain code uses to describe what it does. Only `src/observability` knows about
 * Langfuse and OpenTelemetry; with tracing off every method is a no-op that does no span work.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Channel, Engine, FailedAttempt, ModelInput, TokenUsage } from '../shared/index.js';

/** What tracing needs from the process around it. */
export interface ObservabilityDeps {
  dataDir: string;
  logger: Logger;
  /** Package version, sent as the Langfuse release. */
  release: string;
  /**
   * A request started inside an active span of the caller's becomes its child (the eval's experiment
   * items). Off for the server and the bot: each request is its own trace and the process keeps no
   * async context (see langfuse.ts).
   */
  nestInActiveSpan?: boolean;
}

export type LangfuseConfig = Config['langfuse'];

export interface ChatTraceStart {
  /** The user's message. */
  input: string;
  sessionId: string;
  userId: string | null;
  channel: Channel;
  /** The caller's W3C trace context, when it sent one. */
  upstream?: UpstreamTraceContext | undefined;
}

/**
 * A caller's `traceparent`. Only a trusted caller (our own bot, authenticated to the backend) continues
 * its trace and its sampling decision; anyone else's is recorded as a link and the request starts its own
 * trace under our own sampling, so no client can attach spans to a trace it names or switch tracing on/off.
 */
export interface UpstreamTraceContext {
  traceparent: string;
  trusted: boolean;
}

export interface ChatTraceOutcome {
  output: string;
  engine: string;
  model: string;
  toolsUsed: string[];
  iterations: number;
  /** The reply's language. */
  language: string;
  recommendations: number;
  /** Set when the answer came from the offline engine after the LLM failed. */
  fallbackReason?: string | undefined;
}

/** One model call: the trace layout decides its name and which part of the request it records. */
export interface GenerationStart {
  engine: Engine;
  /** The requested model. */
  model: string;
  modelParameters: Record<string, string | number | boolean>;
  request: ModelInput;
  /** The Langfuse prompt version the system prompt came from (prompt management); absent for the built-in one. */
  prompt?: PromptLink | undefined;
}

/** A prompt version in Langfuse prompt management; generations made with it are linked to it. */
export interface PromptLink {
  name: string;
  version: number;
}

export interface SystemPrompt {
  text: string;
  /** null for the built-in prompt (no version to link to). */
  link: PromptLink | null;
}

/**
 * Where the agent's system prompt comes from, per reply language: built in (src/agent/prompts.ts) or
 * Langfuse prompt management (./prompts.ts). Generic over the language so this module needs no text
 * analysis; the agent fixes it to its own languages.
 */
export interface SystemPromptSource<Language extends string> {
  /** The prompt for one request. Never waits on the network: a prompt not fetched yet is the built-in one. */
  forLanguage(language: Language): SystemPrompt;
  /** "builtin" or "name v3", for run names and logs. */
  describe(): string;
  /**
   * Resolves once a remote source's first fetch has finished (or after `timeoutMs`): for a caller that
   * wants one prompt version throughout (the eval). A chat never waits here.
   */
  ready?(timeoutMs: number): Promise<void>;
}


export interface GenerationOutcome {
  output: unknown;
  responseModel?: string | undefined;
  usage?: TokenUsage | null | undefined;
  costUsd?: number | null | undefined;
  completionStartTime?: Date | null | undefined;
}

export interface GenerationRecorder {
  /** Records a failed attempt inside this generation (an ERROR event), before the call's outcome. */
  failedAttempt(attempt: FailedAttempt): void;
  end(outcome: GenerationOutcome): void;
}

export interface ToolOutcome {
  /** A bounded summary (ids, names, count), not the whole tool payload. */
  output: unknown;
  /** The tool rejected its input or failed: recorded as level ERROR. */
  error?: string | undefined;
}

export interface ToolRecorder {
  end(outcome: ToolOutcome): void;
}

export interface RequestTrace {
  /** 32-hex trace id, or null when this request is not traced (tracing off or not sampled). */
  readonly traceId: string | null;
  /** Runs one LLM call as a generation; a thrown error marks it ERROR and is rethrown. */
  generation<T>(start: GenerationStart, run: (recorder: GenerationRecorder) => Promise<T>): Promise<T>;
  /** Runs one tool call as a tool observation; a thrown error marks it ERROR and is rethrown. */
  tool<T>(name: string, args: unknown, run: (recorder: ToolRecorder) => Promise<T>): Promise<T>;
  /** A numeric score 0..1 on this trace (automatic evaluations). */
  score(name: string, value: number, comment?: string): void;
  /** Final trace attributes (output, metadata to filter on). Call once before the run returns. */
  finish(outcome: ChatTraceOutcome): void;
}

/** The caller's side of a trace another process continues. */
export interface OutboundTrace {
  traceId: string | null;
  /** W3C traceparent to send along; null when not traced. */
  traceparent: string | null;
  /**
   * The request's outcome as the other process reported it. This span is the trace's parentless row,
   * the only one Langfuse v4 reads trace output and metadata from, so it must carry them.
   */
  finish(outcome: ChatTraceOutcome): void;
}

export interface ScoreInput {
  /** Our own id, sent as the Langfuse score id so a re-send is an upsert. */
  id: string;
  traceId: string;
  name: string;
  value: number;
  comment?: string | undefined;
  dataType?: 'NUMERIC' | 'BOOLEAN' | 'CATEGORICAL';
}

/** What happened to spans, traces or scores (see src/observability/spool/README.md). */
export interface FlowCounts {
  received: number;
  recovered: number;
  spooled: number;
  delivered: number;
  pending: number;
  dropped: number;
  droppedBy: Record<string, number>;
  deadLettered: number;
}

/** `/readyz` → `checks.tracing`: received + recovered = delivered + pending + dropped + deadLettered. */
export interface EnabledTracingStats {
  enabled: true;
  spans: FlowCounts;
  traces: FlowCounts;
  scores: FlowCounts;
  pendingBytes: number;
  deadLetterBytes: number;
  lastExportError: string | null;
  lastSuccessAt: string | null;
}

/** With tracing off nothing is ever spooled (`pendingBytes` stays, for callers that only ask that). */
export type TracingStats = EnabledTracingStats | { enabled: false; pendingBytes: 0 };

export interface Observability {
  readonly enabled: boolean;
  /**
   * Opens a root span for work another process continues (the Telegram bot calling the backend) and
   * hands `run` the W3C traceparent to send along; null when not traced.
   */
  traceOutbound<T>(start: Omit<ChatTraceStart, 'upstream'>, run: (outbound: OutboundTrace) => Promise<T>): Promise<T>;
  /** Runs one user request as one trace (root observation of type agent). */
  traceChat<T>(start: ChatTraceStart, run: (trace: RequestTrace) => Promise<T>): Promise<T>;
  /** Durably queues a score for Langfuse; resolves once it is safely stored, not when Langfuse has it. */
  submitScore(score: ScoreInput): Promise<void>;
  /** Link to the trace in the Langfuse UI when the base URL and project id are known. */
  traceUrl(traceId: string): string | null;
  stats(): TracingStats;
  /** Prometheus text for `/metrics`. */
  metrics(): Promise<string>;
  /** Flushes what it can within the configured bound, then stops; never hangs on a dead Langfuse. */
  shutdown(): Promise<void>;
}
