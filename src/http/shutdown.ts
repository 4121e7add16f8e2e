import fastifyPlugin from 'fastify-plugin';
import { SHUTTING_DOWN } from './schemas.js';

export interface ShutdownOptions {
  /** How long requests in flight may take to finish once close() starts. */
  graceMs: number;
  /**
   * What the server owns (the wired services): closed once the last connection is gone, so the spans of
   * the requests that were in flight are ended before their exporter flushes and the database closes.
   */
  owned?: { close(): Promise<void> } | undefined;
}

/**
 * Closing the server, with Fastify's own pieces: Node closes idle keep-alive sockets
 * (`forceCloseConnections: 'idle'`), and `onClose` hooks run after the listening socket closed. Filled in
 * here: a request that still arrives on an open connection (pipelined, or on a socket busy when close began)
 * is refused with our error body — Fastify's own 503 (`return503OnClosing`, off) has another shape; a socket
 * whose request finishes during the drain would stay open until its keep-alive timeout; and a client that
 * never reads its response would hold the drain forever.
 */
export const shutdownPlugin = fastifyPlugin<ShutdownOptions>(
  async (server, { graceMs, owned }) => {
    let closing = false;
    let grace: NodeJS.Timeout | undefined;
    server.addHook('preClose', async () => {
      closing = true;
      grace = setTimeout(() => server.server.closeAllConnections(), graceMs);
      grace.unref();
    });
    // Both hooks run on every request, so they are callback-style (no promise per request) and do nothing
    // until close() begins.
    // The first onRequest hook (this plugin is registered before the others): no auth, rate limit or
    // handler runs for a request the server will not serve.
    server.addHook('onRequest', (request, reply, done) => {
      if (!closing) {
        done();
        return;
      }
      // Fastify sets this too once it stops routing; said here so the client never reuses the socket.
      if (request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
      void reply.status(503).send({ error: SHUTTING_DOWN });
    });
    // Runs once a response is written out: its socket is idle now, and the drain need not wait for it.
    server.addHook('onResponse', (_request, _reply, done) => {
      if (closing) server.server.closeIdleConnections();
      done();
    });
    server.addHook('onClose', async () => {
      clearTimeout(grace);
      await owned?.close();
    });
  },
  { name: 'sommelier-shutdown', fastify: '5.x' },
);
