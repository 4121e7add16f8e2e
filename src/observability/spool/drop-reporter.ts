import type { SpoolLogger, StreamName } from './spool.js';

/**
 * Logs lost data without flooding the log: the first loss at once, then at most one summary per
 * interval while losses continue, and a last summary after they stop (counts are never left unsaid).
 */
export class DropReporter {
  private unreported: Record<StreamName, number> = { traces: 0, scores: 0 };
  private reasons = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly logger: SpoolLogger,
    private readonly intervalMs: number,
    private readonly describeCap: () => object,
  ) {}

  note(stream: StreamName, items: number, reason: string): void {
    if (items <= 0) return;
    this.unreported[stream] += items;
    this.reasons.add(reason);
    if (this.timer) return;
    this.report();
    this.arm();
  }

  private arm(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.unreported.traces + this.unreported.scores === 0) return;
      this.report();
      this.arm();
    }, this.intervalMs);
    this.timer.unref();
  }

  private report(): void {
    const { traces, scores } = this.unreported;
    this.logger.warn(
      { droppedSpans: traces, droppedScores: scores, reasons: [...this.reasons], ...this.describeCap() },
      `trace spool: dropped ${traces} spans and ${scores} scores that never reached Langfuse`,
    );
    this.unreported = { traces: 0, scores: 0 };
    this.reasons.clear();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.unreported.traces + this.unreported.scores > 0) this.report();
  }
}
