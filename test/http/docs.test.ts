/** `/docs`: the OpenAPI document describes every route, field and status with real examples. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  requestBody?: { content: Record<string, { schema: Schema; examples?: Record<string, { value: unknown }>; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema; example?: unknown; examples?: unknown }> }>;
}
interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
}

describe('/docs (OpenAPI)', () => {
  let app: TestApp;
  let openapi: OpenApi;

  beforeAll(async () => {
    app = await startTestApp();
    openapi = (await (await app.get('/docs/json')).json()) as OpenApi;
  });
  afterAll(() => app?.dispose());

  const operations = () => Object.entries(openapi.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

  it('documents the API, health, readiness, metrics, feedback and sessions, each with a summary and a tag', () => {
    const listed = operations().map(({ path, method }) => `${method.toUpperCase()} ${path}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        'POST /api/v1/chat',
        'POST /api/v1/feedback',
        'GET /api/v1/sessions/{sessionId}/messages',
        'GET /api/v1/wines',
        'GET /api/v1/wines/{id}',
        'GET /healthz',
        'GET /readyz',
        'GET /metrics',
      ]),
    );
    // The page and its files are not API.
    expect(listed.filter((entry) => entry.includes('/assets/') || entry === 'GET /')).toEqual([]);
    for (const { path, op } of operations()) {
      expect(op.summary, path).toBeTruthy();
      expect(op.tags?.length, path).toBeGreaterThan(0);
    }
  });

  it('labels every response of every route (no "Default Response") and lists the error statuses', () => {
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        expect(response.description, `${method} ${path} ${status}`).not.toBe('Default Response');
        expect(response.description.length, `${method} ${path} ${status}`).toBeGreaterThan(3);
      }
    }
    // Every status each route can send (test/http/statuses.test.ts provokes them): its own, the token's
    // (401 under /api and /metrics), a body's (413, 415), the rate limit's (429), and any route's (400, 500,
    // 503 while the server drains).
    const statuses = (path: string, method = 'get') => Object.keys(openapi.paths[path]![method]!.responses).sort();
    expect(statuses('/api/v1/chat', 'post')).toEqual(['200', '400', '401', '403', '413', '415', '429', '500', '502', '503']);
    expect(statuses('/api/v1/feedback', 'post')).toEqual(['200', '400', '401', '403', '404', '413', '415', '429', '500', '503']);
    expect(statuses('/api/v1/sessions/{sessionId}/messages')).toEqual(['200', '400', '401', '403', '500', '503']);
    expect(statuses('/api/v1/wines')).toEqual(['200', '400', '401', '500', '503']);
    expect(statuses('/api/v1/wines/{id}')).toEqual(['200', '400', '401', '404', '500', '503']);
    expect(statuses('/metrics')).toEqual(['200', '400', '401', '500', '503']);
    expect(statuses('/healthz')).toEqual(['200', '400', '500', '503']);
    expect(statuses('/readyz')).toEqual(['200', '400', '500', '503']);
    // The stream is documented as a second content type of the same 200.
    expect(Object.keys(openapi.paths['/api/v1/chat']!.post!.responses['200']!.content ?? {}).sort()).toEqual(['application/json', 'text/event-stream']);
  });

  it('gives real request examples in Russian and English, and describes the fields', () => {
    const chat = openapi.paths['/api/v1/chat']!.post!.requestBody!.content['application/json']!;
    const examples = Object.values(chat.examples ?? {}).map((example) => example.value as { message: string });
    expect(examples.some((example) => /[а-яё]/i.test(example.message))).toBe(true);
    expect(examples.some((example) => /^[a-z ,0-9%]+$/i.test(example.message))).toBe(true);
    // Real questions, not the generator's placeholder.
    expect(JSON.stringify(chat.examples)).not.toContain('"string"');
    for (const field of ['message', 'sessionId', 'sessionToken']) {
      expect(chat.schema.properties?.[field]?.description, field).toBeTruthy();
    }
    const answer = openapi.paths['/api/v1/chat']!.post!.responses['200']!.content!['application/json']!;
    for (const field of ['reply', 'recommendations', 'answerId', 'sessionId', 'sessionToken', 'traceId']) {
      expect(answer.schema.properties?.[field]?.description, field).toBeTruthy();
    }
    const feedback = openapi.paths['/api/v1/feedback']!.post!.requestBody!.content['application/json']!;
    expect(Object.keys(feedback.examples ?? {}).length + (feedback.example ? 1 : 0)).toBeGreaterThan(0);
  });
});
