import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';

const publicDir = new URL('./public/', import.meta.url);

/** The page's files, read once at start: a handful of small static files, nothing generated. */
const FILES = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/assets/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/assets/i18n.js': { file: 'i18n.js', type: 'text/javascript; charset=utf-8' },
  '/assets/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/assets/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
} as const;

/**
 * Everything the page loads comes from this origin, and nothing inline runs: an injected `<script>` or
 * style attribute does nothing, and no other site may frame the page.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The chat page: static HTML, CSS and JavaScript that talk to the same JSON API as everyone else. */
export const webRoutes: FastifyPluginAsync = async (server) => {
  const loaded = await Promise.all(
    Object.entries(FILES).map(async ([path, { file, type }]) => [path, { body: await readFile(new URL(file, publicDir)), type }] as const),
  );
  for (const [path, { body, type }] of loaded) {
    server.get(path, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type(type)
        .header('content-security-policy', PAGE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        // Revalidated on every load, so a new release's page never runs against an old script.
        .header('cache-control', 'no-cache')
        .send(body),
    );
  }
};
