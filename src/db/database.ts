export interface QueryResult<Row> {
  rows: Row[];
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
}

/** A transaction handle; `exec` runs several statements (used by migrations). */
export interface Transaction extends Queryable {
  exec(sql: string): Promise<void>;
}

/**
 * The one database surface the app uses; implemented over embedded PGlite and over server Postgres (`pg`),
 * so every SQL statement in the project must run unchanged on both.
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** The memory settings the embedded database was started with (`auto` resolved); absent for server Postgres. */
  readonly memory?: Readonly<{ sharedBuffers: string; workMem: string }>;
  /** Several statements separated by semicolons, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  transaction<T>(run: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Whether the pgvector extension is available (never on PGlite 0.5). */
  hasVector(): Promise<boolean>;
  close(): Promise<void>;
}
