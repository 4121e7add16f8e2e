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

export function createConversationMemory(db: Queryable): ConversationMemory {
  return {
    async recent(sessionId, limit) {
      const { rows } = await db.query<StoredTurn>(
        `SELECT role, content FROM (
           SELECT id, role, content FROM conversation_messages WHERE session_id = $1 ORDER BY id DESC LIMIT $2
         ) latest ORDER BY id ASC`,
        [sessionId, limit],
      );
      return rows;
    },
    async append(sessionId, turns) {
      if (turns.length === 0) return;
      const values = turns.map((_, i) => `($1, $${i * 2 + 2}, $${i * 2 + 3})`).join(', ');
      await db.query(
        `INSERT INTO conversation_messages (session_id, role, content) VALUES ${values}`,
        [sessionId, ...turns.flatMap((turn) => [turn.role, turn.content])],
      );
    },
  };
}
