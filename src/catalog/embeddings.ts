/**
 * Optional embedding ranking: wines are embedded once per model (lazily, on the first semantic query),
 * the query on every call, and wines are ranked by cosine similarity: inside Postgres when pgvector is
 * installed, in the app otherwise.
 */
import { lazyOpenAIClient } from '../llm/index.js';
import type { Database } from '../db/index.js';
import { describeForEmbedding } from './descriptors.js';
import type { WineRow } from './rows.js';
import { WINE_COLUMNS, wineFromRow } from './rows.js';

export interface EmbeddingsConfig {
  baseUrl: string;
  model: string;
  apiKey: string | undefined;
}

export type EmbedTexts = (texts: string[]) => Promise<number[][]>;

export function createEmbedder(config: EmbeddingsConfig, options: { timeoutMs?: number; maxRetries?: number } = {}): EmbedTexts {
  const client = lazyOpenAIClient({
    baseURL: config.baseUrl,
    apiKey: config.apiKey,
    timeout: options.timeoutMs ?? 15_000,
    maxRetries: options.maxRetries ?? 1,
  });
  return async (texts) => {
    const response = await (await client()).embeddings.create({ model: config.model, input: texts, encoding_format: 'float' });
    const vectors = [...response.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
    if (vectors.length !== texts.length || vectors.some((vector) => !Array.isArray(vector) || vector.length === 0)) {
      throw new Error(`embeddings endpoint returned ${vectors.length} vectors for ${texts.length} texts`);
    }
    return vectors;
  };
}

const EMBED_BATCH = 64;

/** Embeds every wine that has no vector for `model` yet, or whose text changed since. Returns how many. */
export async function embedMissingWines(db: Database, model: string, embed: EmbedTexts): Promise<number> {
  const missing = await db.query<WineRow & { hash: string }>(
    `SELECT ${WINE_COLUMNS}, md5(w.search_text) AS hash FROM wines w
       LEFT JOIN wine_embeddings e ON e.wine_id = w.id AND e.model = $1
      WHERE e.wine_id IS NULL OR e.content_hash <> md5(w.search_text)
      ORDER BY w.id`,
    [model],
  );
  for (let start = 0; start < missing.rows.length; start += EMBED_BATCH) {
    const batch = missing.rows.slice(start, start + EMBED_BATCH);
    const vectors = await embed(batch.map((row) => describeForEmbedding(wineFromRow(row))));
    const params: unknown[] = [model];
    const tuples = batch.map((row, index) => {
      params.push(row.id, vectors[index], row.hash);
      const base = params.length;
      return `($${base - 2}::integer, $1, $${base - 1}::real[], $${base})`;
    });
    await db.query(
      `INSERT INTO wine_embeddings (wine_id, model, vector, content_hash) VALUES ${tuples.join(', ')}
       ON CONFLICT (wine_id, model) DO UPDATE SET vector = EXCLUDED.vector, content_hash = EXCLUDED.content_hash,
         created_at = now()`,
      params,
    );
  }
  return missing.rows.length;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a[index] ?? 0;
    const y = b[index] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** Wine vectors of one model kept in memory, so app-side ranking does not re-read them per query. */
export class VectorCache {
  private vectors = new Map<number, Float32Array>();

  async load(db: Database, model: string): Promise<void> {
    const rows = await db.query<{ wine_id: number; vector: number[] }>(
      'SELECT wine_id, vector FROM wine_embeddings WHERE model = $1',
      [model],
    );
    this.vectors = new Map(rows.rows.map((row) => [row.wine_id, Float32Array.from(row.vector)]));
  }

  get size(): number {
    return this.vectors.size;
  }

  /** The `limit` best wine ids among `candidates` (all wines when null). */
  rank(query: number[], candidates: number[] | null, limit: number): { id: number; score: number }[] {
    const ids = candidates ?? [...this.vectors.keys()];
    const scored: { id: number; score: number }[] = [];
    for (const id of ids) {
      const vector = this.vectors.get(id);
      if (vector) scored.push({ id, score: cosine(query, vector) });
    }
    return scored.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, limit);
  }
}
