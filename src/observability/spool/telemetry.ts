import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StreamName } from './spool.js';

/** What the spool holds right now, read when stats or metrics are asked for. */
export interface SpoolView {
  pendingItems(stream: StreamName): number;
  pendingBytes(): number;
  deadLetterBytes(): number;
}

type PerStream = Record<StreamName, number>;
const zero = (): PerStream => ({ traces: 0, scores: 0 });
/** Metric names speak of spans and scores, the things an operator counts. */
const NOUN: Record<StreamName, string> = { traces: 'spans', scores: 'scores' };

/**
 * Counters of the export path, kept twice: plain numbers for `stats()` (cheap, synchronous) and
 * prom-client metrics in a registry of our own (the process-global one belongs to the application).
 */
export class SpoolTelemetry {
  readonly registry = new Registry();
  readonly spooled = zero();
  readonly exported = zero();
  readonly dropped = zero();
  readonly deadLettered = zero();
  lastExportError: string | null = null;
  lastSuccessAt: number | null = null;

  private readonly spooledCounter: Record<StreamName, Counter>;
  private readonly exportedCounter: Record<StreamName, Counter>;
  private readonly droppedCounter: Record<StreamName, Counter>;
  private readonly deadLetteredCounter: Record<StreamName, Counter>;
  private readonly requests: Counter<'endpoint' | 'result'>;
  private readonly duration: Histogram<'endpoint'>;

  constructor(view: SpoolView) {
    const registers = [this.registry];
    const perStream = (name: (noun: string) => string, help: (noun: string) => string): Record<StreamName, Counter> => ({
      traces: new Counter({ name: name(NOUN.traces), help: help(NOUN.traces), registers }),
      scores: new Counter({ name: name(NOUN.scores), help: help(NOUN.scores), registers }),
    });
    this.spooledCounter = perStream(
      (noun) => `sommelier_tracing_${noun}_spooled_total`,
      (noun) => `${noun} written to the durable trace spool`,
    );
    this.exportedCounter = perStream(
      (noun) => `sommelier_tracing_${noun}_exported_total`,
      (noun) => `${noun} acknowledged by Langfuse (2xx)`,
    );
    this.droppedCounter = perStream(
      (noun) => `sommelier_tracing_${noun}_dropped_total`,
      (noun) => `${noun} lost to the spool size cap (TRACE_SPOOL_MAX_MB) or a failed spool write`,
    );
    this.deadLetteredCounter = perStream(
      (noun) => `sommelier_tracing_${noun}_dead_lettered_total`,
      (noun) => `${noun} refused by Langfuse as malformed and set aside in the dead-letter folder`,
    );
    this.requests = new Counter({
      name: 'sommelier_tracing_export_requests_total',
      help: 'Requests to Langfuse by endpoint and result (HTTP status, timeout or network)',
      labelNames: ['endpoint', 'result'],
      registers,
    });
    this.duration = new Histogram({
      name: 'sommelier_tracing_export_request_duration_seconds',
      help: 'Duration of requests to Langfuse, including failed ones',
      labelNames: ['endpoint'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    for (const stream of ['traces', 'scores'] as const) {
      new Gauge({
        name: `sommelier_tracing_spool_pending_${NOUN[stream]}`,
        help: `${NOUN[stream]} in the spool waiting for Langfuse`,
        registers,
        collect() {
          this.set(view.pendingItems(stream));
        },
      });
    }
    new Gauge({
      name: 'sommelier_tracing_spool_pending_bytes',
      help: 'Bytes of spans and scores in the spool waiting for Langfuse',
      registers,
      collect() {
        this.set(view.pendingBytes());
      },
    });
    new Gauge({
      name: 'sommelier_tracing_dead_letter_bytes',
      help: 'Bytes kept in the dead-letter folder',
      registers,
      collect() {
        this.set(view.deadLetterBytes());
      },
    });
    const lastSuccessAt = (): number | null => this.lastSuccessAt;
    new Gauge({
      name: 'sommelier_tracing_last_success_timestamp_seconds',
      help: 'Unix time of the last request Langfuse acknowledged (0: none yet)',
      registers,
      collect() {
        const at = lastSuccessAt();
        this.set(at === null ? 0 : at / 1000);
      },
    });
  }

  countSpooled(stream: StreamName, items: number): void {
    this.spooled[stream] += items;
    this.spooledCounter[stream].inc(items);
  }

  countExported(stream: StreamName, items: number, at: number): void {
    this.exported[stream] += items;
    this.exportedCounter[stream].inc(items);
    this.lastSuccessAt = at;
  }

  countDropped(stream: StreamName, items: number): void {
    this.dropped[stream] += items;
    this.droppedCounter[stream].inc(items);
  }

  countDeadLettered(stream: StreamName, items: number): void {
    this.deadLettered[stream] += items;
    this.deadLetteredCounter[stream].inc(items);
  }

  countRequest(stream: StreamName, result: string, seconds: number): void {
    this.requests.inc({ endpoint: stream, result });
    this.duration.observe({ endpoint: stream }, seconds);
  }
}
