import http from 'node:http';
import https from 'node:https';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { isErrnoException } from './fs-util.js';

export interface HttpAnswer {
  status: number;
  retryAfter: string | null;
  /** The first 64 KiB of the answer, for error messages and per-event results. */
  body: string;
}

export interface PostOptions {
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
  /** Covers connecting, sending and reading the whole answer: a hung server cannot hold the shipper. */
  timeoutMs: number;
}

export class RequestTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

const MAX_ANSWER_BYTES = 64 * 1024;

/** A short, stable description of a network failure for logs and metrics labels. */
export function describeNetworkError(error: unknown): { label: string; message: string } {
  if (error instanceof RequestTimeoutError) return { label: 'timeout', message: error.message };
  if (isErrnoException(error)) return { label: 'network', message: `${error.code ?? 'error'}: ${error.message}` };
  return { label: 'network', message: error instanceof Error ? error.message : String(error) };
}

/**
 * POSTs one request at a time over a kept-alive connection. Sockets are unref'd: a send in progress
 * never keeps the process alive (the data stays in the spool until Langfuse acknowledges it).
 */
export class HttpSender {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  private current: ClientRequest | null = null;

  post(options: PostOptions): Promise<HttpAnswer> {
    return new Promise<HttpAnswer>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.current === request) this.current = null;
        outcome();
      };
      const transport = options.url.protocol === 'https:' ? https : http;
      const request = transport.request(options.url, {
        method: 'POST',
        agent: options.url.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
        headers: { ...options.headers, 'content-length': String(options.body.length) },
      });
      this.current = request;
      const timer = setTimeout(() => request.destroy(new RequestTimeoutError(options.timeoutMs)), options.timeoutMs);
      timer.unref();
      request.on('socket', (socket) => socket.unref());
      request.on('error', (error) => settle(() => reject(error)));
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept >= MAX_ANSWER_BYTES) return;
          chunks.push(chunk);
          kept += chunk.length;
        });
        response.on('error', (error) => settle(() => reject(error)));
        response.on('close', () => {
          if (!response.complete) settle(() => reject(new Error('the connection closed before the answer was complete')));
        });
        response.on('end', () =>
          settle(() => {
            const header = response.headers['retry-after'];
            resolve({
              status: response.statusCode ?? 0,
              retryAfter: typeof header === 'string' ? header : null,
              body: Buffer.concat(chunks).toString('utf8', 0, Math.min(kept, MAX_ANSWER_BYTES)),
            });
          }),
        );
      });
      request.end(options.body);
    });
  }

  /** Cuts the request in progress, if any (shutdown deadline). */
  abort(reason: string): void {
    this.current?.destroy(new Error(reason));
    this.current = null;
  }

  close(): void {
    this.abort('sender closed');
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
