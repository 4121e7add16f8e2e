import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Counters, DropReason } from './counters.js';
import { isTraceRoot, spansToRecord } from './otlp.js';
import { encodeRecord } from './record.js';
import type { SpoolRecord } from './record.js';

/**
 * Finished spans and scores in memory, before the spool writes them. Nothing here is a lossy queue: each
 * span is held only until its trace is complete and then for at most one flush interval, and a drop
 * (memory cap, shutdown) is counted and takes the whole trace with it.
 *
 * A trace's spans are held until its local root ends (the span without a parent, or whose parent is in
 * another process), so a trace is written as one piece, with the scores given to it meanwhile. A request's
 * root ends before its answer is sent, so an answered request's trace is in the next write.
 *
 * Serialising (OTLP JSON, ~70 µs a span) happens in the event-loop turn after the root ended: after the
 * answer went out, and for all traces finished in a turn at once, so the work keeps pace with the requests
 * that cause it however busy the loop is.
 */
export interface QueuedScore {
  traceId: string;
  record: SpoolRecord;
  /** Called once: without an error when written (or knowingly never sent), with one when it could not be. */
  settle(error?: Error): void;
}

export interface Batch {
  /** Framed OTLP records, whole traces (and spans that ended after their root). */
  framed: Buffer[];
  spans: number;
  /** Root spans among them. */
  traces: number;
  traceIds: Set<string>;
  scores: QueuedScore[];
}

interface Group {
  spans: ReadableSpan[];
  scores: QueuedScore[];
  since: number;
}

/**
 * What may wait in memory for the spool: 64 MiB of serialised traces (~20,000 offline chat spans, a minute
 * of a saturated server whose writes take seconds each) and, as a backstop, 50,000 spans in all.
 */
const MAX_MEMORY_BYTES = 64 * 1024 * 1024;
const MAX_SPANS_IN_MEMORY = 50_000;
/** A span whose local root never ends (a span that outlives its request) is written alone after this. */
const HOLD_MAX_MS = 60_000;
const REMEMBERED_TRACES = 10_000;
const RECORD_MAX_SPANS = 256;

/** The last `limit` keys set, oldest forgotten first. */
class Recent<V> extends Map<string, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: string, value: V): this {
    super.delete(key);
    super.set(key, value);
    if (this.size > this.limit) this.delete(this.keys().next().value ?? '');
    return this;
  }
}

const emptyBatch = (): Batch => ({ framed: [], spans: 0, traces: 0, traceIds: new Set(), scores: [] });

export class Intake {
  private readonly open = new Map<string, Group>();
  /** Complete traces waiting to be serialised (next loop turn). */
  private finished: ReadableSpan[] = [];
  private serialising: NodeJS.Immediate | null = null;
  private ready = emptyBatch();
  /** Traces whose root was taken: a span arriving later goes straight to the next batch. */
  private readonly ended = new Recent<true>(REMEMBERED_TRACES);
  /** Traces dropped in this process, with why: the rest of them (spans, scores) follow. */
  private readonly dropped = new Recent<DropReason>(REMEMBERED_TRACES);
  private closed = false;
  /** What is held, by kind: the in-memory part of "pending". */
  readonly memory = { spans: 0, traces: 0, scores: 0, bytes: 0 };

  constructor(private readonly counters: Counters) {}

  get readySpans(): number {
    return this.ready.spans;
  }

  add(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    const root = isTraceRoot(span);
    this.counters.count('spans', 'received', 1);
    if (root) this.counters.count('traces', 'received', 1);
    const full = this.memory.bytes >= MAX_MEMORY_BYTES || this.memory.spans >= MAX_SPANS_IN_MEMORY;
    const reason = this.closed ? 'shutdown' : (this.dropped.get(traceId) ?? (full ? 'memory_full' : undefined));
    if (reason) {
      const detail = reason === 'memory_full' ? `${this.memory.spans} spans (${this.memory.bytes} bytes) already wait for the spool` : 'rest of a dropped trace';
      this.counters.drop('spans', 1, reason, detail);
      if (root) this.counters.drop('traces', 1, reason, detail);
      this.dropTrace(traceId, reason);
      return;
    }
    this.memory.spans += 1;
    if (root) this.memory.traces += 1;
    const parent = span.parentSpanContext;
    const group = this.open.get(traceId);
    if (parent === undefined || parent.isRemote === true) {
      this.open.delete(traceId);
      this.finish(traceId, group);
      this.finished.push(span);
    } else if (group) {
      group.spans.push(span);
    } else if (this.ended.has(traceId)) {
      this.finished.push(span);
    } else {
      this.open.set(traceId, { spans: [span], scores: [], since: performance.now() });
    }
    this.serialising ??= setImmediate(() => this.serialise());
  }

  /** A score goes with its trace while that is in memory, so both are written (or dropped) together. */
  addScore(score: QueuedScore): void {
    this.counters.count('scores', 'received', 1);
    const reason = this.closed ? 'shutdown' : this.dropped.has(score.traceId) ? 'trace_dropped' : undefined;
    if (reason) {
      this.counters.drop('scores', 1, reason, reason === 'shutdown' ? 'score after shutdown' : 'score of a dropped trace');
      // A score of a dropped trace is settled: it must never be sent. One after shutdown is not stored.
      score.settle(reason === 'shutdown' ? new Error('trace spool is shut down') : undefined);
      return;
    }
    this.memory.scores += 1;
    (this.open.get(score.traceId) ?? this.ready).scores.push(score);
  }

  /** True while this trace's root has not ended: its scores are written with it. */
  waitsForTrace(traceId: string): boolean {
    return this.open.has(traceId);
  }

  private finish(traceId: string, group: Group | undefined): void {
    this.ended.set(traceId, true);
    if (!group) return;
    this.finished.push(...group.spans);
    this.ready.scores.push(...group.scores);
  }

  /** Finished spans → framed records in the ready batch. */
  private serialise(): void {
    if (this.serialising) clearImmediate(this.serialising);
    this.serialising = null;
    const spans = this.finished;
    this.finished = [];
    for (let start = 0; start < spans.length; start += RECORD_MAX_SPANS) {
      const chunk = spans.slice(start, start + RECORD_MAX_SPANS);
      const traceIds = new Set(chunk.map((span) => span.spanContext().traceId));
      try {
        const record = spansToRecord(chunk);
        const framed = encodeRecord(record);
        this.ready.framed.push(framed);
        this.memory.bytes += framed.length;
        this.ready.spans += record.items;
        this.ready.traces += record.traces;
        for (const traceId of traceIds) this.ready.traceIds.add(traceId);
      } catch (error) {
        const traces = chunk.filter(isTraceRoot).length;
        this.memory.spans -= chunk.length;
        this.memory.traces -= traces;
        const detail = `spans could not be serialised: ${error instanceof Error ? error.message : String(error)}`;
        this.counters.dropStream('traces', chunk.length, traces, 'invalid', detail);
        for (const traceId of traceIds) this.dropTrace(traceId, 'invalid');
      }
    }
  }

  /** What is due for writing; `everything` includes traces still open (shutdown). */
  take(everything: boolean): Batch | null {
    const now = performance.now();
    for (const [traceId, group] of this.open) {
      if (!everything && now - group.since < HOLD_MAX_MS) break; // insertion order: the rest are younger
      this.open.delete(traceId);
      this.finish(traceId, group);
    }
    this.serialise();
    const batch = this.ready;
    if (batch.spans === 0 && batch.scores.length === 0) return null;
    this.ready = emptyBatch();
    return batch;
  }

  /** Written or dropped: no longer held here. */
  release(kind: 'spans' | 'scores', batch: Batch): void {
    if (kind === 'spans') {
      this.memory.spans -= batch.spans;
      this.memory.traces -= batch.traces;
      this.memory.bytes -= batch.framed.reduce((sum, framed) => sum + framed.length, 0);
    } else {
      this.memory.scores -= batch.scores.length;
    }
  }

  /** Whatever else of this trace comes later is dropped too, scores included. */
  dropTrace(traceId: string, reason: DropReason): void {
    this.dropped.set(traceId, reason);
    const group = this.open.get(traceId);
    if (!group) return;
    this.open.delete(traceId);
    // An open group never holds the root (a root ends the group): only spans are lost here.
    this.memory.spans -= group.spans.length;
    this.counters.drop('spans', group.spans.length, reason, 'rest of a dropped trace');
    for (const score of group.scores) {
      this.memory.scores -= 1;
      this.counters.drop('scores', 1, 'trace_dropped', 'score of a dropped trace');
      score.settle();
    }
  }

  isDropped(traceId: string): boolean {
    return this.dropped.has(traceId);
  }

  close(): void {
    this.closed = true;
  }
}
