/**
 * `fetch` for the OpenAI SDK over node:http/https with keep-alive agents.
 *
 * Why: Node's global fetch (undici) wraps every request and response body in web streams and re-validates
 * headers on each step; profiled on the chat path it was the largest single cost of an LLM call on our
 * side (see docs/BENCHMARKS.md, "CPU per LLM chat"). The SDK stays: its retries, timeouts, error types and
 * SSE parsing are unchanged, only the transport under it is cheaper.
 *
 * Scope: what the SDK sends — a string or byte body, headers, an abort signal. Anything else (a streamed
 * request body, a `Request` object) and every redirect go to the global fetch, which handles them fully.
 * A JSON answer is read whole before the Response is made (no web stream per chunk); an event stream is
 * handed over as it arrives.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { pipeline, Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/** Statuses whose Response must not have a body (the constructor throws otherwise). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function abortError(signal: AbortSignal): unknown {
  return signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError');
}

function outgoingHeaders(headers: RequestInit['headers'], body: string | Uint8Array | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      out[name] = value;
    });
  } else if (Array.isArray(headers)) {
    for (const [name, value] of headers) if (name !== undefined && value !== undefined) out[name.toLowerCase()] = value;
  } else if (headers) {
    for (const [name, value] of Object.entries(headers as Record<string, string>)) out[name.toLowerCase()] = value;
  }
  if (body !== undefined) out['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  return out;
}

function responseHeaders(message: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = message.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/** The body as sent, decompressed when the server compressed it anyway (we never ask it to). */
function decoded(message: IncomingMessage): Readable {
  const encoding = (message.headers['content-encoding'] ?? '').trim().toLowerCase();
  let decoder: Transform | null = null;
  if (encoding === 'gzip' || encoding === 'x-gzip') decoder = createGunzip();
  else if (encoding === 'deflate') decoder = createInflate();
  else if (encoding === 'br') decoder = createBrotliDecompress();
  // pipeline: an error or abort on either side ends both (the reader sees it).
  return decoder ? pipeline(message, decoder, () => undefined) : message;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * Sends the request once; again, once, when a kept-alive socket turns out to have been closed by the
 * server meanwhile (the request never reached it: the retry Node's documentation recommends).
 */
function send(url: URL, init: RequestInit, body: string | Uint8Array | undefined, signal: AbortSignal | undefined, retry = true): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    const options = { method: init.method ?? 'GET', headers: outgoingHeaders(init.headers, body) };
    const req =
      url.protocol === 'https:' ? httpsRequest(url, { ...options, agent: httpsAgent }) : httpRequest(url, { ...options, agent: httpAgent });
    const onAbort = (): void => {
      const error = abortError(signal!);
      req.destroy(error instanceof Error ? error : undefined);
      reject(error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.once('error', (error: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      if (retry && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE') && !signal?.aborted) {
        resolve(send(url, init, body, signal, false));
        return;
      }
      reject(error);
    });
    req.once('response', (response) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(response);
    });
    req.end(body);
  });
}

export async function nodeHttpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const body = init.body ?? undefined;
  const simpleBody = body === undefined || typeof body === 'string' || body instanceof Uint8Array;
  const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : null;
  if (!url || !simpleBody || (url.protocol !== 'http:' && url.protocol !== 'https:')) return fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) throw abortError(signal);

  const message = await send(url, init, body, signal);
  const status = message.statusCode ?? 0;
  if (status >= 300 && status < 400 && message.headers.location) {
    // Redirects are rare for an API; the global fetch applies the rules for each status.
    message.resume();
    return fetch(input, init);
  }
  const headers = responseHeaders(message);
  const init2: ResponseInit = { status, statusText: message.statusMessage ?? '', headers };
  if (NULL_BODY.has(status) || init.method === 'HEAD') {
    message.resume();
    return new Response(null, init2);
  }
  const stream = decoded(message);
  // Aborting after the headers (the SDK's timeout, the caller's signal) ends the body too.
  const onAbort = (): void => {
    stream.destroy(abortError(signal!) as Error);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => signal?.removeEventListener('abort', onAbort));
  if (/^text\/event-stream/i.test(message.headers['content-type'] ?? '')) {
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, init2);
  }
  return new Response(await readAll(stream), init2);
}
