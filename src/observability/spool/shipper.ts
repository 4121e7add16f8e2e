import { backoffDelay, parseRetryAfter } from './backoff.js';
import type { BackoffPolicy } from './backoff.js';
import { describeNetworkError, HttpSender } from './http.js';
import type { HttpAnswer } from './http.js';
import { rejectedSpans, splitTraceRecord, traceRequestBody } from './otlp.js';
import { decodeSegment } from './record.js';
import type { SpoolRecord } from './record.js';
import { describeIngestionError, ingestionErrors, ingestionRequestBody, recordEvents } from './scores.js';
import type { Segment } from './segment-log.js';
import { STREAMS } from './spool.js';
import type { Spool, SpoolLogger, StreamName } from './spool.js';
import type { SpoolTelemetry } from './telemetry.js';

export interface ShipperOptions {
  baseUrl: string;
  headers: Record<string, string>;
  requestTimeoutMs: number;
  backoff: BackoffPolicy;
  /** Wait between attempts while Langfuse rejects the keys (401/403). */
  authRetryMs: number;
  /** A `Retry-After` longer than this is cut to it. */
  retryAfterMaxMs: number;
  /** Scores wait this long in the open segment so one request carries many. */
  scoreBatchDelayMs: number;
  /** While an outage lasts, a reminder is logged at most this often. */
  failureLogIntervalMs: number;
  /**
   * A 413 for a body smaller than this is not about our data (Langfuse accepts megabytes): it is a proxy
   * with a too-small body limit, so the data is kept and retried rather than split or set aside.
   */
  oversizeFloorBytes: number;
  /** Wall-clock time, for timestamps in errors and stats (scheduling uses the monotonic clock). */
  now: () => number;
  random: () => number;
  logger: SpoolLogger;
}

/** Monotonic milliseconds: retry schedules must not jump with the wall clock. */
const monotonic = (): number => performance.now();

interface StreamState {
  readonly name: StreamName;
  readonly url: URL;
  readonly minAgeMs: number;
  nextAttemptAt: number;
  failures: number;
  lastFailureLogAt: number;
}

const PATHS: Record<StreamName, string> = {
  traces: '/api/public/otel/v1/traces',
  scores: '/api/public/ingestion',
};
const NOUN: Record<StreamName, string> = { traces: 'spans', scores: 'scores' };

const snippet = (text: string): string => text.replace(/\s+/g, ' ').trim().slice(0, 500);

function halves<T>(items: readonly T[]): [T[], T[]] {
  const middle = Math.ceil(items.length / 2);
  return [items.slice(0, middle), items.slice(middle)];
}

/**
 * Moves spooled data to Langfuse in the background, one request at a time, oldest first; a segment is
 * deleted only after a 2xx. Never throws, never blocks an export, and its timers and sockets never keep
 * the process alive.
 */
export class Shipper {
  private readonly sender = new HttpSender();
  private readonly streams: StreamState[];
  private stopped = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private keysRejected = false;

  constructor(
    private readonly spool: Spool,
    private readonly telemetry: SpoolTelemetry,
    private readonly options: ShipperOptions,
  ) {
    const base = options.baseUrl.replace(/\/+$/, '');
    this.streams = STREAMS.map((name) => ({
      name,
      url: new URL(`${base}${PATHS[name]}`),
      minAgeMs: name === 'scores' ? options.scoreBatchDelayMs : 0,
      nextAttemptAt: 0,
      failures: 0,
      lastFailureLogAt: 0,
    }));
  }

  start(): void {
    this.loopDone = this.loop();
  }

  /** New data was spooled: send it if nothing holds the shipper back. */
  notify(): void {
    this.wake?.();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const due = this.streams.find((state) => this.isDue(state));
      if (due) await this.shipOnce(due, this.options.requestTimeoutMs, due.minAgeMs);
      else await this.sleepUntil(this.nextWakeAt());
    }
  }

  private sendableAt(state: StreamState, minAgeMs: number): number | null {
    const log = this.spool.logs[state.name];
    if (log.oldestSealed()) return state.nextAttemptAt;
    const age = log.activeAgeMs();
    if (age === null) return null;
    return Math.max(state.nextAttemptAt, monotonic() + Math.max(0, minAgeMs - age));
  }

  private isDue(state: StreamState): boolean {
    const at = this.sendableAt(state, state.minAgeMs);
    return at !== null && at <= monotonic();
  }

  private nextWakeAt(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const state of this.streams) {
      const at = this.sendableAt(state, state.minAgeMs);
      if (at !== null) next = Math.min(next, at);
    }
    return next;
  }

  private sleepUntil(at: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer) clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      this.wake = done;
      if (Number.isFinite(at)) {
        timer = setTimeout(done, Math.max(1, at - monotonic()));
        timer.unref();
      }
    });
  }

  private async shipOnce(state: StreamState, timeoutMs: number, minAgeMs: number): Promise<void> {
    let segment: Segment | null = null;
    try {
      segment = await this.spool.takeNext(state.name, minAgeMs);
      if (segment) await this.ship(state, segment, timeoutMs);
    } catch (error) {
      // The spool itself failed (disk full, permissions): keep the data, try again later.
      this.retryLater(state, `spool error: ${error instanceof Error ? error.message : String(error)}`, null);
    } finally {
      if (segment) segment.inFlight = false;
    }
  }

  private async ship(state: StreamState, segment: Segment, timeoutMs: number): Promise<void> {
    const stream = state.name;
    const { records, corrupt } = decodeSegment(await this.spool.logs[stream].read(segment));
    if (corrupt.length > 0 || records.length === 0) {
      await this.setAsideCorrupt(state, segment, records, corrupt);
      return;
    }
    const payloads = records.map((record) => record.payload);
    const body = stream === 'traces' ? traceRequestBody(payloads) : ingestionRequestBody(payloads);
    const started = monotonic();
    let answer: HttpAnswer;
    try {
      answer = await this.sender.post({
        url: state.url,
        headers: this.options.headers,
        body,
        timeoutMs,
      });
    } catch (error) {
      const failure = describeNetworkError(error);
      this.telemetry.countRequest(stream, failure.label, (monotonic() - started) / 1000);
      this.retryLater(state, `${failure.label}: ${failure.message}`, null);
      return;
    }
    this.telemetry.countRequest(stream, String(answer.status), (monotonic() - started) / 1000);
    const { status } = answer;
    if (status >= 200 && status < 300) {
      if (stream === 'traces') await this.acceptedSpans(state, segment, body, answer);
      else await this.acceptedScores(state, segment, records, answer);
    } else if (status === 401 || status === 403) {
      this.keysRefused(state, answer);
    } else if (status === 400 || status === 413) {
      await this.refused(state, segment, records, body, answer);
    } else {
      this.retryLater(state, `HTTP ${status}: ${snippet(answer.body)}`, parseRetryAfter(answer.retryAfter, this.options.now()));
    }
  }

  private async acceptedSpans(state: StreamState, segment: Segment, body: Buffer, answer: HttpAnswer): Promise<void> {
    const partial = rejectedSpans(answer.body);
    if (partial.rejected > 0) {
      const rejected = Math.min(partial.rejected, segment.items);
      // Which spans were refused is not said: keep the whole request for inspection.
      await this.spool.deadLetter('traces', segment, {
        stream: 'traces',
        items: rejected,
        status: answer.status,
        reason: `partial success: ${rejected} spans rejected${partial.message ? `: ${partial.message}` : ''}`,
        endpoint: state.url.pathname,
      }, body);
      this.telemetry.countDeadLettered('traces', rejected);
      this.telemetry.countExported('traces', segment.items - rejected, this.options.now());
      this.options.logger.warn({ rejected, message: partial.message }, 'Langfuse accepted a span batch but rejected some spans');
    } else {
      await this.spool.complete('traces', segment);
      this.telemetry.countExported('traces', segment.items, this.options.now());
    }
    this.succeeded(state);
  }

  /** A 2xx/207 from the ingestion API lists per-event errors: 4xx are set aside, the rest retried. */
  private async acceptedScores(state: StreamState, segment: Segment, records: SpoolRecord[], answer: HttpAnswer): Promise<void> {
    const errors = ingestionErrors(answer.body);
    if (errors.length === 0) {
      await this.spool.complete('scores', segment);
      this.telemetry.countExported('scores', segment.items, this.options.now());
      this.succeeded(state);
      return;
    }
    const errorById = new Map(errors.map((error) => [error.id, error]));
    const events = recordEvents(records);
    const refused = events.filter((event) => {
      const status = errorById.get(event.id)?.status;
      return status !== undefined && status >= 400 && status < 500;
    });
    const retry = events.filter((event) => {
      const status = errorById.get(event.id)?.status;
      return status !== undefined && !(status >= 400 && status < 500);
    });
    const retryRecords = retry.map((event) => event.record);
    if (refused.length > 0) {
      const reasons = refused.map((event) => {
        const error = errorById.get(event.id);
        return `${event.id}: ${error ? describeIngestionError(error) : 'refused'}`;
      });
      await this.spool.deadLetter(
        'scores',
        segment,
        { stream: 'scores', items: refused.length, status: answer.status, reason: reasons.join('; '), endpoint: state.url.pathname },
        ingestionRequestBody(refused.map((event) => event.record.payload)),
        retryRecords,
      );
      this.telemetry.countDeadLettered('scores', refused.length);
      this.options.logger.warn({ refused: reasons.slice(0, 5) }, 'Langfuse refused scores; set aside in the dead-letter folder');
    } else if (retryRecords.length > 0) {
      await this.spool.replace('scores', segment, [retryRecords]);
    } else {
      await this.spool.complete('scores', segment);
    }
    this.telemetry.countExported('scores', events.length - refused.length - retry.length, this.options.now());
    if (retry.length > 0) {
      const first = errorById.get(retry[0]?.id ?? '');
      this.retryLater(state, `ingestion: ${retry.length} scores failed (${first ? describeIngestionError(first) : 'error'})`, null);
    } else {
      this.succeeded(state);
    }
  }

  private keysRefused(state: StreamState, answer: HttpAnswer): void {
    state.failures += 1;
    state.nextAttemptAt = monotonic() + this.options.authRetryMs;
    this.telemetry.lastExportError = `${new Date(this.options.now()).toISOString()} ${state.name}: HTTP ${answer.status}: Langfuse rejected the API keys`;
    if (this.keysRejected) return;
    this.keysRejected = true;
    this.options.logger.error(
      { status: answer.status, baseUrl: this.options.baseUrl, retryEverySeconds: Math.round(this.options.authRetryMs / 1000) },
      `Langfuse rejected the API keys (HTTP ${answer.status}): check LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY and LANGFUSE_BASE_URL. ` +
        'Traces and scores are kept in the spool and sent once the keys work.',
    );
  }

  /**
   * 400/413: halve a multi-record request until the bad part is alone; a lone record is split by spans
   * on 413; what is still refused goes to the dead-letter folder with Langfuse's reason.
   */
  private async refused(state: StreamState, segment: Segment, records: SpoolRecord[], body: Buffer, answer: HttpAnswer): Promise<void> {
    const stream = state.name;
    if (answer.status === 413 && body.length < this.options.oversizeFloorBytes) {
      this.retryLater(
        state,
        `HTTP 413 for a request of only ${body.length} bytes: a proxy in front of Langfuse limits the body size too strictly`,
        parseRetryAfter(answer.retryAfter, this.options.now()),
      );
      return;
    }
    if (records.length > 1) {
      await this.spool.replace(stream, segment, halves(records));
      return;
    }
    const record = records[0];
    if (answer.status === 413 && record && stream === 'traces') {
      const split = splitTraceRecord(record);
      if (split) {
        await this.spool.replace(stream, segment, [[split[0]], [split[1]]]);
        return;
      }
    }
    const reason =
      answer.status === 413
        ? `HTTP 413: a single ${stream === 'traces' ? 'span' : 'score'} is larger than Langfuse accepts: ${snippet(answer.body)}`
        : `HTTP ${answer.status}: ${snippet(answer.body)}`;
    await this.spool.deadLetter(
      stream,
      segment,
      { stream, items: segment.items, status: answer.status, reason, endpoint: state.url.pathname },
      body,
    );
    this.telemetry.countDeadLettered(stream, segment.items);
    this.telemetry.lastExportError = `${new Date(this.options.now()).toISOString()} ${stream}: ${reason}`;
    this.options.logger.warn(
      { stream, items: segment.items, status: answer.status, dir: this.spool.deadLetters.dir },
      `Langfuse refused ${segment.items} ${NOUN[stream]} as malformed; set aside in the dead-letter folder`,
    );
  }

  private async setAsideCorrupt(state: StreamState, segment: Segment, records: SpoolRecord[], corrupt: Buffer[]): Promise<void> {
    const kept = records.reduce((sum, record) => sum + record.items, 0);
    const lost = Math.max(0, segment.items - kept);
    await this.spool.deadLetter(
      state.name,
      segment,
      { stream: state.name, items: lost, status: null, reason: 'spool record failed its checksum (damaged on disk)', endpoint: null },
      Buffer.concat(corrupt.flatMap((line) => [line, Buffer.from('\n')])),
      records,
    );
    this.telemetry.countDeadLettered(state.name, lost);
  }

  private retryLater(state: StreamState, message: string, retryAfterMs: number | null): void {
    const now = monotonic();
    state.failures += 1;
    const delay =
      retryAfterMs === null
        ? backoffDelay(state.failures, this.options.backoff, this.options.random)
        : Math.min(Math.max(retryAfterMs, Math.min(this.options.backoff.initialMs, 1_000)), this.options.retryAfterMaxMs);
    state.nextAttemptAt = now + delay;
    this.telemetry.lastExportError = `${new Date(this.options.now()).toISOString()} ${state.name}: ${message}`;
    const firstFailure = state.failures === 1;
    if (!firstFailure && now - state.lastFailureLogAt < this.options.failureLogIntervalMs) return;
    state.lastFailureLogAt = now;
    const log = this.spool.logs[state.name];
    this.options.logger.warn(
      {
        stream: state.name,
        error: message,
        attempts: state.failures,
        retryInMs: delay,
        pending: log.pendingItems,
        pendingBytes: log.pendingBytes,
      },
      firstFailure
        ? `Langfuse export of ${NOUN[state.name]} failed; they stay in the spool and are retried with backoff`
        : `Langfuse export of ${NOUN[state.name]} still failing`,
    );
  }

  private succeeded(state: StreamState): void {
    if (state.failures > 0) {
      this.options.logger.info(
        { stream: state.name, failedAttempts: state.failures, pending: this.spool.logs[state.name].pendingItems },
        `Langfuse export of ${NOUN[state.name]} recovered`,
      );
    }
    state.failures = 0;
    state.nextAttemptAt = 0;
    state.lastFailureLogAt = 0;
    this.keysRejected = false;
  }

  /**
   * Stops the background loop, then sends what is left until `deadline` (monotonic ms) — without
   * backoff, and giving up on a stream at its first failure. Resolves by the deadline whatever
   * Langfuse does.
   */
  async stop(deadline: number): Promise<void> {
    this.stopped = true;
    this.notify();
    const remaining = (): number => deadline - monotonic();
    const inTime = async (work: Promise<unknown>): Promise<boolean> => {
      if (remaining() <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), remaining());
      });
      try {
        return await Promise.race([work.then(() => true), expired]);
      } finally {
        clearTimeout(timer);
      }
    };
    if (await inTime(this.loopDone)) {
      for (const state of this.streams) {
        while (remaining() > 0 && this.sendableAt(state, 0) !== null) {
          const failuresBefore = state.failures;
          const finished = await inTime(this.shipOnce(state, Math.min(this.options.requestTimeoutMs, remaining()), 0));
          if (!finished || state.failures > failuresBefore) break;
        }
      }
    }
    this.sender.close();
  }
}
