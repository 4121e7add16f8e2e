import type { FlowCounts } from '../types.js';
import type { SpoolLogger, StreamName } from './spool.js';

/**
 * What the export path has done with every span, trace and score, for /readyz and /metrics. For each
 * kind, at any moment: received + recovered = delivered + pending + dropped + dead-lettered, where pending
 * is counted from what is actually held (in memory and in the spool index), not derived from the others.
 */
export type Kind = 'spans' | 'traces' | 'scores';
const KINDS: readonly Kind[] = ['spans', 'traces', 'scores'];

/** Why data was lost; a fixed set, so it can be a metric label (details go to the log and lastExportError). */
export type DropReason = 'memory_full' | 'spool_full' | 'spool_unwritable' | 'spool_deleted' | 'trace_dropped' | 'invalid' | 'shutdown';
const REASONS: readonly DropReason[] = ['memory_full', 'spool_full', 'spool_unwritable', 'spool_deleted', 'trace_dropped', 'invalid', 'shutdown'];

type Stage = 'received' | 'recovered' | 'spooled' | 'delivered' | 'deadLettered';
/** Each stage's metric name (`sommelier_tracing_<kind>_<name>_total`) and help text. */
const STAGES: Record<Stage, [string, string]> = {
  received: ['received', 'handed to the export path by this process'],
  recovered: ['recovered', 'found in the spool at start (left by a previous run or a process that is gone)'],
  spooled: ['spooled', 'written to the durable spool'],
  delivered: ['delivered', 'acknowledged by Langfuse (2xx)'],
  deadLettered: ['dead_lettered', 'refused by Langfuse as malformed or damaged on disk, kept in the dead-letter folder'],
};

export class Counters {
  private readonly stages: Record<Kind, Record<Stage, number>>;
  private readonly dropped: Record<Kind, Map<DropReason, number>>;
  private readonly requests = new Map<string, number>();
  private readonly requestSeconds: Record<StreamName, number> = { traces: 0, scores: 0 };
  lastExportError: string | null = null;
  lastSuccessAt: number | null = null;
  private unlogged: Partial<Record<Kind, number>> = {};
  private unloggedReasons = new Set<string>();
  private logTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly logger: SpoolLogger,
    private readonly logIntervalMs: number,
  ) {
    const zero = (): Record<Stage, number> => ({ received: 0, recovered: 0, spooled: 0, delivered: 0, deadLettered: 0 });
    this.stages = { spans: zero(), traces: zero(), scores: zero() };
    this.dropped = { spans: new Map(), traces: new Map(), scores: new Map() };
  }

  count(kind: Kind, stage: Stage, amount: number): void {
    this.stages[kind][stage] += amount;
  }

  /** A stream's items: the trace stream carries spans and traces, the score stream scores. */
  countStream(stream: StreamName, stage: Stage, items: number, traces: number): void {
    if (stream === 'scores') this.count('scores', stage, items);
    else {
      this.count('spans', stage, items);
      this.count('traces', stage, traces);
    }
  }

  /**
   * Counts a loss and logs it without flooding the log: the first at once, then at most one summary per
   * interval while losses go on, and a last one after they stop (no count is left unsaid).
   */
  drop(kind: Kind, amount: number, reason: DropReason, detail: string): void {
    if (amount <= 0) return;
    this.dropped[kind].set(reason, (this.dropped[kind].get(reason) ?? 0) + amount);
    this.unlogged[kind] = (this.unlogged[kind] ?? 0) + amount;
    this.unloggedReasons.add(detail);
    if (!this.logTimer) this.logDrops();
  }

  dropStream(stream: StreamName, items: number, traces: number, reason: DropReason, detail: string): void {
    if (stream === 'scores') this.drop('scores', items, reason, detail);
    else {
      this.drop('spans', items, reason, detail);
      this.drop('traces', traces, reason, detail);
    }
  }

  private logDrops(): void {
    const { spans = 0, traces = 0, scores = 0 } = this.unlogged;
    if (spans + traces + scores === 0) {
      this.logTimer = null;
      return;
    }
    this.logger.warn(
      { droppedSpans: spans, droppedTraces: traces, droppedScores: scores, reasons: [...this.unloggedReasons] },
      `Langfuse export: dropped ${traces} traces (${spans} spans) and ${scores} scores that will never reach Langfuse`,
    );
    this.unlogged = {};
    this.unloggedReasons.clear();
    this.logTimer = setTimeout(() => this.logDrops(), this.logIntervalMs);
    this.logTimer.unref();
  }

  request(stream: StreamName, result: string, seconds: number): void {
    const key = `${stream}\t${result}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    this.requestSeconds[stream] += seconds;
  }

  flows(pending: Record<Kind, number>): Record<Kind, FlowCounts> {
    const flow = (kind: Kind): FlowCounts => {
      const droppedBy = Object.fromEntries(this.dropped[kind]);
      const { received, recovered, spooled, delivered, deadLettered } = this.stages[kind];
      const dropped = [...this.dropped[kind].values()].reduce((sum, n) => sum + n, 0);
      return { received, recovered, spooled, delivered, pending: pending[kind], dropped, droppedBy, deadLettered };
    };
    return { spans: flow('spans'), traces: flow('traces'), scores: flow('scores') };
  }

  /** Prometheus text exposition of everything above, plus the spool's gauges. */
  prometheus(pending: Record<Kind, number>, gauges: { pendingBytes: number; deadLetterBytes: number }): string {
    const lines: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: [string, number][]): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples.map(([labels, value]) => `${name}${labels} ${value}`));
    };
    for (const kind of KINDS) {
      for (const [stage, [name, help]] of Object.entries(STAGES) as [Stage, [string, string]][]) {
        metric(`sommelier_tracing_${kind}_${name}_total`, 'counter', `${kind} ${help}`, [['', this.stages[kind][stage]]]);
      }
      metric(`sommelier_tracing_${kind}_dropped_total`, 'counter', `${kind} lost before reaching Langfuse, by reason`,
        REASONS.map((reason) => [`{reason="${reason}"}`, this.dropped[kind].get(reason) ?? 0]));
      metric(`sommelier_tracing_${kind}_pending`, 'gauge', `${kind} in memory or in the spool, waiting for Langfuse`, [['', pending[kind]]]);
    }
    metric('sommelier_tracing_export_requests_total', 'counter', 'Requests to Langfuse by endpoint and result (HTTP status, timeout or network)',
      [...this.requests].map(([key, value]) => {
        const [endpoint, result] = key.split('\t');
        return [`{endpoint="${endpoint}",result="${result}"}`, value];
      }));
    metric('sommelier_tracing_export_request_seconds_total', 'counter', 'Time spent in requests to Langfuse, failed ones included',
      (['traces', 'scores'] as const).map((stream) => [`{endpoint="${stream}"}`, this.requestSeconds[stream]]));
    metric('sommelier_tracing_spool_pending_bytes', 'gauge', 'Bytes of spans and scores in the spool waiting for Langfuse', [['', gauges.pendingBytes]]);
    metric('sommelier_tracing_dead_letter_bytes', 'gauge', 'Bytes kept in the dead-letter folder', [['', gauges.deadLetterBytes]]);
    metric('sommelier_tracing_last_success_timestamp_seconds', 'gauge', 'Unix time of the last request Langfuse acknowledged (0: none yet)',
      [['', (this.lastSuccessAt ?? 0) / 1000]]);
    return `${lines.join('\n')}\n`;
  }

  /** Logs what is still unsaid and stops the timer. */
  stop(): void {
    for (let round = 0; round < 2; round++) {
      if (this.logTimer) clearTimeout(this.logTimer);
      this.logTimer = null;
      if (round === 0) this.logDrops();
    }
  }
}
