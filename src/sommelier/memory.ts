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

  async function insert(sessionId: string, turns: StoredTurn[]): Promise<void> {
    const values = turns.map((_, i) => `($1, $${i * 2 + 2}, $${i * 2 + 3})`).join(', ');
    await db.query(
      `INSERT INTO conversation_messages (session_id, role, content) VALUES ${values}`,
      [sessionId, ...turns.flatMap((turn) => [turn.role, turn.content])],
    );
  }

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
