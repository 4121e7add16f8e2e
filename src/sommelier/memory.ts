import type { Queryable } from '../catalog/database.js';

export interface StoredTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** Conversation history per session, in the database so it survives restarts and is shared by replicas. */
export interface ConversationMemory {
  recent(sessionId: string, limit: number): Promise<StoredTurn[]>;
  append(sessionId: string, turns: StoredTurn[]): Promise<void>;
}

export interface ConversationMemoryOptions {
  /**
   * Keep the latest turns of this many sessions in process, written through on every append. Only sound
   * when this memory is the table's sole writer (embedded PGlite: one process owns the database); the
   * default turns it on for PGlite and off for server Postgres, where replicas share sessions.
   */
  cachedSessions?: number;
}

/** Turns kept per cached session; requests for a longer history go to the database. */
/** Twice the agent's default history, so its requests never go to the database once a session is cached. */
const CACHED_TURNS = 20;
/** At most ~20 turns × a few KB each per session: a few tens of MB in the worst case. */
const DEFAULT_CACHED_SESSIONS = 500;

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

  if (capacity <= 0) {
    return {
      recent: load,
      async append(sessionId, turns) {
        if (turns.length > 0) await insert(sessionId, turns);
      },
    };
  }

  /**
   * The latest turns per session, oldest first. `complete` means the list holds every turn the session
   * has (it had fewer than CACHED_TURNS when loaded), so any limit can be answered from it.
   */
  const sessions = new Map<string, { turns: StoredTurn[]; complete: boolean }>();
  /** Appends under way per session: a load overlapping one may or may not see its rows, so it is not kept. */
  const appending = new Map<string, number>();
  const loads = new Map<string, Set<{ stale: boolean }>>();

  const remember = (sessionId: string, entry: { turns: StoredTurn[]; complete: boolean }) => {
    sessions.delete(sessionId);
    sessions.set(sessionId, entry);
    if (sessions.size > capacity) {
      const oldest = sessions.keys().next();
      if (!oldest.done) sessions.delete(oldest.value);
    }
  };
  const staleLoads = (sessionId: string) => {
    for (const ticket of loads.get(sessionId) ?? []) ticket.stale = true;
  };
  const copy = (turns: readonly StoredTurn[]): StoredTurn[] => turns.map((turn) => ({ role: turn.role, content: turn.content }));

  return {
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
        sessions.delete(sessionId);
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
        sessions.delete(sessionId);
        return;
      }
      const all = [...cached.turns, ...copy(turns)];
      const kept = all.slice(-CACHED_TURNS);
      remember(sessionId, { turns: kept, complete: cached.complete && kept.length === all.length });
    },
  };
}

interface PendingAppend {
  sessionId: string;
  turns: StoredTurn[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Rows per INSERT: 3 parameters each keeps a statement far below Postgres' 65,535-parameter limit. */
const MAX_ROWS_PER_INSERT = 1_000;

/**
 * Group commit: appends that arrive while an INSERT is running are written together by the next one, so
 * under load many chats share one statement (on the embedded database every statement costs the thread
 * that serves requests) while an idle service writes each append at once. Every caller still waits for
 * its own rows to be written. When a shared INSERT fails, its appends are retried one by one so that one
 * bad row fails only its own request.
 */
function createGroupInsert(db: Queryable): (sessionId: string, turns: StoredTurn[]) => Promise<void> {
  let queue: PendingAppend[] = [];
  let writing = false;

  async function write(appends: readonly PendingAppend[]): Promise<void> {
    const params: unknown[] = [];
    const values: string[] = [];
    for (const { sessionId, turns } of appends) {
      for (const turn of turns) {
        params.push(sessionId, turn.role, turn.content);
        const at = params.length;
        values.push(`($${at - 2}, $${at - 1}, $${at})`);
      }
    }
    await db.query(`INSERT INTO conversation_messages (session_id, role, content) VALUES ${values.join(', ')}`, params);
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
