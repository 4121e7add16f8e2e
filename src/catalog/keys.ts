import type { Queryable } from '../db/index.js';
import { fold } from './normalize.js';

const MIN_REFRESH_MS = 5_000;

/**
 * The distinct grape and pairing keys in the catalog, for filter words the vocabulary does not know
 * ("touriga", "tomato"): matching them here and then filtering with the indexed `&&` avoids scanning
 * every wine's keys, which on a large catalog with no match means reading the whole table.
 */
export class KnownKeys {
  private cache: { grapes: string[]; pairings: string[]; loadedAt: number } | null = null;

  constructor(private readonly db: Queryable) {}

  private async load(): Promise<{ grapes: string[]; pairings: string[]; loadedAt: number }> {
    const result = await this.db.query<{ grapes: string[]; pairings: string[] }>(
      `SELECT ARRAY(SELECT DISTINCT unnest(grape_keys) FROM wines) AS grapes,
              ARRAY(SELECT DISTINCT unnest(pairing_keys) FROM wines) AS pairings`,
    );
    const row = result.rows[0] ?? { grapes: [], pairings: [] };
    this.cache = { grapes: row.grapes, pairings: row.pairings, loadedAt: Date.now() };
    return this.cache;
  }

  /** Stored keys containing the folded term; reloads once on a miss so freshly imported wines are found. */
  async matching(kind: 'grapes' | 'pairings', term: string): Promise<string[]> {
    const needle = fold(term);
    const find = (keys: { grapes: string[]; pairings: string[] }) => keys[kind].filter((key) => key.includes(needle));
    const cached = this.cache ?? (await this.load());
    const found = find(cached);
    if (found.length > 0 || Date.now() - cached.loadedAt < MIN_REFRESH_MS) return found;
    return find(await this.load());
  }
}
