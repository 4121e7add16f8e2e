import { join } from 'node:path';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-node';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { getLangfuseTracer, getLangfuseTracerProvider, setLangfuseTracerProvider } from '@langfuse/tracing';
import { langfuseMask, maskScoreComment, maskUserId } from '../masking.js';
import { createNoopObservability } from './noop.js';
import { createRequestTracing } from './request-tracing.js';
import { createSpoolExport, settleWithin } from './spool/index.js';
import type { LangfuseConfig, Observability, ObservabilityDeps, ScoreInput } from './types.js';

const SERVICE_NAME = 'sommelier';

/**
 * For callers that run requests inside spans of their own (the eval's experiment runner): its active
 * span must reach our request's root across awaits, which takes AsyncLocalStorage. Registering it is
 * process-wide, and its promise hooks cost every promise of the process on Node 20, so the server and
 * the bot do not: their spans are all parented explicitly (request-tracing.ts).
 */
function ensureAsyncContext(): void {
  const manager = new AsyncLocalStorageContextManager().enable();
  // false: the process registered one already (an OpenTelemetry setup of the embedding program); use it.
  if (!context.setGlobalContextManager(manager)) manager.disable();
}

/**
 * Tracing to Langfuse on an isolated OpenTelemetry provider. Disabled → the no-op implementation, so
 * the request path does no span work at all.
 */
export function createObservability(config: LangfuseConfig, deps: ObservabilityDeps): Observability {
  const { publicKey, secretKey } = config;
  if (!config.enabled || !publicKey || !secretKey) return createNoopObservability();
  const logger = deps.logger.child({ component: 'observability' });
  if (deps.nestInActiveSpan) ensureAsyncContext();

  // The durable spool under DATA_DIR: spans and scores survive a Langfuse outage and a restart.
  const spool = createSpoolExport({
    dir: join(deps.dataDir, 'trace-spool'),
    baseUrl: config.baseUrl,
    publicKey,
    secretKey,
    environment: config.environment,
    maxBytes: config.spoolMaxBytes,
    flushIntervalMs: config.flushIntervalMs,
    requestTimeoutMs: config.exportTimeoutMs ?? 10_000,
    retryMaxMs: config.exportRetryMaxMs ?? 30_000,
    logger,
  });
  // Export mode "immediate": each finished span goes straight to the spool's intake, after the processor's
  // masking and environment/release attributes. The batched mode's in-memory queue (2,048 spans) would
  // drop spans silently under load before the spool ever saw them.
  const processor = new LangfuseSpanProcessor({
    publicKey,
    secretKey,
    baseUrl: config.baseUrl,
    environment: config.environment,
    release: deps.release,
    exporter: spool.exporter,
    exportMode: 'immediate',
    // We never send base64 media; scanning for it would add work and an upload call per span.
    mediaUploadEnabled: false,
    ...(config.masking ? { mask: langfuseMask } : {}),
  });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE_NAME, 'service.version': deps.release }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRate) }),
    spanProcessors: [processor],
  });
  // Langfuse's own helpers now use this provider; our tracer is taken from it once, with the SDK's
  // scope name and version, and stays bound to this provider even if another instance is created.
  setLangfuseTracerProvider(provider);
  const tracer = getLangfuseTracer();

  // Scores leave through here only: a feedback comment is masked like a span input.
  const submitScore = (score: ScoreInput): Promise<void> => spool.submitScore(config.masking ? maskScoreComment(score) : score);
  const tracing = createRequestTracing({
    tracer,
    submitScore,
    logger,
    ...(config.masking ? { traceUserId: maskUserId } : {}),
    ...(deps.nestInActiveSpan ? { parentContext: () => context.active() } : {}),
  });
  let stopping: Promise<void> | null = null;

  return {
    enabled: true,
    traceChat: tracing.traceChat,
    traceOutbound: tracing.traceOutbound,
    submitScore,
    traceUrl(traceId) {
      return config.projectId ? `${config.publicUrl}/project/${encodeURIComponent(config.projectId)}/traces/${traceId}` : null;
    },
    stats: () => spool.stats(),
    metrics: async () => spool.metrics(),
    shutdown() {
      stopping ??= (async () => {
        const deadline = performance.now() + config.shutdownFlushTimeoutMs;
        const remaining = (): number => deadline - performance.now();
        await settleWithin(tracing.pendingScores(), remaining());
        // Ends the span processor: spans still being masked reach the spool's intake, which writes them.
        await settleWithin(provider.shutdown(), remaining());
        await spool.shutdown(Math.max(remaining(), 0));
        if (getLangfuseTracerProvider() === provider) setLangfuseTracerProvider(null);
        if (remaining() <= 0) logger.warn({ timeoutMs: config.shutdownFlushTimeoutMs }, 'tracing flush cut short at shutdown');
      })().catch((error: unknown) => logger.warn({ err: error }, 'tracing shutdown failed'));
      return stopping;
    },
  };
}
