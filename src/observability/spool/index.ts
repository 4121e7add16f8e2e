import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ExportResultCode } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { z } from 'zod';
import type { EnabledTracingStats, ScoreInput } from '../types.js';
import { Counters } from './counters.js';
import type { Kind } from './counters.js';
import { settleWithin } from './deadline.js';
import { Intake } from './intake.js';
import type { Batch } from './intake.js';
import { encodeRecord } from './record.js';
import { scoreToRecord } from './scores.js';
import { Shipper } from './shipper.js';
import { Spool } from './spool.js';
import type { SpoolLogger } from './spool.js';

export type { SpoolLogger } from './spool.js';
export { settleWithin } from './deadline.js';

/**
 * The durable export path to Langfuse. Spans come in one by one from LangfuseSpanProcessor (export mode
 * "immediate": its masking, environment and release, no queue of its own), wait in memory until their
 * trace is complete, and are appended to the spool every flush interval together with the trace's
 * scores; a background shipper delivers them and deletes them only when Langfuse answers 2xx.
 * See ./README.md for the design, the guarantees and the counters.
 */
export interface SpoolExportOptions {
  /** Spool directory (created if missing), e.g. `${DATA_DIR}/trace-spool`. */
  dir: string;
  baseUrl: string;
  publicKey: string;
  secretKey: string;
  environment: string;
  /** Cap on everything under `dir` (TRACE_SPOOL_MAX_MB); when reached, new batches are dropped. */
  maxBytes: number;
  /** How long finished spans and scores wait in memory before they are written (LANGFUSE_FLUSH_INTERVAL_MS). */
  flushIntervalMs: number;
  /** Deadline of one request to Langfuse (LANGFUSE_EXPORT_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /** Longest wait between attempts (LANGFUSE_EXPORT_RETRY_MAX_MS). */
  retryMaxMs: number;
  logger: SpoolLogger;
}

export interface SpoolExport {
  /** Hand to `new LangfuseSpanProcessor({ exporter, exportMode: 'immediate' })`. */
  readonly exporter: SpanExporter;
  /**
   * Resolves once the score is in the spool, or once it is known it must never be sent (its trace was
   * dropped); rejects when it is invalid or cannot be written now.
   */
  submitScore(score: ScoreInput): Promise<void>;
  stats(): EnabledTracingStats;
  /** Prometheus text. */
  metrics(): string;
  /** Writes what is in memory, sends what it can until `timeoutMs`, then stops; the rest stays spooled. */
  shutdown(timeoutMs: number): Promise<void>;
}

const MIB = 1024 * 1024;
/** A burst this large is written before the interval is over, to keep memory small. */
const EARLY_FLUSH_SPANS = 2_048;
const LOG_INTERVAL_MS = 60_000;

/** Our spans come from the Langfuse JS SDK: tell Langfuse so, as its own exporter does. */
function langfuseSdkVersion(): string {
  try {
    const entry = createRequire(import.meta.url).resolve('@langfuse/otel');
    return z.object({ version: z.string() }).parse(JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'))).version;
  } catch {
    return '5.0.0';
  }
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function createSpoolExport(options: SpoolExportOptions): SpoolExport {
  const { logger } = options;
  const counters = new Counters(logger, LOG_INTERVAL_MS);
  const intake = new Intake(counters);
  const problem = (text: string): void => {
    counters.lastExportError = `${new Date().toISOString()} ${text}`;
    logger.warn({ dir: options.dir }, `trace spool: ${text}`);
  };
  const spool = new Spool({
    dir: options.dir,
    maxBytes: options.maxBytes,
    segmentMaxBytes: Math.max(64 * 1024, Math.min(2 * MIB, Math.floor(options.maxBytes / 8))),
    logger,
    events: {
      recovered: (stream, items, traces) => counters.countStream(stream, 'recovered', items, traces),
      lost: (stream, items, traces, reason) => counters.dropStream(stream, items, traces, 'spool_deleted', reason),
      problem,
    },
  });
  const shipper = new Shipper(spool, counters, {
    baseUrl: options.baseUrl,
    headers: {
      authorization: `Basic ${Buffer.from(`${options.publicKey}:${options.secretKey}`).toString('base64')}`,
      'content-type': 'application/json',
      'x-langfuse-sdk-name': 'javascript',
      'x-langfuse-sdk-version': langfuseSdkVersion(),
      'x-langfuse-public-key': options.publicKey,
    },
    requestTimeoutMs: options.requestTimeoutMs,
    retryMaxMs: options.retryMaxMs,
    logger,
  });

  /** Opens the spool, and keeps trying at each write while it cannot (a read-only or missing DATA_DIR). */
  let opened = false;
  let opening: Promise<void> | null = null;
  let openFailed = false;
  const ensureOpen = (): Promise<void> => {
    if (opened) return Promise.resolve();
    opening ??= spool
      .open()
      .then(() => {
        opened = true;
        if (openFailed) logger.info({ dir: options.dir }, 'trace spool: opened after all');
        shipper.start();
      })
      .catch((error: unknown) => {
        if (!openFailed) problem(`cannot be opened (${message(error)}): spans and scores are dropped and counted until it can`);
        openFailed = true;
        throw error;
      })
      .finally(() => {
        opening = null;
      });
    return opening;
  };

  const dropSpans = (batch: Batch, reason: 'spool_full' | 'spool_unwritable', detail: string): void => {
    counters.dropStream('traces', batch.spans, batch.traces, reason, detail);
    for (const traceId of batch.traceIds) intake.dropTrace(traceId, reason);
  };

  /** Spans first, then the scores: a score is written only if its trace was. */
  const write = async (batch: Batch): Promise<void> => {
    if (batch.spans > 0) {
      try {
        await ensureOpen();
        const stored = await spool.append('traces', Buffer.concat(batch.framed), batch.spans, batch.traces);
        if (stored) counters.countStream('traces', 'spooled', batch.spans, batch.traces);
        else dropSpans(batch, 'spool_full', `the spool is full (TRACE_SPOOL_MAX_MB=${Math.round(options.maxBytes / MIB)})`);
      } catch (error) {
        dropSpans(batch, 'spool_unwritable', `spool write failed: ${message(error)}`);
        counters.lastExportError = `${new Date().toISOString()} spool write failed: ${message(error)}`;
      }
      intake.release('spans', batch);
    }
    const orphans = batch.scores.filter((score) => intake.isDropped(score.traceId));
    const scores = batch.scores.filter((score) => !intake.isDropped(score.traceId));
    counters.drop('scores', orphans.length, 'trace_dropped', 'score of a dropped trace');
    for (const score of orphans) score.settle();
    if (scores.length > 0) {
      let failure: Error | undefined;
      try {
        await ensureOpen();
        const framed = Buffer.concat(scores.map((score) => encodeRecord(score.record)));
        if (await spool.append('scores', framed, scores.length, 0)) counters.count('scores', 'spooled', scores.length);
        else failure = new Error('the trace spool is full');
      } catch (error) {
        failure = new Error(`trace spool write failed: ${message(error)}`);
      }
      if (failure) counters.drop('scores', scores.length, failure.message.includes('full') ? 'spool_full' : 'spool_unwritable', failure.message);
      for (const score of scores) score.settle(failure);
    }
    intake.release('scores', batch);
    shipper.notify();
  };

  let flushing: Promise<void> | null = null;
  let again = false;
  /** Writes what is due; one write at a time, so batches land in order (a call meanwhile runs it again). */
  const flush = (everything = false): Promise<void> => {
    if (flushing) {
      again = true;
      return flushing;
    }
    flushing = (async () => {
      do {
        again = false;
        for (let batch = intake.take(everything); batch; batch = everything ? intake.take(true) : null) await write(batch);
      } while (again);
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  };
  const flushAll = async (): Promise<void> => {
    while (flushing) await flushing;
    await flush(true);
  };
  const timer = setInterval(() => void flush(), options.flushIntervalMs);
  timer.unref();
  void ensureOpen().catch(() => undefined);

  const exporter: SpanExporter = {
    export(spans, done) {
      for (const span of spans) intake.add(span);
      if (intake.readySpans >= EARLY_FLUSH_SPANS && !flushing) void flush();
      // Acknowledged at once: what happens next is counted by the export path, not reported to OTel.
      done({ code: ExportResultCode.SUCCESS });
    },
    forceFlush: flushAll,
    shutdown: flushAll,
  };

  const pending = (): Record<Kind, number> => {
    const traces = spool.pending('traces');
    return {
      spans: intake.memory.spans + traces.items,
      traces: intake.memory.traces + traces.traces,
      scores: intake.memory.scores + spool.pending('scores').items,
    };
  };

  let stopping: Promise<void> | null = null;
  return {
    exporter,
    submitScore(score) {
      let record;
      try {
        record = scoreToRecord(score, options.environment, new Date());
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      return new Promise<void>((resolve, reject) => {
        const attached = intake.waitsForTrace(score.traceId);
        intake.addScore({ traceId: score.traceId, record, settle: (error) => (error ? reject(error) : resolve()) });
        // A score on its own (a vote) is written right away; one of a running request goes with its trace.
        if (!attached) setImmediate(() => void flush());
      });
    },
    stats: () => ({
      enabled: true,
      ...counters.flows(pending()),
      pendingBytes: spool.pendingBytes,
      deadLetterBytes: spool.deadLetterBytes,
      lastExportError: counters.lastExportError,
      lastSuccessAt: counters.lastSuccessAt === null ? null : new Date(counters.lastSuccessAt).toISOString(),
    }),
    metrics: () => counters.prometheus(pending(), { pendingBytes: spool.pendingBytes, deadLetterBytes: spool.deadLetterBytes }),
    shutdown(timeoutMs) {
      stopping ??= (async () => {
        const deadline = performance.now() + Math.max(0, timeoutMs);
        clearInterval(timer);
        intake.close();
        // What is in memory was promised: written even with no time left (a local write takes milliseconds).
        await settleWithin(flushAll(), Math.max(timeoutMs, 1_000));
        if (opened) await settleWithin(shipper.stop(deadline), deadline - performance.now() + 100);
        await settleWithin(spool.close(), 1_000);
        counters.stop();
      })();
      return stopping;
    },
  };
}
