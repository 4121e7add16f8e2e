import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Who owns a conversation. The server issues every session id together with a token that only it can
 * compute (HMAC of the id under a server secret), so a caller can continue a conversation exactly when it
 * was given both. Nothing is stored per session: a restart, a replica with the same secret, or a database
 * restore all keep working. Telegram sessions (`tg:<chat>:<n>`) are the bot's: only a caller that presents
 * the bot's backend token (`request.trustedCaller`, http/trusted-caller.ts) may use that namespace, and it
 * needs no per-session token.
 */

/** Server-issued ids: `s_` + 22 base64url characters (128 random bits). Safe to show in logs and Langfuse. */
export const ISSUED_SESSION_ID = /^s_[A-Za-z0-9_-]{22}$/;
/** The bot's namespace; `telegram/sessions.ts` builds `tg:<chatId>:<counter>`. */
export const BOT_SESSION_PREFIX = 'tg:';
/** The header `GET /api/v1/sessions/:id/messages` reads the session token from. */
export const SESSION_TOKEN_HEADER = 'x-session-token';
export const SESSION_SECRET_FILE = 'session-secret';

export interface SessionPair {
  sessionId: string;
  sessionToken: string;
}

export interface SessionAuthority {
  /** A new session: a random id and its token. */
  issue(): SessionPair;
  /** True when `token` is the token this server issued for `sessionId` (constant-time compare). */
  verify(sessionId: string, token: string | undefined): boolean;
}

export const isBotSessionId = (sessionId: string): boolean => sessionId.startsWith(BOT_SESSION_PREFIX);

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

/** Equal-length buffers compared in constant time; a length difference is no secret worth hiding. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function createSessionAuthority(options: { secret: Buffer | string }): SessionAuthority {
  const secret = typeof options.secret === 'string' ? Buffer.from(options.secret) : options.secret;
  if (secret.length < 16) throw new Error('the session secret must be at least 16 bytes');
  const sign = (sessionId: string) => base64url(createHmac('sha256', secret).update(sessionId).digest());
  return {
    issue() {
      const sessionId = `s_${base64url(randomBytes(16))}`;
      return { sessionId, sessionToken: sign(sessionId) };
    },
    verify(sessionId, token) {
      if (!token || !ISSUED_SESSION_ID.test(sessionId)) return false;
      return sameText(sign(sessionId), token);
    },
  };
}

/**
 * SESSION_SECRET when configured; otherwise a random secret kept at DATA_DIR/session-secret (mode 0600)
 * so sessions survive a restart. Replicas that share a database must share SESSION_SECRET.
 */
export async function loadSessionSecret(configured: string | undefined, dataDir: string): Promise<Buffer> {
  if (configured) return Buffer.from(configured);
  const path = join(dataDir, SESSION_SECRET_FILE);
  try {
    const stored = (await readFile(path, 'utf8')).trim();
    if (stored.length >= 32) return Buffer.from(stored, 'base64url');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32);
  await mkdir(dataDir, { recursive: true });
  // `wx`: two processes starting on one data dir never overwrite each other's secret; the loser reads it.
  try {
    await writeFile(path, `${base64url(secret)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadSessionSecret(undefined, dataDir);
    throw error;
  }
  await chmod(path, 0o600);
  return secret;
}
