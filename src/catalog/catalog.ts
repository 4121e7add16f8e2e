import type { Database } from '../db/index.js';
import type { EmbeddingsConfig, EmbedTexts } from './embeddings.js';
import { createEmbedder, embedMissingWines, VectorCache } from './embeddings.js';
import type { UnknownTermKeys } from './filters.js';
import { clampLimit, filterConditions, grapeKeysFor, NO_BOOST, orderBy, pairingKeys, rankOrder, SqlParams, whereClause, type Ranking } from './filters.js';
import { KnownKeys } from './keys.js';
import { buildFullTextQuery } from './fulltext.js';
import type { WineRow } from './rows.js';
import { WINE_COLUMNS, wineFromRow } from './rows.js';
import type { Catalog, ScoredWine, SemanticQuery, Wine, WineFilters } from './types.js';

export interface CatalogOptions {
  /** From `config.embeddings`; null or absent → full-text ranking only. */
  embeddings?: EmbeddingsConfig | null;
  /** Replaces the OpenAI-SDK embedder (tests, other providers). */
  embed?: EmbedTexts;
  /** Told when the embeddings path fails and the search falls back to full text. */
  onEmbeddingsError?: (error: unknown) => void;
  /** How long a failing embeddings endpoint is left alone before it is tried again. */
  embeddingsRetryAfterMs?: number;
  /** Boosts for the shop's own and in-stock wines in the default order; none by default. */
  ranking?: Ranking;
}

export interface SemanticCatalog extends Catalog {
  /** Which ranking the last `semanticSearch` used, for traces and tests. */
  readonly lastSemanticMethod: 'embeddings' | 'fulltext' | 'fulltext-any' | 'rating' | null;
}

/** How often the catalog looks again whether it holds wines to boost. */
const BOOST_RECHECK_MS = 60_000;

export function createCatalog(db: Database, options: CatalogOptions = {}): SemanticCatalog {
  const model = options.embeddings?.model ?? 'custom';
  const embed = options.embed ?? (options.embeddings ? createEmbedder(options.embeddings) : null);
  const retryAfterMs = options.embeddingsRetryAfterMs ?? 60_000;
  const vectors = new VectorCache();
  let vectorsReady: Promise<void> | null = null;
  let vectorsCheckedAt = 0;
  let embeddingsFailedAt = -Infinity;
  let lastSemanticMethod: SemanticCatalog['lastSemanticMethod'] = null;
  const knownKeys = new KnownKeys(db);
  const configured = options.ranking ?? NO_BOOST;
  const boosting = configured.ownBoost !== 0 || configured.inStockBoost !== 0;
  let boostedExist: { at: number; exists: Promise<boolean> } | null = null;

  /**
   * The boosts only change the order when the catalog holds imported or in-stock wines; without any (the
   * bundled catalog alone) the default order stays the one its index serves. Re-checked once a minute and
   * after `invalidate()`, as an import may add some.
   */
  async function ranking(): Promise<Ranking> {
    if (!boosting) return NO_BOOST;
    if (!boostedExist || Date.now() - boostedExist.at >= BOOST_RECHECK_MS) {
      const exists = db
        .query<{ exists: boolean }>("SELECT EXISTS (SELECT 1 FROM wines WHERE source <> 'xwines' OR stock > 0) AS exists")
        .then((result) => Boolean(result.rows[0]?.exists));
      exists.catch(() => {
        boostedExist = null;
      });
      boostedExist = { at: Date.now(), exists };
    }
    return (await boostedExist.exists) ? configured : NO_BOOST;
  }

  /** Catalog keys for grape/pairing words the vocabulary does not know. */
  async function unknownTerms(filters: Pick<WineFilters, 'grape' | 'pairing'> | undefined): Promise<UnknownTermKeys> {
    const unknown: UnknownTermKeys = {};
    if (filters?.grape?.trim() && !grapeKeysFor(filters.grape)) {
      unknown.grapes = await knownKeys.matching('grapes', filters.grape);
    }
    if (filters?.pairing?.trim() && !pairingKeys(filters.pairing)) {
      unknown.pairings = await knownKeys.matching('pairings', filters.pairing);
    }
    return unknown;
  }

  async function selectWines(sql: string, params: unknown[]): Promise<Wine[]> {
    const result = await db.query<WineRow>(sql, params);
    return result.rows.map(wineFromRow);
  }

  async function searchWines(filters: WineFilters): Promise<Wine[]> {
    const params = new SqlParams();
    const where = whereClause(filterConditions(filters, params, await unknownTerms(filters)));
    const limit = params.add(clampLimit(filters.limit), 'integer');
    const offset = params.add(Math.max(0, Math.floor(filters.offset ?? 0)), 'integer');
    return selectWines(
      `SELECT ${WINE_COLUMNS} FROM wines w ${where} ORDER BY ${orderBy(filters.sort, await ranking())} LIMIT ${limit} OFFSET ${offset}`,
      params.values,
    );
  }

  async function fullTextSearch(query: SemanticQuery, limit: number): Promise<ScoredWine[]> {
    const text = buildFullTextQuery(query.query);
    if (!text) {
      lastSemanticMethod = 'rating';
      const wines = await searchWines({ ...query.filters, limit });
      return wines.map((wine) => ({ wine, score: 0 }));
    }
    for (const [method, tsquery] of [
      ['fulltext', text.all],
      ['fulltext-any', text.any],
    ] as const) {
      const params = new SqlParams();
      const queryParam = params.add(tsquery);
      const conditions = [
        `w.search_vector @@ to_tsquery('simple', ${queryParam})`,
        ...filterConditions(query.filters ?? {}, params, await unknownTerms(query.filters)),
      ];
      const rows = await db.query<WineRow & { score: number }>(
        `SELECT ${WINE_COLUMNS}, ts_rank(w.search_vector, to_tsquery('simple', ${queryParam}))::float8 AS score
           FROM wines w ${whereClause(conditions)}
          ORDER BY score DESC, ${rankOrder(await ranking())}
          LIMIT ${params.add(limit, 'integer')}`,
        params.values,
      );
      if (rows.rows.length > 0) {
        lastSemanticMethod = method;
        return rows.rows.map((row) => ({ wine: wineFromRow(row), score: row.score }));
      }
    }
    lastSemanticMethod = 'fulltext-any';
    return [];
  }

  async function ensureVectors(embedTexts: EmbedTexts): Promise<void> {
    // Re-check for new or changed wines at most once a minute; imports happen rarely.
    if (vectorsReady && Date.now() - vectorsCheckedAt < 60_000) return vectorsReady;
    vectorsCheckedAt = Date.now();
    vectorsReady = (async () => {
      await embedMissingWines(db, model, embedTexts);
      if (!(await db.hasVector())) await vectors.load(db, model);
    })();
    vectorsReady.catch(() => {
      vectorsReady = null;
    });
    return vectorsReady;
  }

  async function embeddingSearch(embedTexts: EmbedTexts, query: SemanticQuery, limit: number): Promise<ScoredWine[]> {
    await ensureVectors(embedTexts);
    const [queryVector] = await embedTexts([query.query]);
    if (!queryVector) throw new Error('embeddings endpoint returned no vector for the query');
    const params = new SqlParams();
    const conditions = filterConditions(query.filters ?? {}, params, await unknownTerms(query.filters));
    if (await db.hasVector()) {
      const vector = params.add(`[${queryVector.join(',')}]`, 'vector');
      const modelParam = params.add(model);
      const rows = await db.query<WineRow & { score: number }>(
        `SELECT ${WINE_COLUMNS}, (1 - (e.vector::vector <=> ${vector}))::float8 AS score
           FROM wines w JOIN wine_embeddings e ON e.wine_id = w.id AND e.model = ${modelParam}
           ${whereClause(conditions)}
          ORDER BY e.vector::vector <=> ${vector}, w.id LIMIT ${params.add(limit, 'integer')}`,
        params.values,
      );
      return rows.rows.map((row) => ({ wine: wineFromRow(row), score: row.score }));
    }
    const candidates =
      conditions.length === 0
        ? null
        : (await db.query<{ id: number }>(`SELECT w.id FROM wines w ${whereClause(conditions)}`, params.values)).rows.map(
            (row) => row.id,
          );
    const ranked = vectors.rank(queryVector, candidates, limit);
    const wines = new Map((await getWines(ranked.map((entry) => entry.id))).map((wine) => [wine.id, wine]));
    return ranked.flatMap((entry) => {
      const wine = wines.get(entry.id);
      return wine ? [{ wine, score: entry.score }] : [];
    });
  }

  async function semanticSearch(query: SemanticQuery): Promise<ScoredWine[]> {
    const limit = clampLimit(query.limit);
    if (embed && Date.now() - embeddingsFailedAt >= retryAfterMs) {
      try {
        const results = await embeddingSearch(embed, query, limit);
        lastSemanticMethod = 'embeddings';
        return results;
      } catch (error) {
        embeddingsFailedAt = Date.now();
        options.onEmbeddingsError?.(error);
      }
    }
    return fullTextSearch(query, limit);
  }

  async function getWines(ids: number[]): Promise<Wine[]> {
    const unique = [...new Set(ids.filter((id) => Number.isInteger(id)))];
    if (unique.length === 0) return [];
    const wines = await selectWines(`SELECT ${WINE_COLUMNS} FROM wines w WHERE w.id = ANY($1::integer[])`, [unique]);
    const byId = new Map(wines.map((wine) => [wine.id, wine]));
    return unique.flatMap((id) => byId.get(id) ?? []);
  }

  return {
    searchWines,
    semanticSearch,
    async getWine(id) {
      if (!Number.isInteger(id)) return null;
      const [wine] = await selectWines(`SELECT ${WINE_COLUMNS} FROM wines w WHERE w.id = $1::integer`, [id]);
      return wine ?? null;
    },
    getWines,
    async count() {
      const result = await db.query<{ count: number }>('SELECT count(*)::integer AS count FROM wines');
      return result.rows[0]?.count ?? 0;
    },
    get lastSemanticMethod() {
      return lastSemanticMethod;
    },
    invalidate() {
      boostedExist = null;
    },
  };
}
