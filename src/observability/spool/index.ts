import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { ScoreInput, TracingStats } from '../types.js';
import type { BackoffPolicy } from './backoff.js';
import { DropReporter } from './drop-reporter.js';
import { spansToRecord } from './otlp.js';
import { encodeRecord } from './record.js';
import { scoreToRecord } from './scores.js';
import { Shipper } from './shipper.js';
import { Spool } from './spool.js';
import type { SpoolLogger } from './spool.js';
import { SpoolTelemetry } from './telemetry.js';

export type { SpoolLogger } from './spool.js';

/**
 * The durable export path to Langfuse: spans and scores are appended to a write-ahead spool on disk and
 * acknowledged at once; a background shipper delivers them and deletes them only when Langfuse answers
 * 2xx. See ./README.md for the design and its guarantees.
 *
 * Durability: an acknowledged batch has been written to the spool file (write(2) completed), so it
 * survives the process being killed (SIGKILL, OOM kill, crash). With `fsync` it is also flushed to the
 * device before the acknowledgement and survives a power loss; without it (the default) a power loss
 * can lose what the kernel had not yet written back (typically the last few seconds) — a half-written
 * record is then detected by its checksum and set aside, never sent.
 */
export interface DurableExportOptions {
  /** Spool directory (created if missing), e.g. `${DATA_DIR}/trace-spool`. */
  dir: string;
  baseUrl: string;
  publicKey: string;
  secretKey: string;
  /** Cap on everything under `dir` (TRACE_SPOOL_MAX_MB); when reached the oldest data is dropped. */
  maxBytes: number;
  /** The span processor's flush interval: scores are grouped for this long before they are sent. */
  flushIntervalMs: number;
  logger: SpoolLogger;
  /** Langfuse environment for scores (spans carry theirs as an attribute). */
  environment?: string | undefined;
  /** Per-request deadline: connect, send and read the answer (default 10 s). */
  requestTimeoutMs?: number | undefined;
  /** Retry delays after a failure (default 1 s doubling up to 30 s, with jitter). */
  backoff?: Partial<BackoffPolicy> | undefined;
  /** Delay between attempts while Langfuse rejects the keys (default 60 s). */
  authRetryMs?: number | undefined;
  /** Longest `Retry-After` honoured (default 5 min). */
  retryAfterMaxMs?: number | undefined;
  /** Largest request body the shipper builds (default 2 MiB, at most maxBytes / 8). */
  segmentMaxBytes?: number | undefined;
  /** A 413 for a smaller body is blamed on a proxy: kept and retried, not split (default 256 KiB). */
  oversizeFloorBytes?: number | undefined;
  /** fsync every spool write (power-loss safe, slower); default false (crash safe). */
  fsync?: boolean | undefined;
  /** Outage reminders and drop summaries are logged at most this often (default 60 s). */
  logIntervalMs?: number | undefined;
  /** Batches accepted but not yet written may hold at most this much memory (default 32 MiB). */
  maxMemoryBytes?: number | undefined;
  additionalHeaders?: Record<string, string> | undefined;
  /** Reported to Langfuse as `x-langfuse-sdk-version` (default: the installed @langfuse/otel version). */
  sdkVersion?: string | undefined;
  /** Wall clock for timestamps (retry scheduling always uses the monotonic clock). */
  now?: (() => number) | undefined;
  random?: (() => number) | undefined;
}

export interface DurableExport {
  /** Hand to `new LangfuseSpanProcessor({ exporter })`. */
  readonly exporter: SpanExporter;
  /** Resolves once the score is in the spool (not when Langfuse has it); rejects on invalid input or a full queue. */
  submitScore(score: ScoreInput): Promise<void>;
  stats(): TracingStats;
  /** Prometheus text of this export path's metrics. */
  metrics(): Promise<string>;
  /** The prom-client registry behind `metrics()`, to merge into an application registry. */
  readonly registry: Registry;
  /** Resolves once the spool is opened and whatever a previous run left is queued for delivery. */
  readonly ready: Promise<void>;
  /**
   * Stops accepting, writes what is in memory, tries to deliver what is spooled until `timeoutMs`
   * has passed, then stops. Whatever is not delivered stays in the spool for the next start.
   * Call after the span processor's own shutdown/forceFlush so its last batch is in the spool.
   */
  shutdown(timeoutMs: number): Promise<void>;
}

const MIB = 1024 * 1024;
/** Spans serialised in one synchronous stretch (~100–300 KB of JSON for LLM traces). */
const SERIALISE_CHUNK_SPANS = 64;

/** Our spans come from the Langfuse JS SDK: tell Langfuse so, as its own exporter does. */
function installedLangfuseSdkVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@langfuse/otel');
    const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as unknown;
    return z.object({ version: z.string() }).parse(manifest).version;
  } catch {
    return '5.0.0';
  }
}

interface PendingScore {
  framed: Buffer;
  resolve: () => void;
  reject: (error: Error) => void;
}

export function createDurableExport(options: DurableExportOptions): DurableExport {
  const now = options.now ?? Date.now;
  const logger = options.logger;
  const logIntervalMs = options.logIntervalMs ?? 60_000;
  const maxMemoryBytes = options.maxMemoryBytes ?? 32 * MIB;
  const segmentMaxBytes = Math.max(
    4 * 1024,
    Math.min(options.segmentMaxBytes ?? 2 * MIB, Math.floor(options.maxBytes / 8)),
  );

  const drops = new DropReporter(logger, logIntervalMs, () => ({ spoolMaxBytes: options.maxBytes, dir: options.dir }));
  // The view is read lazily (at stats/metrics time), after the spool below exists.
  const counters = new SpoolTelemetry({
    pendingItems: (stream) => spool.logs[stream].pendingItems,
    pendingBytes: () => spool.pendingBytes,
    deadLetterBytes: () => spool.deadLetters.bytes,
  });
  const spool = new Spool({
    dir: options.dir,
    maxBytes: options.maxBytes,
    segmentMaxBytes,
    fsync: options.fsync ?? false,
    now,
    logger,
    onDrop: (stream, items) => {
      counters.countDropped(stream, items);
      drops.note(stream, items, 'spool full: oldest data removed');
    },
  });

  const shipper = new Shipper(spool, counters, {
    baseUrl: options.baseUrl,
    headers: {
      authorization: `Basic ${Buffer.from(`${options.publicKey}:${options.secretKey}`).toString('base64')}`,
      'content-type': 'application/json',
      'x-langfuse-sdk-name': 'javascript',
      'x-langfuse-sdk-version': options.sdkVersion ?? installedLangfuseSdkVersion(),
      'x-langfuse-public-key': options.publicKey,
      ...options.additionalHeaders,
    },
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    backoff: { initialMs: options.backoff?.initialMs ?? 1_000, maxMs: options.backoff?.maxMs ?? 30_000 },
    authRetryMs: options.authRetryMs ?? 60_000,
    retryAfterMaxMs: options.retryAfterMaxMs ?? 300_000,
    scoreBatchDelayMs: options.flushIntervalMs,
    failureLogIntervalMs: logIntervalMs,
    oversizeFloorBytes: options.oversizeFloorBytes ?? 256 * 1024,
    now,
    random: options.random ?? Math.random,
    logger,
  });

  const ready = spool.open().then(
    () => shipper.start(),
    (error: unknown) => {
      logger.error(
        { dir: options.dir, error: error instanceof Error ? error.message : String(error) },
        'trace spool could not be opened: spans and scores will be dropped (counted in the tracing stats)',
      );
    },
  );

  let closing = false;
  let memoryBytes = 0;
  let shutdownPromise: Promise<void> | null = null;

  const drop = (stream: 'traces' | 'scores', items: number, reason: string): void => {
    counters.countDropped(stream, items);
    drops.note(stream, items, reason);
  };

  /** Appends to the spool off the request path; `done(true)` once written, `done(false)` if dropped. */
  const store = (stream: 'traces' | 'scores', framed: Buffer, items: number, done: (stored: boolean, error?: Error) => void): void => {
    memoryBytes += framed.length;
    spool.append(stream, framed, items).then(
      (stored) => {
        memoryBytes -= framed.length;
        if (stored) {
          counters.countSpooled(stream, items);
          shipper.notify();
          done(true);
        } else {
          drop(stream, items, 'spool full: batch larger than the room left');
          done(false, new Error('trace spool is full'));
        }
      },
      (error: unknown) => {
        memoryBytes -= framed.length;
        const message = error instanceof Error ? error.message : String(error);
        drop(stream, items, `spool write failed: ${message}`);
        done(false, new Error(`trace spool write failed: ${message}`));
      },
    );
  };

  /**
   * Serialises and spools a batch in chunks, yielding to the event loop between them: a 512-span batch
   * of LLM traces is megabytes of JSON, and one long synchronous stretch would delay the chats being
   * served meanwhile. Chunks are appended in order; the batch succeeds only if every chunk was stored.
   */
  const exportsInProgress = new Set<Promise<ExportResult>>();
  /** Resolves once every batch accepted so far is on disk. */
  const spooled = async (): Promise<void> => {
    await Promise.all([...exportsInProgress]);
    await spool.idle();
  };

  const spoolSpans = async (spans: readonly ReadableSpan[]): Promise<ExportResult> => {
    const stored: Promise<boolean>[] = [];
    let failure: Error | undefined;
    for (let start = 0; start < spans.length; start += SERIALISE_CHUNK_SPANS) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      const chunk = spans.slice(start, start + SERIALISE_CHUNK_SPANS);
      const fail = (reason: string): void => {
        drop('traces', chunk.length, reason);
        failure ??= new Error(reason);
      };
      let framed: Buffer;
      try {
        framed = encodeRecord(spansToRecord(chunk));
      } catch (error) {
        fail(`spans could not be serialised: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      if (memoryBytes + framed.length > maxMemoryBytes) {
        fail('spool write queue is full (disk too slow)');
        continue;
      }
      stored.push(
        new Promise((resolve) =>
          store('traces', framed, chunk.length, (ok, error) => {
            if (!ok) failure ??= error;
            resolve(ok);
          }),
        ),
      );
    }
    const results = await Promise.all(stored);
    return failure === undefined && results.every(Boolean)
      ? { code: ExportResultCode.SUCCESS }
      : { code: ExportResultCode.FAILED, error: failure ?? new Error('trace spool write failed') };
  };

  const exporter: SpanExporter = {
    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
      if (closing) {
        drop('traces', spans.length, 'trace spool is shut down');
        resultCallback({ code: ExportResultCode.FAILED, error: new Error('trace spool is shut down') });
        return;
      }
      const spooling = spoolSpans(spans);
      exportsInProgress.add(spooling);
      void spooling.then((result) => {
        exportsInProgress.delete(spooling);
        resultCallback(result);
      });
    },
    // The processor's flush ends when its batches are in the spool; delivery is the shipper's business.
    forceFlush: () => spooled(),
    shutdown: () => spooled(),
  };

  let pendingScores: PendingScore[] = [];
  let scoreFlush: Promise<void> | null = null;

  /** Group commit: scores submitted while a write is under way go to disk together in the next one. */
  const writeScores = async (): Promise<void> => {
    while (pendingScores.length > 0) {
      const batch = pendingScores;
      pendingScores = [];
      const framed = Buffer.concat(batch.map((score) => score.framed));
      memoryBytes -= framed.length;
      await new Promise<void>((resolve) => {
        store('scores', framed, batch.length, (stored, error) => {
          for (const score of batch) {
            if (stored) score.resolve();
            else score.reject(error ?? new Error('trace spool write failed'));
          }
          resolve();
        });
      });
    }
  };

  const scheduleScoreWrite = (): void => {
    if (scoreFlush) return;
    scoreFlush = new Promise<void>((resolve) => setImmediate(resolve))
      .then(writeScores)
      .finally(() => {
        scoreFlush = null;
        if (pendingScores.length > 0) scheduleScoreWrite();
      });
  };

  const submitScore = (score: ScoreInput): Promise<void> => {
    if (closing) {
      drop('scores', 1, 'trace spool is shut down');
      return Promise.reject(new Error('trace spool is shut down'));
    }
    let framed: Buffer;
    try {
      framed = encodeRecord(scoreToRecord(score, options.environment, new Date(now())));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (memoryBytes + framed.length > maxMemoryBytes) {
      drop('scores', 1, 'spool write queue is full (disk too slow)');
      return Promise.reject(new Error('trace spool write queue is full'));
    }
    memoryBytes += framed.length;
    return new Promise<void>((resolve, reject) => {
      pendingScores.push({ framed, resolve, reject });
      scheduleScoreWrite();
    });
  };

  const stats = (): TracingStats => ({
    enabled: true,
    spansExported: counters.exported.traces,
    spansSpooled: spool.logs.traces.pendingItems,
    pendingBytes: spool.pendingBytes,
    dropped: counters.dropped.traces + counters.dropped.scores,
    deadLettered: counters.deadLettered.traces + counters.deadLettered.scores,
    lastExportError: counters.lastExportError,
    lastSuccessAt: counters.lastSuccessAt === null ? null : new Date(counters.lastSuccessAt).toISOString(),
  });

  const monotonic = (): number => performance.now();
  /** Resolves when `work` settles or `deadline` (monotonic ms) passes, whichever is first; never rejects. */
  const until = async (work: Promise<unknown>, deadline: number): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - monotonic()));
    });
    try {
      await Promise.race([work.then(() => undefined, () => undefined), expired]);
    } finally {
      clearTimeout(timer);
    }
  };

  const shutdown = (timeoutMs: number): Promise<void> => {
    shutdownPromise ??= (async () => {
      closing = true;
      const started = monotonic();
      const deadline = started + Math.max(0, timeoutMs);
      // What is in memory was acknowledged or promised: write it even when the deadline is zero
      // (a local write takes milliseconds; the bound only matters if the disk itself hangs).
      await until(
        (async () => {
          await ready;
          while (scoreFlush) await scoreFlush;
          await spooled();
        })(),
        Math.max(deadline, started + 500),
      );
      await until(shipper.stop(deadline), deadline + 100);
      // Seal open segments and release the directory.
      await until(spool.close(), Math.max(monotonic(), deadline) + 500);
      drops.stop();
    })();
    return shutdownPromise;
  };

  return {
    exporter,
    submitScore,
    stats,
    metrics: () => counters.registry.metrics(),
    registry: counters.registry,
    ready,
    shutdown,
  };
}
