/**
 * A Langfuse-like HTTP receiver for tests: the endpoints the SDK and our exporter talk to, with Basic auth
 * checked like Langfuse does, OTLP decoded (JSON and protobuf) into flat spans, and switchable fault modes.
 *
 * Storage rule: spans, scores and ingestion events are recorded only when the receiver answers 2xx,
 * because that is the only case in which a sender may consider them delivered.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createRequire } from 'node:module';
import { gunzipSync, inflateSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export type ReceiverMode =
  | 'ok'
  /** Stop listening: connections are refused until the mode changes (same port afterwards). */
  | 'refuse'
  /** Accept and read the request, never answer. */
  | 'hang'
  /** Destroy the socket (TCP reset) as soon as the request arrives, before any response. */
  | 'reset'
  /** Answer normally after a delay. */
  | { delayMs: number }
  /** Answer every request (except health) with this status. */
  | { status: 401 | 413 | 429 | 500 | 502 | 503; retryAfterSeconds?: number };

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** null for a root span. */
  parentSpanId: string | null;
  name: string;
  kind: number;
  scope: { name: string; version: string | null };
  resource: Record<string, unknown>;
  attributes: Record<string, unknown>;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string | null };
  /** Unix time in nanoseconds, as a decimal string (exact). */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  /** Unix time in milliseconds (may lose sub-microsecond precision). */
  startMs: number;
  endMs: number;
  events: { name: string; attributes: Record<string, unknown> }[];
  /** How the batch arrived. */
  encoding: 'json' | 'protobuf';
}

export interface ReceivedScore {
  id: string | null;
  traceId: string | null;
  observationId: string | null;
  sessionId: string | null;
  /** Set for a score on a whole dataset run (an experiment's run-level evaluation). */
  datasetRunId: string | null;
  name: string;
  value: number | string;
  dataType: string | null;
  comment: string | null;
  via: 'ingestion' | 'scores-api';
}

export interface IngestionEvent {
  id: string;
  type: string;
  timestamp: string | null;
  body: Record<string, unknown>;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  contentType: string | null;
  /** `content-encoding` of the request (gzip, deflate), null when none. */
  contentEncoding: string | null;
  /** Bytes on the wire. */
  bytes: number;
  /** Bytes after content decoding (equal to `bytes` for an uncompressed body). */
  decodedBytes: number;
  authorized: boolean;
  /** The status answered, or null when the receiver hung up or never answered. */
  status: number | null;
  mode: string;
  at: number;
}

/** A prompt version as Langfuse's prompt API returns it (GET /api/public/v2/prompts/:name). */
export interface ServedPrompt {
  name: string;
  version: number;
  type: 'text' | 'chat';
  /** Text, or chat messages for a chat prompt. */
  prompt: string | { role: string; content: string }[];
  labels: string[];
  config?: Record<string, unknown>;
}

export interface ReceivedDataset {
  id: string;
  name: string;
  description: string | null;
  metadata: unknown;
}

export interface ReceivedDatasetItem {
  id: string;
  datasetId: string;
  datasetName: string;
  input: unknown;
  expectedOutput: unknown;
  metadata: unknown;
}

export interface ReceivedDatasetRunItem {
  id: string;
  datasetRunId: string;
  runName: string;
  datasetItemId: string;
  traceId: string;
  observationId: string | null;
  metadata: unknown;
}

export interface LangfuseReceiver {
  readonly url: string;
  readonly port: number;
  /** The environment that points the app's tracing at this receiver with its keys, flushing every 100 ms. */
  tracingEnv(): Record<string, string>;
  /** Every span received, in arrival order; a re-sent span appears again. */
  readonly spans: readonly ReceivedSpan[];
  /** Spans of one trace, one per span id (the last arrival wins, as Langfuse upserts). */
  spansByTrace(traceId: string): ReceivedSpan[];
  /** Distinct trace ids seen, in first-arrival order. */
  traceIds(): string[];
  readonly scores: readonly ReceivedScore[];
  readonly ingestionEvents: readonly IngestionEvent[];
  readonly requests: readonly ReceivedRequest[];
  /** Datasets, their items (upserted on id, as Langfuse does) and dataset run items (experiment links). */
  readonly datasets: readonly ReceivedDataset[];
  readonly datasetItems: readonly ReceivedDatasetItem[];
  readonly datasetRunItems: readonly ReceivedDatasetRunItem[];
  /** Serves a prompt version from the prompt API (a label moves to the newest version that has it). */
  addPrompt(prompt: ServedPrompt): void;
  /** Resolves with the first truthy value the predicate returns; rejects after timeoutMs. */
  waitFor<T>(predicate: (receiver: LangfuseReceiver) => T | null | undefined | false, timeoutMs?: number): Promise<T>;
  /** Switches the fault mode; resolves once the change is in effect (listening stopped or resumed). */
  setMode(mode: ReceiverMode): Promise<void>;
  readonly mode: ReceiverMode;
  /** Forgets everything received (mode unchanged). */
  reset(): void;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  publicKey: string;
  secretKey: string;
  /** 0 (default) picks a free port. */
  port?: number;
}

const OTEL_PATH = '/api/public/otel/v1/traces';
const INGESTION_PATH = '/api/public/ingestion';
const SCORES_PATH = '/api/public/scores';
const HEALTH_PATH = '/api/public/health';
const PROMPT_PATH = /^\/api\/public\/v2\/prompts\/([^/]+)$/;
const DATASETS_PATH = '/api/public/v2/datasets';
const DATASET_PATH = /^\/api\/public\/v2\/datasets\/([^/]+)$/;
const DATASET_ITEMS_PATH = '/api/public/dataset-items';
const DATASET_RUN_ITEMS_PATH = '/api/public/dataset-run-items';
const PROJECTS_PATH = '/api/public/projects';
/** The project every key pair of this receiver belongs to. */
export const RECEIVER_PROJECT_ID = 'receiver-project';
const HOST = '127.0.0.1';

// --- OTLP decoding -------------------------------------------------------------------------------

interface ProtobufMessageType {
  decode(data: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown>;
}

/** The exporter package ships the generated OTLP protobuf root; using it keeps the schema exactly in sync. */
function loadTraceRequestType(): ProtobufMessageType {
  const require = createRequire(import.meta.url);
  const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js') as {
    opentelemetry?: { proto?: { collector?: { trace?: { v1?: { ExportTraceServiceRequest?: ProtobufMessageType } } } } };
  };
  const type = root.opentelemetry?.proto?.collector?.trace?.v1?.ExportTraceServiceRequest;
  if (!type) throw new Error('OTLP protobuf root not found in @opentelemetry/otlp-transformer');
  return type;
}

let traceRequestType: ProtobufMessageType | undefined;

function decodeProtobufTraceRequest(body: Buffer): unknown {
  traceRequestType ??= loadTraceRequestType();
  const message = traceRequestType.decode(body);
  // Longs as decimal strings (exact nanoseconds); bytes stay binary and are hex-encoded below.
  return traceRequestType.toObject(message, { longs: String, enums: Number, defaults: false, arrays: true, oneofs: false });
}

type Loose = Record<string, unknown>;
const asRecord = (value: unknown): Loose => (value !== null && typeof value === 'object' ? (value as Loose) : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** OTLP ids: hex in OTLP/JSON, bytes in protobuf; tolerate base64 from non-conforming JSON senders. */
function decodeId(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (value instanceof Uint8Array) return value.length === 0 ? null : Buffer.from(value).toString('hex');
  if (typeof value === 'string') {
    if (/^[0-9a-fA-F]+$/.test(value) && (value.length === 32 || value.length === 16)) return value.toLowerCase();
    const bytes = Buffer.from(value, 'base64');
    return bytes.length === 0 ? null : bytes.toString('hex');
  }
  return null;
}

function decodeNanos(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return BigInt(Math.round(value)).toString();
  if (typeof value === 'bigint') return value.toString();
  const { low, high } = asRecord(value);
  if (typeof low === 'number' && typeof high === 'number') {
    return ((BigInt(high >>> 0) << 32n) | BigInt(low >>> 0)).toString();
  }
  return '0';
}

function decodeAnyValue(value: unknown): unknown {
  const v = asRecord(value);
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return asArray(asRecord(v.arrayValue).values).map(decodeAnyValue);
  if ('kvlistValue' in v) return decodeAttributes(asRecord(v.kvlistValue).values);
  if ('bytesValue' in v) {
    const bytes = v.bytesValue;
    return bytes instanceof Uint8Array ? Buffer.from(bytes).toString('base64') : bytes;
  }
  return null;
}

function decodeAttributes(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of asArray(list)) {
    const { key, value } = asRecord(entry);
    if (typeof key === 'string') out[key] = decodeAnyValue(value);
  }
  return out;
}

function flattenTraceRequest(request: unknown, encoding: ReceivedSpan['encoding']): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of asArray(asRecord(request).resourceSpans)) {
    const rs = asRecord(resourceSpans);
    const resource = decodeAttributes(asRecord(rs.resource).attributes);
    for (const scopeSpans of asArray(rs.scopeSpans)) {
      const ss = asRecord(scopeSpans);
      const scopeRecord = asRecord(ss.scope);
      const scope = {
        name: typeof scopeRecord.name === 'string' ? scopeRecord.name : '',
        version: typeof scopeRecord.version === 'string' && scopeRecord.version !== '' ? scopeRecord.version : null,
      };
      for (const rawSpan of asArray(ss.spans)) {
        const span = asRecord(rawSpan);
        const status = asRecord(span.status);
        const startTimeUnixNano = decodeNanos(span.startTimeUnixNano);
        const endTimeUnixNano = decodeNanos(span.endTimeUnixNano);
        spans.push({
          traceId: decodeId(span.traceId) ?? '',
          spanId: decodeId(span.spanId) ?? '',
          parentSpanId: decodeId(span.parentSpanId),
          name: typeof span.name === 'string' ? span.name : '',
          kind: typeof span.kind === 'number' ? span.kind : 0,
          scope,
          resource,
          attributes: decodeAttributes(span.attributes),
          status: {
            code: typeof status.code === 'number' ? status.code : 0,
            message: typeof status.message === 'string' && status.message !== '' ? status.message : null,
          },
          startTimeUnixNano,
          endTimeUnixNano,
          startMs: Number(BigInt(startTimeUnixNano) / 1000n) / 1000,
          endMs: Number(BigInt(endTimeUnixNano) / 1000n) / 1000,
          events: asArray(span.events).map((event) => {
            const e = asRecord(event);
            return { name: typeof e.name === 'string' ? e.name : '', attributes: decodeAttributes(e.attributes) };
          }),
          encoding,
        });
      }
    }
  }
  return spans;
}

// --- Ingestion and scores ------------------------------------------------------------------------

const ingestionSchema = z.object({
  batch: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      timestamp: z.string().optional(),
      body: z.record(z.string(), z.unknown()),
    }),
  ),
});

const scoreBodySchema = z.object({
  id: z.string().nullish(),
  traceId: z.string().nullish(),
  observationId: z.string().nullish(),
  sessionId: z.string().nullish(),
  datasetRunId: z.string().nullish(),
  name: z.string(),
  value: z.union([z.number(), z.string()]),
  dataType: z.string().nullish(),
  comment: z.string().nullish(),
});

function toScore(body: z.infer<typeof scoreBodySchema>, via: ReceivedScore['via']): ReceivedScore {
  return {
    id: body.id ?? null,
    traceId: body.traceId ?? null,
    observationId: body.observationId ?? null,
    sessionId: body.sessionId ?? null,
    datasetRunId: body.datasetRunId ?? null,
    name: body.name,
    value: body.value,
    dataType: body.dataType ?? null,
    comment: body.comment ?? null,
    via,
  };
}

const datasetBodySchema = z.object({ name: z.string().min(1), description: z.string().nullish(), metadata: z.unknown().optional() });
const datasetItemBodySchema = z.object({
  datasetName: z.string().min(1),
  id: z.string().nullish(),
  input: z.unknown().optional(),
  expectedOutput: z.unknown().optional(),
  metadata: z.unknown().optional(),
});
const datasetRunItemBodySchema = z.object({
  runName: z.string().min(1),
  runDescription: z.string().nullish(),
  metadata: z.unknown().optional(),
  datasetItemId: z.string().min(1),
  traceId: z.string().min(1),
  observationId: z.string().nullish(),
});

// --- Server --------------------------------------------------------------------------------------

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decompress(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  return body;
}

function describeMode(mode: ReceiverMode): string {
  if (typeof mode === 'string') return mode;
  if ('delayMs' in mode) return `delay:${mode.delayMs}`;
  return `status:${mode.status}`;
}

export async function startLangfuseReceiver(options: ReceiverOptions): Promise<LangfuseReceiver> {
  const expectedAuth = `Basic ${Buffer.from(`${options.publicKey}:${options.secretKey}`).toString('base64')}`;
  let spans: ReceivedSpan[] = [];
  let scores: ReceivedScore[] = [];
  let ingestionEvents: IngestionEvent[] = [];
  let requests: ReceivedRequest[] = [];
  let datasets: ReceivedDataset[] = [];
  let datasetItems: ReceivedDatasetItem[] = [];
  let datasetRunItems: ReceivedDatasetRunItem[] = [];
  const prompts: ServedPrompt[] = [];
  const datasetRuns = new Map<string, string>();
  let mode: ReceiverMode = 'ok';
  let closed = false;
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();

  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const now = (): string => new Date().toISOString();
  const json = (body: Buffer): unknown => JSON.parse(body.toString('utf8')) as unknown;
  const parse = <T>(schema: z.ZodType<T>, body: Buffer): T => {
    const parsed = schema.safeParse(json(body));
    if (!parsed.success) throw new HttpError(400, parsed.error.message);
    return parsed.data;
  };
  const datasetResponse = (dataset: ReceivedDataset) => ({ ...dataset, projectId: RECEIVER_PROJECT_ID, createdAt: now(), updatedAt: now() });
  const itemResponse = (item: ReceivedDatasetItem) => ({
    ...item,
    status: 'ACTIVE',
    sourceTraceId: null,
    sourceObservationId: null,
    createdAt: now(),
    updatedAt: now(),
  });

  /** Prompt, dataset and project routes of the public API, as @langfuse/client calls them. */
  const handleApi = (
    method: string,
    path: string,
    query: URLSearchParams,
    body: Buffer,
  ): { status: number; response: unknown; commit: () => void } | null => {
    const promptPath = PROMPT_PATH.exec(path);
    if (promptPath && method === 'GET') {
      const name = decodeURIComponent(promptPath[1] ?? '');
      const version = query.get('version');
      const label = query.get('label') ?? (version === null ? 'production' : null);
      const candidates = prompts
        .filter((p) => p.name === name && (version === null || p.version === Number(version)) && (label === null || p.labels.includes(label)))
        .sort((a, b) => b.version - a.version);
      const found = candidates[0];
      if (!found) throw new HttpError(404, `prompt ${name} not found`);
      return { status: 200, response: { config: {}, tags: [], commitMessage: null, ...found }, commit: () => undefined };
    }
    if (path === PROJECTS_PATH && method === 'GET') {
      return { status: 200, response: { data: [{ id: RECEIVER_PROJECT_ID, name: 'receiver', metadata: {} }] }, commit: () => undefined };
    }
    if (path === DATASETS_PATH && method === 'POST') {
      const request = parse(datasetBodySchema, body);
      const existing = datasets.find((d) => d.name === request.name);
      const dataset: ReceivedDataset = {
        id: existing?.id ?? randomUUID(),
        name: request.name,
        description: request.description ?? null,
        metadata: request.metadata ?? null,
      };
      return {
        status: 200,
        response: datasetResponse(dataset),
        commit: () => (datasets = [...datasets.filter((d) => d.name !== dataset.name), dataset]),
      };
    }
    const datasetPath = DATASET_PATH.exec(path);
    if (datasetPath && method === 'GET') {
      const dataset = datasets.find((d) => d.name === decodeURIComponent(datasetPath[1] ?? ''));
      if (!dataset) throw new HttpError(404, 'dataset not found');
      return { status: 200, response: datasetResponse(dataset), commit: () => undefined };
    }
    if (path === DATASET_ITEMS_PATH && method === 'POST') {
      const request = parse(datasetItemBodySchema, body);
      const dataset = datasets.find((d) => d.name === request.datasetName);
      if (!dataset) throw new HttpError(404, `dataset ${request.datasetName} not found`);
      const item: ReceivedDatasetItem = {
        id: request.id ?? randomUUID(),
        datasetId: dataset.id,
        datasetName: dataset.name,
        input: request.input ?? null,
        expectedOutput: request.expectedOutput ?? null,
        metadata: request.metadata ?? null,
      };
      return {
        status: 200,
        response: itemResponse(item),
        commit: () => (datasetItems = [...datasetItems.filter((i) => i.id !== item.id), item]),
      };
    }
    if (path === DATASET_ITEMS_PATH && method === 'GET') {
      const items = datasetItems.filter((i) => i.datasetName === query.get('datasetName'));
      const limit = Number(query.get('limit') ?? 50);
      const page = Number(query.get('page') ?? 1);
      return {
        status: 200,
        response: {
          data: items.slice((page - 1) * limit, page * limit).map(itemResponse),
          meta: { page, limit, totalItems: items.length, totalPages: Math.max(1, Math.ceil(items.length / limit)) },
        },
        commit: () => undefined,
      };
    }
    if (path === DATASET_RUN_ITEMS_PATH && method === 'POST') {
      const request = parse(datasetRunItemBodySchema, body);
      const item = datasetItems.find((i) => i.id === request.datasetItemId);
      if (!item) throw new HttpError(404, `dataset item ${request.datasetItemId} not found`);
      const runKey = `${item.datasetId}/${request.runName}`;
      const datasetRunId = datasetRuns.get(runKey) ?? randomUUID();
      const runItem: ReceivedDatasetRunItem = {
        id: randomUUID(),
        datasetRunId,
        runName: request.runName,
        datasetItemId: request.datasetItemId,
        traceId: request.traceId,
        observationId: request.observationId ?? null,
        metadata: request.metadata ?? null,
      };
      return {
        status: 200,
        response: { ...runItem, datasetRunName: request.runName, createdAt: now(), updatedAt: now() },
        commit: () => {
          datasetRuns.set(runKey, datasetRunId);
          datasetRunItems.push(runItem);
        },
      };
    }
    return null;
  };

  /** Parses and answers one authorised request; returns what to store once the 2xx is sent. */
  const handle = (
    req: IncomingMessage,
    path: string,
    body: Buffer,
  ): { status: number; response: unknown; commit: () => void } => {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const api = handleApi(req.method ?? 'GET', path, new URL(req.url ?? '/', 'http://receiver').searchParams, body);
    if (api) return api;
    if (req.method !== 'POST') throw new HttpError(405, 'method not allowed');
    if (path === OTEL_PATH) {
      let decoded: ReceivedSpan[];
      if (contentType === 'application/x-protobuf' || contentType === 'application/protobuf') {
        decoded = flattenTraceRequest(decodeProtobufTraceRequest(body), 'protobuf');
      } else if (contentType === 'application/json') {
        decoded = flattenTraceRequest(JSON.parse(body.toString('utf8')) as unknown, 'json');
      } else {
        throw new HttpError(415, `unsupported content type ${contentType || '(none)'}`);
      }
      return { status: 200, response: {}, commit: () => spans.push(...decoded) };
    }
    if (path === INGESTION_PATH) {
      const parsed = ingestionSchema.safeParse(JSON.parse(body.toString('utf8')) as unknown);
      if (!parsed.success) throw new HttpError(400, parsed.error.message);
      const events: IngestionEvent[] = parsed.data.batch.map((e) => ({
        id: e.id,
        type: e.type,
        timestamp: e.timestamp ?? null,
        body: e.body,
      }));
      const newScores: ReceivedScore[] = [];
      for (const event of events) {
        if (event.type !== 'score-create') continue;
        const score = scoreBodySchema.safeParse(event.body);
        if (!score.success) throw new HttpError(400, `score-create ${event.id}: ${score.error.message}`);
        newScores.push(toScore(score.data, 'ingestion'));
      }
      return {
        status: 207,
        response: { successes: events.map((e) => ({ id: e.id, status: 201 })), errors: [] },
        commit: () => {
          ingestionEvents.push(...events);
          scores.push(...newScores);
        },
      };
    }
    if (path === SCORES_PATH) {
      const parsed = scoreBodySchema.safeParse(JSON.parse(body.toString('utf8')) as unknown);
      if (!parsed.success) throw new HttpError(400, parsed.error.message);
      const score = toScore(parsed.data, 'scores-api');
      return { status: 200, response: { id: score.id ?? randomUUID() }, commit: () => scores.push(score) };
    }
    throw new HttpError(404, `no route ${path}`);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const entry: ReceivedRequest = {
      method: req.method ?? 'GET',
      path,
      contentType: req.headers['content-type'] ?? null,
      contentEncoding: req.headers['content-encoding'] ?? null,
      bytes: 0,
      decodedBytes: 0,
      authorized: req.headers.authorization === expectedAuth,
      status: null,
      mode: describeMode(mode),
      at: Date.now(),
    };
    requests.push(entry);
    const answer = (status: number, body: unknown, headers?: Record<string, string>): void => {
      if (res.destroyed || res.writableEnded) return;
      entry.status = status;
      send(res, status, body, headers);
    };

    if (path === HEALTH_PATH && req.method === 'GET') {
      answer(200, { status: 'OK', version: 'receiver' });
      return;
    }
    const current = mode;
    if (current === 'reset') {
      req.socket.resetAndDestroy();
      notify();
      return;
    }

    void readBody(req)
      .then(async (raw) => {
        entry.bytes = raw.length;
        if (current === 'hang') return;
        if (typeof current === 'object' && 'status' in current) {
          const headers: Record<string, string> =
            current.retryAfterSeconds === undefined ? {} : { 'retry-after': String(current.retryAfterSeconds) };
          answer(current.status, { message: `receiver mode status ${current.status}` }, headers);
          return;
        }
        if (!entry.authorized) {
          // Langfuse's wording, so a log line about wrong keys reads the same against both.
          answer(401, { message: 'Invalid credentials. Confirm that you have used the correct host.' });
          return;
        }
        let outcome: ReturnType<typeof handle>;
        try {
          const decoded = decompress(raw, req.headers['content-encoding']);
          entry.decodedBytes = decoded.length;
          outcome = handle(req, path, decoded);
        } catch (error) {
          if (error instanceof HttpError) answer(error.status, { message: error.message });
          else answer(400, { message: error instanceof Error ? error.message : String(error) });
          return;
        }
        if (typeof current === 'object' && 'delayMs' in current) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              timers.delete(timer);
              resolve();
            }, current.delayMs);
            timers.add(timer);
          });
        }
        if (res.destroyed || closed) return;
        outcome.commit();
        answer(outcome.status, outcome.response);
      })
      .catch((error: unknown) => {
        answer(500, { message: error instanceof Error ? error.message : String(error) });
      })
      .finally(notify);
  };

  const server: Server = createServer({ keepAlive: true }, onRequest);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, HOST, () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });

  const stopListening = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) {
        for (const socket of sockets) socket.destroy();
        resolve();
        return;
      }
      server.close(() => resolve());
      // Open keep-alive connections would otherwise keep being served: refusal must be total.
      for (const socket of sockets) socket.destroy();
    });

  const port = await listen(options.port ?? 0);
  const url = `http://${HOST}:${port}`;

  const receiver: LangfuseReceiver = {
    url,
    port,
    tracingEnv: () => ({
      LANGFUSE_PUBLIC_KEY: options.publicKey,
      LANGFUSE_SECRET_KEY: options.secretKey,
      LANGFUSE_BASE_URL: url,
      LANGFUSE_FLUSH_INTERVAL_MS: '100',
    }),
    get spans() {
      return spans;
    },
    spansByTrace(traceId) {
      const byId = new Map<string, ReceivedSpan>();
      for (const span of spans) if (span.traceId === traceId) byId.set(span.spanId, span);
      return [...byId.values()];
    },
    traceIds() {
      return [...new Set(spans.map((span) => span.traceId))];
    },
    get scores() {
      return scores;
    },
    get ingestionEvents() {
      return ingestionEvents;
    },
    get requests() {
      return requests;
    },
    get datasets() {
      return datasets;
    },
    get datasetItems() {
      return datasetItems;
    },
    get datasetRunItems() {
      return datasetRunItems;
    },
    addPrompt(prompt) {
      // A label belongs to one version at a time, as in Langfuse.
      for (const other of prompts) if (other.name === prompt.name) other.labels = other.labels.filter((l) => !prompt.labels.includes(l));
      prompts.push({ ...prompt, labels: [...prompt.labels] });
    },
    get mode() {
      return mode;
    },
    waitFor(predicate, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const result = predicate(receiver);
          if (result === null || result === undefined || result === false) return false;
          finish();
          resolve(result);
          return true;
        };
        const poll = setInterval(() => void check(), 50);
        const deadline = setTimeout(() => {
          finish();
          reject(
            new Error(
              `receiver.waitFor timed out after ${timeoutMs} ms (spans ${spans.length}, scores ${scores.length}, ` +
                `requests ${requests.length}, mode ${describeMode(mode)})`,
            ),
          );
        }, timeoutMs);
        const waiter = (): void => void check();
        const finish = (): void => {
          clearInterval(poll);
          clearTimeout(deadline);
          waiters.delete(waiter);
        };
        waiters.add(waiter);
        check();
      });
    },
    async setMode(next) {
      const wasRefusing = mode === 'refuse';
      mode = next;
      if (closed) return;
      if (next === 'refuse' && !wasRefusing) await stopListening();
      // Requests parked by an earlier 'hang' stay parked, as with a real hung server, until close().
      if (next !== 'refuse' && wasRefusing) await listen(port);
    },
    reset() {
      spans = [];
      scores = [];
      ingestionEvents = [];
      requests = [];
      datasets = [];
      datasetItems = [];
      datasetRunItems = [];
      datasetRuns.clear();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await stopListening();
      notify();
    },
  };
  return receiver;
}
