import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace as otelTrace,
} from '@opentelemetry/api';
import type { Attributes, Context, Link, Span, Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  LangfuseAgent,
  LangfuseEvent,
  LangfuseGeneration,
  LangfuseOtelSpanAttributes,
  LangfuseSpan,
  LangfuseTool,
} from '@langfuse/tracing';
import type { Logger } from 'pino';
import { toModelParameters, toUsageDetails } from './attributes.js';
import { redactText } from '../masking.js';
import type { Channel } from '../shared/index.js';
import { noopOutbound, noopTrace } from './noop.js';
import { automaticScoreId } from './score-id.js';
import { generationInput, generationName, SPAN, TRACE_METADATA, TRACE_NAME, traceMetadata, traceTags } from './trace-layout.js';
import type {
  ChatTraceOutcome,
  ChatTraceStart,
  GenerationRecorder,
  GenerationStart,
  Observability,
  RequestTrace,
  ScoreInput,
  ToolRecorder,
} from './types.js';

type Observation = LangfuseAgent | LangfuseGeneration | LangfuseTool | LangfuseSpan;

const metadataAttribute = (key: string): string => `${LangfuseOtelSpanAttributes.TRACE_METADATA}.${key}`;

/**
 * Trace output, final tags and metadata on a span that ends last in its trace. Metadata values are
 * redacted here because the SDK's `mask` only sees the unflattened metadata attribute.
 */
function finishTraceAttributes(span: Span, channel: Channel, outcome: ChatTraceOutcome): void {
  const attributes: Attributes = {
    [LangfuseOtelSpanAttributes.TRACE_OUTPUT]: outcome.output,
    [LangfuseOtelSpanAttributes.TRACE_TAGS]: traceTags(channel, outcome.engine),
  };
  for (const [key, value] of Object.entries(traceMetadata(outcome))) attributes[metadataAttribute(key)] = redactText(value);
  span.setAttributes(attributes);
}

export interface RequestTracingDeps {
  /** A tracer of our isolated provider, with the scope Langfuse's export filter and server expect. */
  tracer: Tracer;
  /** Queues a score durably; rejections are logged, never thrown into the request. */
  submitScore(score: ScoreInput): Promise<void>;
  logger: Logger;
  /** How a user id is sent (masking: an e-mail becomes a hash); default as it is. */
  traceUserId?: (userId: string) => string;
  /**
   * The context a request's trace starts in: the root context (a request is its own trace) unless the
   * caller runs requests inside an active span of its own (the eval's experiment items).
   */
  parentContext?: () => Context;
}

export type RequestTracing = Pick<Observability, 'traceChat' | 'traceOutbound'> & {
  /** Scores handed out by `trace.score()` that are not stored yet. */
  pendingScores(): Promise<unknown>;
};

const STATUS_MESSAGE_LIMIT = 1_000;
/** The SDK's propagateAttributes drops a propagated value (session, user, name) longer than this; so do we. */
const PROPAGATED_VALUE_LIMIT = 200;
const propagatable = (value: string): string | null => (value.length > 0 && value.length <= PROPAGATED_VALUE_LIMIT ? value : null);
const propagator = new W3CTraceContextPropagator();

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return redactText(message).slice(0, STATUS_MESSAGE_LIMIT);
}

/** Level ERROR for Langfuse and an ERROR status for OTel: the server reads either. */
function markError(observation: Observation, message: string): void {
  const statusMessage = redactText(message).slice(0, STATUS_MESSAGE_LIMIT);
  observation.updateOtelSpanAttributes({ level: 'ERROR', statusMessage });
  observation.otelSpan.setStatus({ code: SpanStatusCode.ERROR, message: statusMessage });
}

/**
 * Runs `run`, marks a thrown error on the observation, always ends the span. The span is not made the
 * active context: every span of a request is parented explicitly, so nothing reads the active context
 * after the request starts, and the process needs no AsyncLocalStorage (whose promise hooks on Node 20
 * cost every promise of the process, traced or not; ~0.1–0.4 ms of CPU per chat, docs/BENCHMARKS.md).
 */
async function runObserved<T>(observation: Observation, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    markError(observation, errorMessage(error));
    throw error;
  } finally {
    observation.end();
  }
}

export function createRequestTracing(deps: RequestTracingDeps): RequestTracing {
  const { tracer, logger } = deps;
  const pending = new Set<Promise<void>>();

  const queueScore = (score: ScoreInput): void => {
    const stored = deps
      .submitScore(score)
      .catch((error: unknown) => logger.warn({ err: error, score: score.name, traceId: score.traceId }, 'could not queue score'))
      .finally(() => pending.delete(stored));
    pending.add(stored);
  };

  const requestTrace = (root: LangfuseAgent, rootSpan: Span, rootContext: Context, start: ChatTraceStart, shared: Attributes): RequestTrace => {
    const traceId = rootSpan.spanContext().traceId;
    // Children are parented explicitly on the root so parallel tools never nest under each other.
    const child = (name: string, attributes: Attributes): Span => tracer.startSpan(name, { attributes: { ...shared, ...attributes } }, rootContext);
    /** Whether an LLM generation of this trace has recorded the tool schemas (once per trace). */
    let schemasRecorded = false;

    return {
      traceId,

      generation<T>(genStart: GenerationStart, run: (recorder: GenerationRecorder) => Promise<T>): Promise<T> {
        const span = child(generationName(genStart.engine), { 'gen_ai.request.model': genStart.model });
        const schemas = !schemasRecorded;
        if (genStart.engine !== 'offline' && genStart.request.toolChoice !== 'none' && genStart.request.tools.length > 0) schemasRecorded = true;
        const generation = new LangfuseGeneration({
          otelSpan: span,
          attributes: {
            model: genStart.model,
            modelParameters: toModelParameters(genStart.modelParameters),
            input: generationInput(genStart.engine, genStart.request, { schemas }),
            // langfuse.observation.prompt.name/.version: links the generation to its prompt version.
            ...(genStart.prompt ? { prompt: { ...genStart.prompt, isFallback: false } } : {}),
          },
        });
        const recorder: GenerationRecorder = {
          failedAttempt(attempt) {
            const statusMessage = redactText(attempt.message).slice(0, STATUS_MESSAGE_LIMIT);
            const event = tracer.startSpan(SPAN.llmAttemptFailed, { startTime: attempt.startTime, attributes: shared }, otelTrace.setSpan(rootContext, span));
            event.setStatus({ code: SpanStatusCode.ERROR, message: statusMessage });
            new LangfuseEvent({
              otelSpan: event,
              attributes: { input: { attempt: attempt.attempt, status: attempt.status }, level: 'ERROR', statusMessage },
              timestamp: attempt.endTime,
            });
          },
          end(outcome) {
            const model = outcome.responseModel ?? genStart.model;
            if (outcome.responseModel) span.setAttribute('gen_ai.response.model', outcome.responseModel);
            generation.update({
              output: outcome.output,
              model,
              ...(outcome.usage ? { usageDetails: toUsageDetails(outcome.usage) } : {}),
              ...(typeof outcome.costUsd === 'number' ? { costDetails: { total: outcome.costUsd } } : {}),
              ...(outcome.completionStartTime ? { completionStartTime: outcome.completionStartTime } : {}),
            });
          },
        };
        return runObserved(generation, () => run(recorder));
      },

      tool<T>(name: string, args: unknown, run: (recorder: ToolRecorder) => Promise<T>): Promise<T> {
        const span = child(name, { 'gen_ai.tool.name': name });
        const tool = new LangfuseTool({ otelSpan: span, attributes: { input: args } });
        const recorder: ToolRecorder = {
          end(outcome) {
            tool.update({ output: outcome.output });
            if (outcome.error !== undefined) markError(tool, outcome.error);
          },
        };
        return runObserved(tool, () => run(recorder));
      },

      score(name, value, comment) {
        queueScore({ id: automaticScoreId(traceId, name), traceId, name, value, comment, dataType: 'NUMERIC' });
      },

      finish(outcome) {
        root.update({ output: outcome.output });
        finishTraceAttributes(rootSpan, start.channel, outcome);
      },
    };
  };

  /**
   * Trace name, session and user, set on every span of the request as it starts (root included): all
   * are final when the request starts. This is what the SDK's propagateAttributes would do through the
   * active context, without needing one. Tags are not among them: the engine is known only at the end,
   * so only the spans that end last carry them (see trace-layout.ts).
   */
  const sharedAttributes = (start: Omit<ChatTraceStart, 'upstream'>): Attributes => {
    const attributes: Attributes = { [LangfuseOtelSpanAttributes.TRACE_NAME]: TRACE_NAME };
    const sessionId = propagatable(start.sessionId);
    if (sessionId) attributes[LangfuseOtelSpanAttributes.TRACE_SESSION_ID] = sessionId;
    const userId = start.userId ? propagatable(deps.traceUserId ? deps.traceUserId(start.userId) : start.userId) : null;
    if (userId) attributes[LangfuseOtelSpanAttributes.TRACE_USER_ID] = userId;
    return attributes;
  };
  const parentContext = deps.parentContext ?? ((): Context => ROOT_CONTEXT);

  /** Input and the tags known so far on a span that is its trace's root (or may be, for the bot). */
  const startTraceAttributes = (span: Span, start: Omit<ChatTraceStart, 'upstream'>): void => {
    span.setAttributes({
      [LangfuseOtelSpanAttributes.TRACE_INPUT]: start.input,
      [LangfuseOtelSpanAttributes.TRACE_TAGS]: traceTags(start.channel),
    });
  };

  return {
    traceChat(start, run) {
      const upstream = start.upstream
        ? propagator.extract(ROOT_CONTEXT, { traceparent: start.upstream.traceparent }, defaultTextMapGetter)
        : null;
      const upstreamSpan = upstream ? otelTrace.getSpanContext(upstream) : undefined;
      const continues = start.upstream?.trusted === true && upstreamSpan !== undefined;
      // An untrusted caller's context is only a link: its trace id names a trace we do not own, and its
      // sampled flag must not switch our tracing on or off.
      const links: Link[] = upstreamSpan && !continues ? [{ context: upstreamSpan }] : [];
      const parent = continues && upstream ? upstream : parentContext();
      const shared = sharedAttributes(start);
      const span = tracer.startSpan(SPAN.agent, { kind: SpanKind.SERVER, links, attributes: shared }, parent);
      if (!span.isRecording()) {
        span.end();
        return run(noopTrace);
      }
      const agent = new LangfuseAgent({ otelSpan: span, attributes: { input: start.input } });
      startTraceAttributes(span, start);
      if (upstreamSpan && !continues) span.setAttribute(metadataAttribute(TRACE_METADATA.upstreamTraceId), upstreamSpan.traceId);
      const active = otelTrace.setSpan(parent, span);
      return runObserved(agent, () => run(requestTrace(agent, span, active, start, shared)));
    },

    traceOutbound(start, run) {
      const parent = parentContext();
      const span = tracer.startSpan(SPAN.telegramUpdate, { kind: SpanKind.CLIENT, attributes: sharedAttributes(start) }, parent);
      if (!span.isRecording()) {
        span.end();
        return run(noopOutbound);
      }
      const outbound = new LangfuseSpan({ otelSpan: span, attributes: { input: start.input } });
      startTraceAttributes(span, start);
      const carrier: Record<string, string> = {};
      propagator.inject(otelTrace.setSpan(parent, span), carrier, defaultTextMapSetter);
      return runObserved(outbound, () =>
        run({
          traceId: span.spanContext().traceId,
          traceparent: carrier.traceparent ?? null,
          finish(outcome) {
            outbound.update({ output: outcome.output });
            finishTraceAttributes(span, start.channel, outcome);
          },
        }),
      );
    },

    pendingScores: () => Promise.allSettled([...pending]),
  };
}
