import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { backoffDelay, decide } from './answer.js';
import type { Action, Answer } from './answer.js';
import type { Counters } from './counters.js';
import { settleWithin } from './deadline.js';
import { splitTraceRecord, traceRequestBody } from './otlp.js';
import { decodeSegment, sumOf } from './record.js';
import type { SpoolRecord } from './record.js';
import { ingestionRequestBody, splitEvents } from './scores.js';
import { STREAMS } from './spool.js';
import type { Segment, Spool, SpoolLogger, StreamName } from './spool.js';

interface ShipperOptions {
  baseUrl: string;
  headers: Record<string, string>;
  /** Deadline of one request: connect, send, read the whole answer. */
  requestTimeoutMs: number;
  /** Longest wait between attempts (backoff cap, and the retry interval while the keys are rejected). */
  retryMaxMs: number;
  logger: SpoolLogger;
}

interface StreamState {
  url: URL;
  nextAt: number;
  failures: number;
  loggedAt: number;
}

const PATHS: Record<StreamName, string> = { traces: '/api/public/otel/v1/traces', scores: '/api/public/ingestion' };
const NOUN: Record<StreamName, string> = { traces: 'spans', scores: 'scores' };
const MAX_ANSWER_BYTES = 64 * 1024;
const FAILURE_LOG_INTERVAL_MS = 60_000;
const gzipAsync = promisify(gzip);
const monotonic = (): number => performance.now();

/**
 * Moves spooled data to Langfuse in the background, one request at a time, oldest first, gzip-compressed
 * on libuv's thread pool; a segment is deleted only after a 2xx. `decide()` says what an answer means,
 * `carryOut()` does it. Never throws, and its timers and sockets never keep the process alive.
 */
export class Shipper {
  private readonly agent: http.Agent;
  private readonly state: Record<StreamName, StreamState>;
  private readonly abort = new AbortController();
  private stopped = false;
  private running: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private turn = 0;
  private keysRejected = false;

  constructor(
    private readonly spool: Spool,
    private readonly counters: Counters,
    private readonly options: ShipperOptions,
  ) {
    const base = options.baseUrl.replace(/\/+$/, '');
    this.agent = base.startsWith('https:') ? new https.Agent({ keepAlive: true, maxSockets: 1 }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
    const state = (name: StreamName): StreamState => ({ url: new URL(`${base}${PATHS[name]}`), nextAt: 0, failures: 0, loggedAt: 0 });
    this.state = { traces: state('traces'), scores: state('scores') };
  }

  start(): void {
    this.running = this.loop();
  }

  /** New data was spooled: send it if no backoff holds the shipper back. */
  notify(): void {
    this.wake?.();
  }

  private due(name: StreamName): boolean {
    return this.spool.hasData(name) && this.state[name].nextAt <= monotonic();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      // Streams take turns, so a steady flow of spans never starves the scores.
      const name = [STREAMS[this.turn % 2]!, STREAMS[(this.turn + 1) % 2]!].find((candidate) => this.due(candidate));
      if (name) {
        this.turn = STREAMS.indexOf(name) + 1;
        await this.shipOnce(name, this.options.requestTimeoutMs);
        continue;
      }
      const waits = STREAMS.filter((candidate) => this.spool.hasData(candidate)).map((candidate) => this.state[candidate].nextAt);
      await new Promise<void>((resolve) => {
        const timer = waits.length > 0 ? setTimeout(resolve, Math.max(1, Math.min(...waits) - monotonic())) : undefined;
        timer?.unref();
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      });
    }
  }

  private async shipOnce(name: StreamName, timeoutMs: number): Promise<void> {
    try {
      const segment = await this.spool.next(name);
      if (!segment) return;
      let data: Buffer;
      try {
        data = await this.spool.read(segment);
      } catch (error) {
        await this.unreadable(name, segment, error);
        return;
      }
      const { records, corrupt } = decodeSegment(data);
      if (corrupt.length > 0 || records.length === 0) {
        const lost = { items: segment.items - sumOf(records, 'items'), traces: segment.traces - sumOf(records, 'traces') };
        const reason = 'spool record failed its checksum (damaged on disk)';
        await this.spool.deadLetter(name, segment, { stream: name, ...lost, reason }, Buffer.concat(corrupt.flatMap((line) => [line, Buffer.from('\n')])), records);
        this.counters.countStream(name, 'deadLettered', lost.items, lost.traces);
        this.options.logger.warn({ stream: name, lines: corrupt.length }, `trace spool: ${reason}; set aside in the dead-letter folder`);
        return;
      }
      const payloads = records.map((record) => record.payload);
      const body = name === 'traces' ? traceRequestBody(payloads) : ingestionRequestBody(payloads);
      const started = monotonic();
      const answer = await this.post(this.state[name].url, await gzipAsync(body), timeoutMs);
      this.counters.request(name, 'status' in answer ? String(answer.status) : answer.failure, (monotonic() - started) / 1000);
      const action = decide(answer, { stream: name, records: records.length, items: segment.items, bodyBytes: body.length }, Date.now());
      await this.carryOut(name, segment, records, body, action);
    } catch (error) {
      // The spool itself failed (disk full, permissions): the data stays; try again later.
      this.retryLater(name, `spool error: ${error instanceof Error ? error.message : String(error)}`, null);
    }
  }

  /** An entry named like a segment that cannot be read: gone (counted as dropped) or set aside. */
  private async unreadable(name: StreamName, segment: Segment, error: unknown): Promise<void> {
    const code = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.name) : 'error';
    if (code === 'ENOENT') {
      await this.spool.remove(name, segment);
      this.counters.dropStream(name, segment.items, segment.traces, 'spool_deleted', `${segment.file} was deleted while waiting to be sent`);
      return;
    }
    const reason = `${segment.file} cannot be read (${code}: ${error instanceof Error ? error.message : String(error)})`;
    await this.spool.setAside(name, segment, reason);
    this.counters.countStream(name, 'deadLettered', segment.items, segment.traces);
    this.counters.lastExportError = `${new Date().toISOString()} ${name}: ${reason}`;
    this.options.logger.warn({ stream: name, file: segment.file, code }, 'trace spool: an unreadable entry was moved to the dead-letter folder; delivery goes on');
  }

  private async carryOut(name: StreamName, segment: Segment, records: SpoolRecord[], body: Buffer, action: Action): Promise<void> {
    const deadLetter = async (items: number, traces: number, reason: string, refused: Buffer, keep: SpoolRecord[] = []): Promise<void> => {
      await this.spool.deadLetter(name, segment, { stream: name, items, traces, reason }, refused, keep);
      this.counters.countStream(name, 'deadLettered', items, traces);
      this.counters.lastExportError = `${new Date().toISOString()} ${name}: ${reason}`;
      this.options.logger.warn({ stream: name, items, reason }, `Langfuse refused ${items} ${NOUN[name]}; set aside in the dead-letter folder`);
    };
    switch (action.do) {
      case 'deliver':
        await this.spool.remove(name, segment);
        this.delivered(name, segment.items, segment.traces);
        return;
      case 'deliver-partly':
        // Which spans were refused is not said: the whole body is kept for inspection.
        await deadLetter(action.rejected, 0, action.reason, body);
        this.delivered(name, segment.items - action.rejected, segment.traces);
        return;
      case 'settle-events': {
        const events = splitEvents(records);
        const refused = events.filter((event) => action.refused.has(event.id));
        const retry = events.filter((event) => action.retry.has(event.id)).map((event) => event.record);
        if (refused.length > 0) {
          const reason = refused.map((event) => `${event.id}: ${action.refused.get(event.id)}`).join('; ');
          await deadLetter(refused.length, 0, reason, ingestionRequestBody(refused.map((event) => event.record.payload)), retry);
        } else if (retry.length > 0) await this.spool.replace(name, segment, [retry]);
        else await this.spool.remove(name, segment);
        this.delivered(name, events.length - refused.length - retry.length, 0);
        if (retry.length > 0) this.retryLater(name, `ingestion: ${retry.length} scores failed on Langfuse's side`, null);
        return;
      }
      case 'retry':
        this.retryLater(name, action.reason, action.afterMs);
        return;
      case 'keys-rejected':
        this.keysRefused(name, action.reason);
        return;
      case 'split': {
        const halves = action.by === 'records' ? [records.slice(0, Math.ceil(records.length / 2)), records.slice(Math.ceil(records.length / 2))] : splitTraceRecord(records[0]!)?.map((half) => [half]);
        if (halves) await this.spool.replace(name, segment, halves);
        else await deadLetter(segment.items, segment.traces, action.reason, body);
        return;
      }
      case 'dead-letter':
        await deadLetter(segment.items, segment.traces, action.reason, body);
        return;
    }
  }

  private delivered(name: StreamName, items: number, traces: number): void {
    this.counters.countStream(name, 'delivered', items, traces);
    this.counters.lastSuccessAt = Date.now();
    const state = this.state[name];
    if (state.failures > 0) {
      this.options.logger.info({ stream: name, failedAttempts: state.failures }, `Langfuse export of ${NOUN[name]} recovered`);
    }
    Object.assign(state, { nextAt: 0, failures: 0, loggedAt: 0 });
    this.keysRejected = false;
  }

  private retryLater(name: StreamName, message: string, afterMs: number | null): void {
    const state = this.state[name];
    const now = monotonic();
    state.failures += 1;
    const delay = afterMs ?? backoffDelay(state.failures, this.options.retryMaxMs, Math.random);
    state.nextAt = now + delay;
    this.counters.lastExportError = `${new Date().toISOString()} ${name}: ${message}`;
    if (state.failures > 1 && now - state.loggedAt < FAILURE_LOG_INTERVAL_MS) return;
    state.loggedAt = now;
    this.options.logger.warn(
      { stream: name, error: message, attempts: state.failures, retryInMs: delay, pending: this.spool.pending(name).items },
      state.failures === 1
        ? `Langfuse export of ${NOUN[name]} failed; they stay in the spool and are retried with backoff`
        : `Langfuse export of ${NOUN[name]} still failing`,
    );
  }

  private keysRefused(name: StreamName, reason: string): void {
    const state = this.state[name];
    state.failures += 1;
    state.nextAt = monotonic() + this.options.retryMaxMs;
    this.counters.lastExportError = `${new Date().toISOString()} ${name}: ${reason}`;
    if (this.keysRejected) return;
    this.keysRejected = true;
    this.options.logger.error(
      { baseUrl: this.options.baseUrl, retryEverySeconds: Math.round(this.options.retryMaxMs / 1000) },
      `${reason}: check LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY and LANGFUSE_BASE_URL. Traces and scores are kept in the spool and sent once the keys work.`,
    );
  }

  /** One POST; resolves with the answer or the failure, never rejects. Sockets never hold the process. */
  private post(url: URL, body: Buffer, timeoutMs: number): Promise<Answer> {
    return new Promise((resolve) => {
      const signal = AbortSignal.any([AbortSignal.timeout(Math.max(1, Math.round(timeoutMs))), this.abort.signal]);
      let settled = false;
      const settle = (answer: Answer): void => {
        if (!settled) resolve(answer);
        settled = true;
      };
      const fail = (error: unknown): void =>
        settle(
          signal.aborted
            ? { failure: 'timeout', message: `no complete answer within ${timeoutMs} ms` }
            : { failure: 'network', message: error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}` : String(error) },
        );
      const request = (url.protocol === 'https:' ? https : http).request(url, {
        method: 'POST',
        agent: this.agent,
        headers: { ...this.options.headers, 'content-encoding': 'gzip', 'content-length': String(body.length) },
        signal,
      });
      request.on('socket', (socket) => socket.unref());
      request.on('error', fail);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < MAX_ANSWER_BYTES) chunks.push(chunk);
          kept += chunk.length;
        });
        response.on('error', fail);
        response.on('close', () => {
          if (!response.complete) fail(new Error('the connection closed before the answer was complete'));
        });
        response.on('end', () => {
          const retryAfter = response.headers['retry-after'];
          settle({
            status: response.statusCode ?? 0,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER_BYTES),
          });
        });
      });
      request.end(body);
    });
  }

  /**
   * Stops the background loop, then sends what is left until `deadline` (monotonic ms): no backoff, and
   * a stream gives up at its first failure. A request still in flight at the deadline is cut.
   */
  async stop(deadline: number): Promise<void> {
    this.stopped = true;
    this.notify();
    const cut = setTimeout(() => this.abort.abort(), Math.max(0, deadline - monotonic()));
    cut.unref();
    if (await settleWithin(this.running, deadline - monotonic())) {
      for (const name of STREAMS) {
        while (!this.abort.signal.aborted && this.spool.hasData(name)) {
          const failures = this.state[name].failures;
          await this.shipOnce(name, Math.min(this.options.requestTimeoutMs, Math.max(1, deadline - monotonic())));
          if (this.state[name].failures > failures) break;
        }
      }
    }
    clearTimeout(cut);
    this.abort.abort();
    this.agent.destroy();
  }
}
