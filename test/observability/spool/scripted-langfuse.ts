import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A bare Langfuse stand-in whose answers a test scripts per request, for the cases the shared receiver
 * has no mode for: a 413 only above a body size, and 207 answers with per-event errors.
 */
export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ScriptedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body after content decoding. */
  body: Buffer;
  /** Bytes on the wire. */
  wireBytes: number;
  json: unknown;
}

export interface ScriptedLangfuse {
  url: string;
  requests: ScriptedRequest[];
  /** Span ids of OTLP requests that were answered 2xx. */
  acceptedSpanIds: string[];
  /** Ingestion events answered with a 2xx status of their own. */
  acceptedEventIds: string[];
  answer(handler: (request: ScriptedRequest) => ScriptedAnswer): void;
  close(): Promise<void>;
}

interface OtlpBody {
  resourceSpans?: { scopeSpans?: { spans?: { spanId: string }[] }[] }[];
}
interface IngestionBody {
  batch?: { id: string }[];
}
interface IngestionAnswer {
  errors?: { id: string }[];
}

export async function startScriptedLangfuse(): Promise<ScriptedLangfuse> {
  let handler: (request: ScriptedRequest) => ScriptedAnswer = () => ({ status: 200, body: {} });
  const requests: ScriptedRequest[] = [];
  const acceptedSpanIds: string[] = [];
  const acceptedEventIds: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const wire = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire;
      let json: unknown = null;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = null;
      }
      const request = { path: req.url ?? '', headers: req.headers, body, wireBytes: wire.length, json };
      requests.push(request);
      const answer = handler(request);
      if (answer.status >= 200 && answer.status < 300) {
        if (request.path.endsWith('/otel/v1/traces')) {
          for (const rs of (json as OtlpBody).resourceSpans ?? []) {
            for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) acceptedSpanIds.push(span.spanId);
          }
        } else if (request.path.endsWith('/ingestion')) {
          const failed = new Set(((answer.body as IngestionAnswer | undefined)?.errors ?? []).map((e) => e.id));
          for (const event of (json as IngestionBody).batch ?? []) if (!failed.has(event.id)) acceptedEventIds.push(event.id);
        }
      }
      const text = JSON.stringify(answer.body ?? {});
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    acceptedSpanIds,
    acceptedEventIds,
    answer(next) {
      handler = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
