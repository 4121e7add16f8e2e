import fastifyPlugin from 'fastify-plugin';

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
 * Closing the server, with Fastify's own pieces: it stops routing (new requests on open connections get
 * 503, `return503OnClosing`), Node closes idle keep-alive sockets (`forceCloseConnections: 'idle'`), and
 * `onClose` hooks run after the listening socket closed. Two gaps remain, filled here: a socket whose request
 * finishes during the drain would stay open until its keep-alive timeout, and a client that never reads its
 * response would hold the drain forever.
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
    // Runs once a response is written out: its socket is idle now, and the drain need not wait for it.
    server.addHook('onResponse', async () => {
      if (closing) server.server.closeIdleConnections();
    });
    server.addHook('onClose', async () => {
      clearTimeout(grace);
      await owned?.close();
    });
  },
  { name: 'sommelier-shutdown', fastify: '5.x' },
);
