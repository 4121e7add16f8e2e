import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { createCatalog } from '../../src/catalog/index.js';
import { databaseBackends, openForSuite } from '../support/database.js';

/** Dimensions of the fake model: a text's vector counts these words, so similar topics point the same way. */
const DIMENSIONS = ['oyster', 'shellfish', 'seafood', 'beef', 'steak', 'sparkling', 'celebration', 'sweet', 'dessert', 'red', 'white'];

function embed(text: string): number[] {
  const lower = text.toLowerCase();
  // A constant component keeps every vector non-zero.
  return [0.01, ...DIMENSIONS.map((word) => lower.split(word).length - 1)];
}

interface FakeEmbeddings {
  url: string;
  requests: { model: string; inputs: number }[];
  failing: boolean;
  close(): Promise<void>;
}

async function startFakeEmbeddings(): Promise<FakeEmbeddings> {
  const state = { requests: [] as { model: string; inputs: number }[], failing: false };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (state.failing || request.url !== '/v1/embeddings') {
        response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"model crashed"}}');
        return;
      }
      const { model, input } = JSON.parse(body) as { model: string; input: string[] };
      state.requests.push({ model, inputs: input.length });
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'list',
          model,
          data: input.map((text, index) => ({ object: 'embedding', index, embedding: embed(text) })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

describe.each(databaseBackends())('semantic search with an embeddings endpoint on $name', (backend) => {
  let db: Database;
  let fake: FakeEmbeddings;

  openForSuite(backend, async (opened) => {
    db = opened;
    fake = await startFakeEmbeddings();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('embeds the catalog once, then ranks wines by cosine similarity to the query', async () => {
    const catalog = createCatalog(db, { embeddings: { baseUrl: fake.url, model: 'fake-embed', apiKey: undefined } });
    const results = await catalog.semanticSearch({ query: 'oysters and other shellfish', limit: 5 });
    expect(catalog.lastSemanticMethod).toBe('embeddings');
    expect(results).toHaveLength(5);
    for (const { wine } of results) expect(wine.pairings).toContain('Shellfish');
    const scores = results.map((result) => result.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const embedded = fake.requests.reduce((total, request) => total + request.inputs, 0);
    expect(embedded).toBe(1007 + 1);
    expect(fake.requests.every((request) => request.model === 'fake-embed')).toBe(true);
    const stored = await db.query<{ n: number }>("SELECT count(*)::integer AS n FROM wine_embeddings WHERE model = 'fake-embed'");
    expect(stored.rows[0]!.n).toBe(1007);

    fake.requests.length = 0;
    const sparkling = await catalog.semanticSearch({ query: 'sparkling celebration', filters: { country: 'France' }, limit: 3 });
    expect(fake.requests).toEqual([{ model: 'fake-embed', inputs: 1 }]);
    expect(sparkling).toHaveLength(3);
    expect(sparkling.every(({ wine }) => wine.type === 'sparkling' && wine.country === 'France')).toBe(true);
  });

  it('reuses stored vectors in a new catalog instead of embedding again', async () => {
    fake.requests.length = 0;
    const catalog = createCatalog(db, { embeddings: { baseUrl: fake.url, model: 'fake-embed', apiKey: 'k' } });
    await catalog.semanticSearch({ query: 'steak' });
    expect(fake.requests).toEqual([{ model: 'fake-embed', inputs: 1 }]);
  });

  it('falls back to full-text search when the endpoint fails', async () => {
    fake.failing = true;
    const errors: unknown[] = [];
    const catalog = createCatalog(db, {
      embeddings: { baseUrl: fake.url, model: 'other-model', apiKey: undefined },
      onEmbeddingsError: (error) => errors.push(error),
    });
    try {
      const results = await catalog.semanticSearch({ query: 'something to go with oysters' });
      expect(catalog.lastSemanticMethod).toBe('fulltext');
      expect(results.length).toBeGreaterThan(0);
      expect(results.every(({ wine }) => wine.pairings.includes('Shellfish') || wine.pairings.includes('Seafood'))).toBe(true);
      expect(errors).toHaveLength(1);
      // Within the retry window the dead endpoint is not called again.
      await catalog.semanticSearch({ query: 'steak' });
      expect(errors).toHaveLength(1);
    } finally {
      fake.failing = false;
    }
  });
});
