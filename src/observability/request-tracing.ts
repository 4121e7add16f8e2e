import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  SpanKind,
  SpanStatusCode,
  trace as otelTrace,
} from '@opentelemetry/api';
import type { Context, Span, Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  LangfuseAgent,
  LangfuseGeneration,
  LangfuseOtelSpanAttributes,
  LangfuseSpan,
  LangfuseTool,
  propagateAttributes,
} from '@langfuse/tracing';
import type { Logger } from 'pino';
import { channelTag, engineTag, toModelParameters, toTraceMetadata, toUsageDetails } from './attributes.js';
import { redactText } from './masking.js';
import { noopTrace } from './noop.js';
import { automaticScoreId } from './score-id.js';
import type {
  ChatTraceStart,
  GenerationRecorder,
  GenerationStart,
  Observability,
  RequestTrace,
  ScoreInput,
  ToolRecorder,
} from './types.js';

type Observation = LangfuseAgent | LangfuseGeneration | LangfuseTool | LangfuseSpan;

export interface RequestTracingDeps {
  /** A tracer of our isolated provider, with the scope Langfuse's export filter and server expect. */
  tracer: Tracer;
  /** Queues a score durably; rejections are logged, never thrown into the request. */
  submitScore(score: ScoreInput): Promise<void>;
  logger: Logger;
}

export type RequestTracing = Pick<Observability, 'traceChat' | 'traceOutbound'> & {
  /** Scores handed out by `trace.score()` that are not stored yet. */
  pendingScores(): Promise<unknown>;
};

const STATUS_MESSAGE_LIMIT = 1_000;
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

/** Runs `run` with `span` active, marks a thrown error on the observation, always ends the span. */
async function runObserved<T>(observation: Observation, spanContext: Context, run: () => Promise<T>): Promise<T> {
  try {
    return await context.with(spanContext, run);
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

  const requestTrace = (root: LangfuseAgent, rootSpan: Span, rootContext: Context, start: ChatTraceStart): RequestTrace => {
    const traceId = rootSpan.spanContext().traceId;
    // Children are parented explicitly on the root so parallel tools never nest under each other.
    const child = (name: string): { span: Span; active: Context } => {
      const span = tracer.startSpan(name, {}, rootContext);
      return { span, active: otelTrace.setSpan(rootContext, span) };
    };

    return {
      traceId,

      generation<T>(genStart: GenerationStart, run: (recorder: GenerationRecorder) => Promise<T>): Promise<T> {
        const { span, active } = child(genStart.name);
        span.setAttribute('gen_ai.request.model', genStart.model);
        const generation = new LangfuseGeneration({
          otelSpan: span,
          attributes: {
            model: genStart.model,
            modelParameters: toModelParameters(genStart.modelParameters),
            input: genStart.input,
          },
        });
        const recorder: GenerationRecorder = {
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
        return runObserved(generation, active, () => run(recorder));
      },

      tool<T>(name: string, args: unknown, run: (recorder: ToolRecorder) => Promise<T>): Promise<T> {
        const { span, active } = child(name);
        span.setAttribute('gen_ai.tool.name', name);
        const tool = new LangfuseTool({ otelSpan: span, attributes: { input: args } });
        const recorder: ToolRecorder = {
          end(outcome) {
            tool.update({ output: outcome.output });
            if (outcome.error !== undefined) markError(tool, outcome.error);
          },
        };
        return runObserved(tool, active, () => run(recorder));
      },

      score(name, value, comment) {
        queueScore({ id: automaticScoreId(traceId, name), traceId, name, value, comment, dataType: 'NUMERIC' });
      },

      finish(outcome) {
        root.update({ output: outcome.output });
        rootSpan.setAttributes({
          [LangfuseOtelSpanAttributes.TRACE_OUTPUT]: outcome.output,
          // The full tag list: the engine is only known now, and the root carries the trace's tags.
          [LangfuseOtelSpanAttributes.TRACE_TAGS]: [channelTag(start.channel), engineTag(outcome.engine)],
          ...Object.fromEntries(
            Object.entries(toTraceMetadata(outcome)).map(([key, value]) => [
              `${LangfuseOtelSpanAttributes.TRACE_METADATA}.${key}`,
              value,
            ]),
          ),
        });
      },
    };
  };

  /** Trace-level attributes for every span started inside `fn` (root included): call before the root. */
  const withTraceAttributes = <T>(start: Omit<ChatTraceStart, 'traceparent'>, fn: () => T): T =>
    propagateAttributes(
      {
        ...(start.userId ? { userId: start.userId } : {}),
        sessionId: start.sessionId,
        traceName: start.name,
        tags: [channelTag(start.channel)],
      },
      fn,
    );

  return {
    traceChat(start, run) {
      const incoming = start.traceparent
        ? propagator.extract(context.active(), { traceparent: start.traceparent }, defaultTextMapGetter)
        : context.active();
      return context.with(incoming, () =>
        withTraceAttributes(start, () => {
          const parent = context.active();
          const span = tracer.startSpan(start.name, { kind: SpanKind.SERVER }, parent);
          if (!span.isRecording()) {
            span.end();
            return run(noopTrace);
          }
          const agent = new LangfuseAgent({ otelSpan: span, attributes: { input: start.input } });
          span.setAttribute(LangfuseOtelSpanAttributes.TRACE_INPUT, start.input);
          const active = otelTrace.setSpan(parent, span);
          return runObserved(agent, active, () => run(requestTrace(agent, span, active, start)));
        }),
      );
    },

    traceOutbound(start, run) {
      return withTraceAttributes(start, () => {
        const parent = context.active();
        const span = tracer.startSpan(start.name, { kind: SpanKind.CLIENT }, parent);
        if (!span.isRecording()) {
          span.end();
          return run({ traceId: null, traceparent: null });
        }
        const outbound = new LangfuseSpan({ otelSpan: span, attributes: { input: start.input } });
        span.setAttribute(LangfuseOtelSpanAttributes.TRACE_INPUT, start.input);
        const active = otelTrace.setSpan(parent, span);
        const carrier: Record<string, string> = {};
        propagator.inject(active, carrier, defaultTextMapSetter);
        const outboundContext = { traceId: span.spanContext().traceId, traceparent: carrier.traceparent ?? null };
        return runObserved(outbound, active, () => run(outboundContext));
      });
    },

    pendingScores: () => Promise.allSettled([...pending]),
  };
}
