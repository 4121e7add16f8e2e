import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';

const pageUrl = new URL('./public/index.html', import.meta.url);

/** The chat page: one static HTML file that talks to the same JSON API as everyone else. */
export const webRoutes: FastifyPluginAsync = async (server) => {
  const page = await readFile(pageUrl, 'utf8');
  server.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'")
      .send(page),
  );
};
