import pg from 'pg';
import type { Database, QueryResult, Transaction } from './database.js';

const INT8_OID = 20;

/**
 * PGlite returns bigint columns as numbers, node-postgres as strings; parsing int8 as a number here keeps
 * row shapes identical on both backends (ids stay far below 2^53).
 */
const typeOverrides = new pg.TypeOverrides();
typeOverrides.setTypeParser(INT8_OID, (value: string) => Number(value));

export interface PostgresOptions {
  max?: number;
  /** Called for errors on idle pooled connections, which would otherwise crash the process. */
  onIdleError?: (error: Error) => void;
}

/** Server PostgreSQL through a `pg` connection pool. */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: typeOverrides });
  pool.on('error', (error) => options.onIdleError?.(error));
  // Fail at start-up with the server's own message rather than on the first request.
  const client = await pool.connect().catch(async (error: unknown) => {
    await pool.end().catch(() => undefined);
    throw error;
  });
  client.release();
  let vector: boolean | undefined;

  return {
    kind: 'postgres',
    async query<Row>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
      const result = await pool.query(sql, params);
      return { rows: result.rows as Row[] };
    },
    async exec(sql: string): Promise<void> {
      await pool.query(sql);
    },
    async transaction<T>(run: (tx: Transaction) => Promise<T>): Promise<T> {
      const connection = await pool.connect();
      const tx: Transaction = {
        async query<Row>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
          const result = await connection.query(sql, params);
          return { rows: result.rows as Row[] };
        },
        async exec(sql: string): Promise<void> {
          await connection.query(sql);
        },
      };
      let broken = false;
      try {
        await connection.query('BEGIN');
        const value = await run(tx);
        await connection.query('COMMIT');
        return value;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
        connection.release(broken);
      }
    },
    async hasVector(): Promise<boolean> {
      // Cached once known; `migrate` enables the extension before anything asks.
      if (vector === undefined) {
        const result = await pool.query<{ installed: boolean }>(
          "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS installed",
        );
        vector = result.rows[0]?.installed === true;
      }
      return vector;
    },
    close: () => pool.end(),
  };
}
