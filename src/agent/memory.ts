import type { Queryable } from '../db/index.js';
import { approximateBytes } from '../shared/index.js';

export interface StoredTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** What identifies an answer: kept with the assistant turn so feedback and a reloaded page can find it. */
export interface AnswerRecord {
  answerId: string;
  /** The answer's trace, when it was traced. */
  traceId: string | null;
  /** The recommended wines, in order. */
  recommendationIds: number[];
}

/** A turn to store; an assistant turn carries its answer record. */
export type TurnToStore = StoredTurn & { answer?: AnswerRecord | undefined };

/** A stored turn as the session's owner sees it again (`GET /api/v1/sessions/:id/messages`). */
export interface TranscriptTurn extends StoredTurn {
  answer: AnswerRecord | null;
  /** The vote given to this answer, if any. */
  feedback: { value: 1 | -1; comment: string | null } | null;
  createdAt: Date;
}

/** Conversation history per session, in the database so it survives restarts and is shared by replicas. */
export interface ConversationMemory {
  /** The latest turns, oldest first: what the model reads. */
  recent(sessionId: string, limit: number): Promise<StoredTurn[]>;
  append(sessionId: string, turns: TurnToStore[]): Promise<void>;
  /** The latest turns with their answers and votes, oldest first (always from the database). */
  transcript(sessionId: string, limit: number): Promise<TranscriptTurn[]>;
  /** The answer with this id or trace id in this session; null when this session was never given it. */
  findAnswer(sessionId: string, key: { answerId?: string | undefined; traceId?: string | undefined }): Promise<AnswerRecord | null>;
  /** The session a traced answer belongs to, limited to ids starting with `prefix` (the bot's votes carry only a trace id). */
  findSessionOfTrace(traceId: string, prefix: string): Promise<string | null>;
  /** Forgets in-process copies of turns (after the retention sweep deleted rows); the table is the truth. */
  dropCache(): void;
  /**
   * A session id this server has just made up (random, never handed out before): it has no turns, so its
   * first `recent()` needs no query. On the embedded database that query was a quarter of a new
   * session's first chat's database work.
   */
  begin(sessionId: string): void;
}

export interface ConversationMemoryOptions {
  /**
   * Keep the latest turns of this many sessions in process, written through on every append. Only sound
   * when this memory is the table's sole writer (embedded PGlite: one process owns the database); the
   * default turns it on for PGlite and off for server Postgres, where replicas share sessions.
   */
  cachedSessions?: number;
  /** ... and at most about this many bytes of their turns (estimated heap size; default 8 MiB). */
  cachedBytes?: number;
}

/** Turns kept per cached session; requests for a longer history go to the database. */
/** Twice the agent's default history, so its requests never go to the database once a session is cached. */
const CACHED_TURNS = 20;
const DEFAULT_CACHED_SESSIONS = 500;
/**
 * Turns are up to 4,000 characters (a message) or a long answer, so 500 sessions of 20 turns could hold
 * tens of MB; a typical session is 10–30 kB, so this keeps the 500 unless the turns are unusually long.
 */
const DEFAULT_CACHED_BYTES = 8 * 1024 * 1024;

function soleWriter(db: Queryable): boolean {
  return 'kind' in db && (db as { kind?: unknown }).kind === 'pglite';
}

export function createConversationMemory(db: Queryable, options: ConversationMemoryOptions = {}): ConversationMemory {
  const capacity = options.cachedSessions ?? (soleWriter(db) ? DEFAULT_CACHED_SESSIONS : 0);

  async function load(sessionId: string, limit: number): Promise<StoredTurn[]> {
    const { rows } = await db.query<StoredTurn>(
      `SELECT role, content FROM (
         SELECT id, role, content FROM conversation_messages WHERE session_id = $1 ORDER BY id DESC LIMIT $2
       ) latest ORDER BY id ASC`,
      [sessionId, limit],
    );
    return rows;
  }

  const insert = createGroupInsert(db);
  const lookups = answerLookups(db);

  if (capacity <= 0) {
    // No cache to remember a new session in: its first read goes to the database (an index probe that
    // finds nothing), which replicas sharing the table need anyway.
    return {
      ...lookups,
      recent: load,
      async append(sessionId, turns) {
        if (turns.length > 0) await insert(sessionId, turns);
      },
      dropCache: () => undefined,
      begin() {},
    };
  }

  /**
   * The latest turns per session, oldest first. `complete` means the list holds every turn the session
   * has (it had fewer than CACHED_TURNS when loaded), so any limit can be answered from it.
   */
  const sessions = new Map<string, { turns: StoredTurn[]; complete: boolean; bytes: number }>();
  const maxBytes = options.cachedBytes ?? DEFAULT_CACHED_BYTES;
  let bytes = 0;
  /** Appends under way per session: a load overlapping one may or may not see its rows, so it is not kept. */
  const appending = new Map<string, number>();
  const loads = new Map<string, Set<{ stale: boolean }>>();

  const forget = (sessionId: string) => {
    const entry = sessions.get(sessionId);
    if (!entry) return;
    sessions.delete(sessionId);
    bytes -= entry.bytes;
  };
  /** Keeps a session as the most recently used; the least recently used go while either bound is exceeded. */
  const remember = (sessionId: string, entry: { turns: StoredTurn[]; complete: boolean; bytes?: number }) => {
    forget(sessionId);
    const size = entry.bytes ?? approximateBytes(sessionId) + approximateBytes(entry.turns);
    if (size > maxBytes) return;
    sessions.set(sessionId, { turns: entry.turns, complete: entry.complete, bytes: size });
    bytes += size;
    while (sessions.size > capacity || bytes > maxBytes) {
      const oldest = sessions.keys().next();
      if (oldest.done) break;
      forget(oldest.value);
    }
  };
  const staleLoads = (sessionId: string) => {
    for (const ticket of loads.get(sessionId) ?? []) ticket.stale = true;
  };
  const copy = (turns: readonly StoredTurn[]): StoredTurn[] => turns.map((turn) => ({ role: turn.role, content: turn.content }));

  return {
    ...lookups,
    dropCache() {
      sessions.clear();
      // Loads under way may hold rows the sweep just deleted: they must not be kept either.
      for (const sessionId of loads.keys()) staleLoads(sessionId);
    },
    begin(sessionId) {
      if (!sessions.has(sessionId) && !appending.has(sessionId)) remember(sessionId, { turns: [], complete: true });
    },
    async recent(sessionId, limit) {
      // Odd limits (negative, fractional) keep the database's own answer, errors included.
      if (!Number.isInteger(limit) || limit < 0) return load(sessionId, limit);
      const cached = sessions.get(sessionId);
      if (cached && (cached.complete || limit <= cached.turns.length)) {
        remember(sessionId, cached);
        return copy(limit === 0 ? [] : cached.turns.slice(-limit));
      }
      if (limit > CACHED_TURNS) return load(sessionId, limit);
      const ticket = { stale: (appending.get(sessionId) ?? 0) > 0 };
      const tickets = loads.get(sessionId) ?? new Set();
      loads.set(sessionId, tickets.add(ticket));
      let turns: StoredTurn[];
      try {
        turns = await load(sessionId, CACHED_TURNS);
      } finally {
        tickets.delete(ticket);
        if (tickets.size === 0) loads.delete(sessionId);
      }
      if (!ticket.stale) remember(sessionId, { turns: copy(turns), complete: turns.length < CACHED_TURNS });
      return limit === 0 ? [] : turns.slice(-limit);
    },
    async append(sessionId, turns) {
      if (turns.length === 0) return;
      appending.set(sessionId, (appending.get(sessionId) ?? 0) + 1);
      staleLoads(sessionId);
      let concurrent: boolean;
      try {
        await insert(sessionId, turns);
      } catch (error) {
        // Whether the rows were written is unknown: forget the session rather than guess.
        forget(sessionId);
        throw error;
      } finally {
        staleLoads(sessionId);
        const left = (appending.get(sessionId) ?? 1) - 1;
        concurrent = left > 0;
        if (concurrent) appending.set(sessionId, left);
        else appending.delete(sessionId);
      }
      const cached = sessions.get(sessionId);
      if (!cached) return;
      if (concurrent) {
        // Two appends to one session at once: their order in the table is the database's call.
        forget(sessionId);
        return;
      }
      const all = [...cached.turns, ...copy(turns)];
      const kept = all.slice(-CACHED_TURNS);
      remember(sessionId, { turns: kept, complete: cached.complete && kept.length === all.length });
    },
  };
}

interface TranscriptRow {
  role: 'user' | 'assistant';
  content: string;
  answer_id: string | null;
  trace_id: string | null;
  recommendation_ids: number[] | null;
  vote: number | null;
  vote_comment: string | null;
  created_at: Date | string;
}

interface AnswerRow {
  answer_id: string;
  trace_id: string | null;
  recommendation_ids: number[] | null;
}

const toAnswer = (row: AnswerRow): AnswerRecord => ({
  answerId: row.answer_id,
  traceId: row.trace_id,
  recommendationIds: (row.recommendation_ids ?? []).map(Number),
});

/** Reads that go to the database every time: they are rare (a page load, a vote), and must see every writer. */
function answerLookups(db: Queryable): Pick<ConversationMemory, 'transcript' | 'findAnswer' | 'findSessionOfTrace'> {
  return {
    async transcript(sessionId, limit) {
      const { rows } = await db.query<TranscriptRow>(
        `SELECT m.role, m.content, m.answer_id, m.trace_id, m.recommendation_ids, m.created_at,
                f.value AS vote, f.comment AS vote_comment
           FROM (SELECT * FROM conversation_messages WHERE session_id = $1 ORDER BY id DESC LIMIT $2) m
           LEFT JOIN feedback f ON f.answer_id = m.answer_id
          ORDER BY m.id ASC`,
        [sessionId, limit],
      );
      return rows.map((row) => ({
        role: row.role,
        content: row.content,
        answer: row.answer_id ? toAnswer({ ...row, answer_id: row.answer_id }) : null,
        feedback: row.vote === 1 || row.vote === -1 ? { value: row.vote, comment: row.vote_comment } : null,
        createdAt: new Date(row.created_at),
      }));
    },
    async findAnswer(sessionId, key) {
      if (!key.answerId && !key.traceId) return null;
      const { rows } = await db.query<AnswerRow>(
        `SELECT answer_id, trace_id, recommendation_ids FROM conversation_messages
          WHERE session_id = $1 AND role = 'assistant' AND answer_id IS NOT NULL
            AND ($2::uuid IS NULL OR answer_id = $2::uuid) AND ($3::text IS NULL OR trace_id = $3)
          LIMIT 1`,
        [sessionId, key.answerId ?? null, key.traceId ?? null],
      );
      return rows[0] ? toAnswer(rows[0]) : null;
    },
    async findSessionOfTrace(traceId, prefix) {
      const { rows } = await db.query<{ session_id: string }>(
        `SELECT session_id FROM conversation_messages WHERE trace_id = $1 AND role = 'assistant' LIMIT 1`,
        [traceId],
      );
      const sessionId = rows[0]?.session_id;
      return sessionId !== undefined && sessionId.startsWith(prefix) ? sessionId : null;
    },
  };
}

interface PendingAppend {
  sessionId: string;
  turns: TurnToStore[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

const COLUMNS_PER_ROW = 6;
/** Rows per INSERT: 6 parameters each keeps a statement far below Postgres' 65,535-parameter limit. */
const MAX_ROWS_PER_INSERT = 1_000;

/**
 * Group commit: appends that arrive while an INSERT is running are written together by the next one, so
 * under load many chats share one statement (on the embedded database every statement costs the thread
 * that serves requests) while an idle service writes each append at once. Every caller still waits for
 * its own rows to be written. When a shared INSERT fails, its appends are retried one by one so that one
 * bad row fails only its own request.
 */
function createGroupInsert(db: Queryable): (sessionId: string, turns: TurnToStore[]) => Promise<void> {
  let queue: PendingAppend[] = [];
  let writing = false;

  async function write(appends: readonly PendingAppend[]): Promise<void> {
    const params: unknown[] = [];
    const values: string[] = [];
    for (const { sessionId, turns } of appends) {
      for (const turn of turns) {
        const answer = turn.answer;
        params.push(sessionId, turn.role, turn.content, answer?.answerId ?? null, answer?.traceId ?? null, answer?.recommendationIds ?? null);
        const at = params.length - COLUMNS_PER_ROW;
        values.push(`(${Array.from({ length: COLUMNS_PER_ROW }, (_, i) => `$${at + i + 1}`).join(', ')})`);
      }
    }
    await db.query(
      `INSERT INTO conversation_messages (session_id, role, content, answer_id, trace_id, recommendation_ids) VALUES ${values.join(', ')}`,
      params,
    );
  }

  function nextBatch(): PendingAppend[] {
    let rows = 0;
    let count = 0;
    while (count < queue.length && (count === 0 || rows + queue[count]!.turns.length <= MAX_ROWS_PER_INSERT)) {
      rows += queue[count]!.turns.length;
      count += 1;
    }
    const batch = queue.slice(0, count);
    queue = queue.slice(count);
    return batch;
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      // One turn of the event loop lets requests that are about to append join this INSERT; the embedded
      // database runs a statement synchronously, so without this pause nothing could ever queue behind it.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (queue.length > 0) {
        const batch = nextBatch();
        try {
          await write(batch);
          for (const append of batch) append.resolve();
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          for (const append of batch) {
            await write([append]).then(append.resolve, append.reject);
          }
        }
      }
    } finally {
      writing = false;
    }
  }

  return (sessionId, turns) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ sessionId, turns, resolve, reject });
      if (!writing) void drain();
    });
}
