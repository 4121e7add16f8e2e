import type { Database } from './database.js';

export interface Migration {
  version: number;
  name: string;
  /** Plain SQL that must run unchanged on PGlite and on server Postgres. */
  sql: string;
}

/** Any constant works; it only has to be the same for every process migrating this database. */
const MIGRATION_LOCK_KEY = 727_140_001;

const WINE_TYPE_LIST = "'red', 'white', 'rose', 'sparkling', 'dessert', 'port'";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'wine catalog',
    sql: `
      CREATE TABLE wines (
        id integer PRIMARY KEY,
        name text NOT NULL,
        type text NOT NULL CHECK (type IN (${WINE_TYPE_LIST})),
        elaborate text,
        grapes text[] NOT NULL DEFAULT '{}',
        pairings text[] NOT NULL DEFAULT '{}',
        body text CHECK (body IN ('very_light', 'light', 'medium', 'full', 'very_full')),
        -- Ranks make "lighter than" and range filters plain integer comparisons.
        body_rank smallint GENERATED ALWAYS AS (
          CASE body WHEN 'very_light' THEN 1 WHEN 'light' THEN 2 WHEN 'medium' THEN 3
                    WHEN 'full' THEN 4 WHEN 'very_full' THEN 5 END) STORED,
        acidity text CHECK (acidity IN ('low', 'medium', 'high')),
        acidity_rank smallint GENERATED ALWAYS AS (
          CASE acidity WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 END) STORED,
        abv real CHECK (abv >= 0 AND abv <= 100),
        country text,
        region text,
        winery text,
        website text,
        vintages text[] NOT NULL DEFAULT '{}',
        rating real CHECK (rating >= 0 AND rating <= 5),
        rating_count integer NOT NULL DEFAULT 0 CHECK (rating_count >= 0),
        price numeric(12, 2) CHECK (price >= 0),
        currency text,
        stock integer CHECK (stock >= 0),
        -- Lower-cased, accent-free match keys written by the importer (no unaccent extension on PGlite).
        country_key text,
        region_key text,
        grape_keys text[] NOT NULL DEFAULT '{}',
        pairing_keys text[] NOT NULL DEFAULT '{}',
        -- Every field plus derived descriptors, built by the importer; ranked with ts_rank.
        search_text text NOT NULL DEFAULT '',
        search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
        source text NOT NULL DEFAULT 'xwines',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX wines_type_idx ON wines (type);
      CREATE INDEX wines_country_key_idx ON wines (country_key);
      CREATE INDEX wines_region_key_idx ON wines (region_key);
      CREATE INDEX wines_grape_keys_idx ON wines USING gin (grape_keys);
      CREATE INDEX wines_pairing_keys_idx ON wines USING gin (pairing_keys);
      CREATE INDEX wines_search_idx ON wines USING gin (search_vector);
      CREATE INDEX wines_rating_idx ON wines (rating DESC NULLS LAST, rating_count DESC, id);

      CREATE TABLE wine_embeddings (
        wine_id integer NOT NULL REFERENCES wines (id) ON DELETE CASCADE,
        model text NOT NULL,
        vector real[] NOT NULL,
        -- Hash of the embedded text: a wine whose text changed is embedded again.
        content_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (wine_id, model)
      );
    `,
  },
  {
    version: 2,
    name: 'conversations and feedback',
    sql: `
      CREATE TABLE conversation_messages (
        id bigserial PRIMARY KEY,
        session_id text NOT NULL,
        role text NOT NULL,
        content text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX conversation_messages_session_idx ON conversation_messages (session_id, id);

      CREATE TABLE feedback (
        id uuid PRIMARY KEY,
        trace_id text NOT NULL,
        value smallint NOT NULL,
        comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        UNIQUE (trace_id)
      );
    `,
  },
  {
    version: 3,
    name: 'an index for every sort order',
    // Broad filters ("Italian, not sweet") match tens of thousands of wines in a large catalog; with an
    // index in the requested order the first few matches come straight off it instead of sorting them all.
    // Each index matches its ORDER BY in src/catalog/filters.ts exactly (directions and NULLS placement).
    sql: `
      CREATE INDEX wines_popularity_idx ON wines (rating_count DESC, rating DESC NULLS LAST, id);
      CREATE INDEX wines_abv_asc_idx ON wines (abv ASC NULLS LAST, rating DESC NULLS LAST, id);
      CREATE INDEX wines_abv_desc_idx ON wines (abv DESC NULLS LAST, rating DESC NULLS LAST, id);
      CREATE INDEX wines_price_asc_idx ON wines (price ASC NULLS LAST, rating DESC NULLS LAST, id);
      CREATE INDEX wines_price_desc_idx ON wines (price DESC NULLS LAST, rating DESC NULLS LAST, id);
      CREATE INDEX wines_name_idx ON wines (name, id);
    `,
  },
  {
    version: 4,
    name: 'orange wine and a rating order that is fair to unrated wines',
    // rank_score is the average rating shrunk towards a neutral 3.7 (about the X-Wines mean) by 10 imagined
    // votes: 4.8 from 13 people no longer outranks 4.7 from 600, and a shop's unrated wine ranks mid-field
    // instead of below every rated one. A rating without a count counts as one vote. The index serves the
    // default order (src/catalog/filters.ts) exactly.
    sql: `
      ALTER TABLE wines DROP CONSTRAINT IF EXISTS wines_type_check;
      ALTER TABLE wines ADD CONSTRAINT wines_type_check
        CHECK (type IN ('red', 'white', 'rose', 'orange', 'sparkling', 'dessert', 'port'));
      ALTER TABLE wines ADD COLUMN rank_score real GENERATED ALWAYS AS ((
        (COALESCE(rating, 0) * (CASE WHEN rating IS NULL THEN 0 ELSE GREATEST(rating_count, 1) END) + 37)
        / ((CASE WHEN rating IS NULL THEN 0 ELSE GREATEST(rating_count, 1) END) + 10))::real) STORED;
      CREATE INDEX wines_rank_idx ON wines (rank_score DESC, rating_count DESC, id);
    `,
  },
  {
    version: 5,
    name: 'answers: ids, traces and recommendations kept with the turn; feedback per answer',
    // An answer is found by its id (every answer, traced or not) or by its trace id, always within the session
    // it was given to. Feedback is one row per answer; a vote on an untraced answer has no trace id.
    sql: `
      ALTER TABLE conversation_messages
        ADD COLUMN answer_id uuid,
        ADD COLUMN trace_id text,
        ADD COLUMN recommendation_ids integer[];
      CREATE UNIQUE INDEX conversation_messages_answer_idx ON conversation_messages (answer_id);
      CREATE INDEX conversation_messages_trace_idx ON conversation_messages (trace_id) WHERE trace_id IS NOT NULL;

      ALTER TABLE feedback ADD COLUMN answer_id uuid;
      ALTER TABLE feedback ALTER COLUMN trace_id DROP NOT NULL;
      CREATE UNIQUE INDEX feedback_answer_idx ON feedback (answer_id);
    `,
  },
  {
    version: 6,
    name: 'indexes for the retention sweep',
    // The hourly sweep (src/db/retention.ts) deletes by age; without these it reads both tables whole.
    sql: `
      CREATE INDEX conversation_messages_created_at_idx ON conversation_messages (created_at);
      CREATE INDEX feedback_updated_at_idx ON feedback (updated_at);
    `,
  },
];

/**
 * Applies pending migrations, each in its own transaction under an advisory lock so that two processes
 * starting against one server never apply the same version twice. Returns the versions applied now.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const ran = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await tx.exec(`
        CREATE TABLE IF NOT EXISTS schema_migrations (
          version integer PRIMARY KEY,
          name text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`);
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.rows.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  await enableVectorIfAvailable(db);
  return applied;
}

/**
 * pgvector is optional and outside the versioned migrations (it is a server package, not schema):
 * enabled when the server offers it and we may create it, silently skipped otherwise.
 */
async function enableVectorIfAvailable(db: Database): Promise<void> {
  if (db.kind !== 'postgres') return;
  const available = await db.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
  if (available.rows.length === 0) return;
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector').catch(() => undefined);
}
