import { z } from 'zod';
import { compileExtraPattern } from '../masking.js';

const OPENROUTER_BASE_URL = 'https://openrouter.ai/api/v1';

/** Env values arrive as strings; an empty string means "not set" so `FOO=` in .env behaves like no FOO. */
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const booleanFlag = (fallback: boolean) =>
  optionalString.pipe(
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
        error: 'expected true or false',
      })
      .optional()
      .transform((value) => (value === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(value))),
  );

const positiveInt = (fallback: number) =>
  optionalString.pipe(z.coerce.number<string>().int().positive().optional()).transform((v) => v ?? fallback);

/**
 * A Postgres memory setting as Postgres reads it ("16MB", "512kB", "1GB"); with `auto`, also the word
 * `auto` (sized to the database when it opens, src/db/pglite.ts).
 */
const postgresMemory = (fallback: string, options: { auto?: boolean } = {}) =>
  optionalString
    .pipe(
      (options.auto
        ? z.string().regex(/^(\d+(kB|MB|GB)|auto)$/, 'expected auto or a size like 64MB, 512kB or 1GB')
        : z.string().regex(/^\d+(kB|MB|GB)$/, 'expected a size like 16MB, 512kB or 1GB')
      ).optional(),
    )
    .transform((v) => v ?? fallback);

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

const envSchema = z.object({
  NODE_ENV: optionalString,
  PORT: optionalString.pipe(z.coerce.number<string>().int().min(0).max(65535).optional()).transform((v) => v ?? 8000),
  HOST: optionalString.transform((v) => v ?? '127.0.0.1'),
  LOG_LEVEL: optionalString.pipe(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ),
  DATA_DIR: optionalString.transform((v) => v ?? './data'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL (leave unset for the embedded database)')
      .optional(),
  ),
  CATALOG_SEED: booleanFlag(true),
  CATALOG_CACHE_ENTRIES: optionalString.pipe(z.coerce.number<string>().int().min(0).optional()).transform((v) => v ?? 1000),
  CATALOG_CACHE_TTL_MS: positiveInt(60_000),
  CATALOG_BOOST_OWN: optionalString.pipe(z.coerce.number<string>().min(0).max(5).optional()).transform((v) => v ?? 0.5),
  CATALOG_BOOST_IN_STOCK: optionalString.pipe(z.coerce.number<string>().min(0).max(5).optional()).transform((v) => v ?? 0.25),

  LLM_PROVIDER: optionalString.pipe(z.enum(['openai', 'offline']).optional()),
  OPENROUTER_API_KEY: optionalString,
  LLM_API_KEY: optionalString,
  LLM_BASE_URL: optionalString.pipe(httpUrl.optional()).transform((v) => v ?? OPENROUTER_BASE_URL),
  LLM_MODEL: optionalString.transform((v) => v ?? 'openai/gpt-4o-mini'),
  LLM_TEMPERATURE: optionalString.pipe(z.coerce.number<string>().min(0).max(2).optional()).transform((v) => v ?? 0.3),
  LLM_TIMEOUT_MS: positiveInt(30_000),
  LLM_MAX_RETRIES: optionalString.pipe(z.coerce.number<string>().int().min(0).max(10).optional()).transform((v) => v ?? 2),
  LLM_FALLBACK_TO_OFFLINE: booleanFlag(true),
  AGENT_MAX_ITERATIONS: positiveInt(5),
  EMBEDDINGS_BASE_URL: optionalString.pipe(httpUrl.optional()),
  EMBEDDINGS_MODEL: optionalString,
  EMBEDDINGS_API_KEY: optionalString,
  APP_URL: optionalString.pipe(httpUrl.optional()),
  APP_TITLE: optionalString.transform((v) => v ?? 'Sommelier'),

  LANGFUSE_PUBLIC_KEY: optionalString,
  LANGFUSE_SECRET_KEY: optionalString,
  LANGFUSE_BASE_URL: optionalString.pipe(httpUrl.optional()),
  LANGFUSE_BASEURL: optionalString.pipe(httpUrl.optional()),
  LANGFUSE_HOST: optionalString.pipe(httpUrl.optional()),
  LANGFUSE_PUBLIC_URL: optionalString.pipe(httpUrl.optional()),
  LANGFUSE_PROJECT_ID: optionalString,
  LANGFUSE_TRACING_ENABLED: optionalString.pipe(
    z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']).optional(),
  ),
  LANGFUSE_SAMPLE_RATE: optionalString.pipe(z.coerce.number<string>().min(0).max(1).optional()).transform((v) => v ?? 1),
  LANGFUSE_TRACING_ENVIRONMENT: optionalString.transform((v) => v ?? 'default'),
  LANGFUSE_FLUSH_INTERVAL_MS: positiveInt(1_000),
  LANGFUSE_MASKING: booleanFlag(true),
  TRACE_SPOOL_MAX_MB: positiveInt(256),
  LANGFUSE_EXPORT_TIMEOUT_MS: positiveInt(10_000),
  LANGFUSE_EXPORT_RETRY_MAX_MS: positiveInt(30_000),
  SHUTDOWN_FLUSH_TIMEOUT_MS: positiveInt(3_000),

  LANGFUSE_PROMPT_NAME: optionalString,
  LANGFUSE_PROMPT_LABEL: optionalString.transform((v) => v ?? 'production'),
  LANGFUSE_PROMPT_CACHE_TTL_SECONDS: positiveInt(60),
  LANGFUSE_PROMPT_FETCH_TIMEOUT_MS: positiveInt(2_000),

  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: optionalString.pipe(httpUrl.optional()).transform((v) => v ?? 'https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: optionalString.pipe(httpUrl.optional()),
  TELEGRAM_WEBHOOK_SECRET: optionalString,
  TELEGRAM_RATE_LIMIT_PER_MINUTE: positiveInt(10),
  BACKEND_URL: optionalString.pipe(httpUrl.optional()),
  BACKEND_TIMEOUT_MS: positiveInt(20_000),
  BOT_BACKEND_TOKEN: optionalString,

  // Sessions (issue 12 item 1, src/sessions): who may read and continue a conversation.
  SESSION_SECRET: optionalString.pipe(z.string().min(32, 'SESSION_SECRET must be at least 32 characters (openssl rand -hex 32)').optional()),

  // Privacy and abuse (docs/SECURITY.md).
  API_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^[\x21-\x7e]{16,512}$/, 'expected 16-512 printable characters without spaces (e.g. openssl rand -hex 32)')
      .optional(),
  ),
  ALLOW_UNAUTHENTICATED: booleanFlag(false),
  TRUST_PROXY: optionalString.pipe(
    z
      .string()
      .regex(/^(?:true|false|\d{1,2}|[\d.:a-fA-F/, ]+)$/, 'expected true, false, a hop count or a list of proxy addresses')
      .optional(),
  ),
  RATE_LIMIT_ENABLED: booleanFlag(true),
  RATE_LIMIT_CHAT_PER_MINUTE: positiveInt(30),
  RATE_LIMIT_FEEDBACK_PER_MINUTE: positiveInt(60),
  REQUEST_TIMEOUT_MS: positiveInt(30_000),
  HEADERS_TIMEOUT_MS: positiveInt(10_000),
  CONNECTION_TIMEOUT_MS: positiveInt(120_000),
  AGENT_MAX_TOOL_CALLS_PER_ROUND: positiveInt(8),
  AGENT_MAX_TOOL_CALLS_PER_REQUEST: positiveInt(20),
  CONVERSATION_RETENTION_DAYS: optionalString
    .pipe(z.coerce.number<string>().int().min(0).max(36_500).optional())
    .transform((v) => v ?? 30),
  MASK_USER_INPUT: booleanFlag(true),
  MASKING_EXTRA_PATTERNS: optionalString,
  // Memory of the embedded database and the caches (issue 16: src/db/pglite.ts, src/catalog/cache.ts).
  PGLITE_SHARED_BUFFERS: postgresMemory('auto', { auto: true }),
  PGLITE_WORK_MEM: postgresMemory('4MB'),
  CATALOG_CACHE_MAX_MB: positiveInt(16),
  LANGFUSE_TIME_TO_FIRST_TOKEN: booleanFlag(false),
});

export type RawEnv = z.input<typeof envSchema>;

export interface Config {
  env: string;
  server: { port: number; host: string; logLevel: string };
  dataDir: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  catalogSeed: boolean;
  /** Repeated searches answered from memory; see src/catalog/cache.ts. */
  catalogCache: { maxEntries: number; ttlMs: number; maxBytes: number };
  /** Boosts for the shop's own (imported) and in-stock wines in the default order; see src/catalog/filters.ts. */
  catalogRanking: { ownBoost: number; inStockBoost: number };
  llm: {
    provider: 'openai' | 'offline';
    apiKey: string | undefined;
    baseUrl: string;
    model: string;
    temperature: number;
    timeoutMs: number;
    maxRetries: number;
    fallbackToOffline: boolean;
    appUrl: string | undefined;
    appTitle: string;
  };
  embeddings: { baseUrl: string; model: string; apiKey: string | undefined } | null;
  agent: { maxIterations: number; maxToolCallsPerRound: number; maxToolCallsPerRequest: number };
  langfuse: {
    enabled: boolean;
    publicKey: string | undefined;
    secretKey: string | undefined;
    baseUrl: string;
    /** Where a person opens the UI; differs from baseUrl inside docker compose. */
    publicUrl: string;
    projectId: string | undefined;
    sampleRate: number;
    environment: string;
    flushIntervalMs: number;
    masking: boolean;
    spoolMaxBytes: number;
    shutdownFlushTimeoutMs: number;
    /** Deadline of one request to Langfuse (connect, send, answer); a hung Langfuse costs no more. */
    exportTimeoutMs?: number;
    /** Longest wait between delivery attempts (backoff cap, and the retry interval while keys are rejected). */
    exportRetryMaxMs?: number;
  };
  /**
   * The system prompt from Langfuse prompt management (LANGFUSE_PROMPT_NAME); null = the built-in prompt.
   * Optional so hand-built configs (tests) need not name it.
   */
  prompt?: { name: string; label: string; cacheTtlSeconds: number; fetchTimeoutMs: number } | null;
  /** Who may call the API and how hard (docs/SECURITY.md). */
  http: {
    apiToken: string | undefined;
    allowUnauthenticated: boolean;
    /** Fastify's trustProxy: whose X-Forwarded-For to believe for the client address. */
    trustProxy: boolean | number | string[];
    rateLimit: { enabled: boolean; chatPerMinute: number; feedbackPerMinute: number };
    timeouts: { requestMs: number; headersMs: number; connectionMs: number };
  };
  privacy: {
    /** Mask the user's message and user id before the agent, the LLM, memory and traces see them. */
    maskUserInput: boolean;
    extraMaskingPatterns: RegExp[];
    /** Conversation turns and feedback older than this are deleted; 0 keeps them forever. */
    conversationRetentionDays: number;
  };
  telegram: {
    token: string | undefined;
    apiRoot: string;
    webhookUrl: string | undefined;
    webhookSecret: string | undefined;
    rateLimitPerMinute: number;
    backendUrl: string | undefined;
    backendTimeoutMs: number;
    /**
     * Shared secret the bot sends to the backend (header x-sommelier-bot-token): a request carrying it
     * is our bot's, trusted to continue the bot's trace. `npm start` makes one up for an in-process bot.
     */
    backendToken: string | undefined;
  };
  sessions: {
    /** Signs session tokens; unset = a random secret kept in DATA_DIR/session-secret. */
    secret: string | undefined;
  };
  /** Postgres memory of the embedded database (src/db/pglite.ts). */
  embeddedMemory: { sharedBuffers: string; workMem: string };
  /**
   * Whether a traced chat that is not streamed to its caller still streams from the LLM, for its
   * generation's time to first token (~1–3 ms of server CPU per chat; docs/BENCHMARKS.md). Default false.
   */
  traceTimeToFirstToken: boolean;
}

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LANGFUSE_CLOUD_URL = 'https://cloud.langfuse.com';
const truthy = (value: string | undefined): boolean | undefined =>
  value === undefined ? undefined : ['true', '1', 'yes', 'on'].includes(value);

/** Reads and validates the environment once; every error names the variable it is about. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const apiKey = e.LLM_API_KEY ?? e.OPENROUTER_API_KEY;
  const provider = e.LLM_PROVIDER ?? (apiKey ? 'openai' : 'offline');
  if (provider === 'openai' && !apiKey && e.LLM_BASE_URL === OPENROUTER_BASE_URL) {
    throw new ConfigError(['LLM_PROVIDER: "openai" needs OPENROUTER_API_KEY or LLM_API_KEY (or a local LLM_BASE_URL)']);
  }
  const bothKeys = Boolean(e.LANGFUSE_PUBLIC_KEY && e.LANGFUSE_SECRET_KEY);
  const tracingEnabled = truthy(e.LANGFUSE_TRACING_ENABLED) ?? bothKeys;
  if (tracingEnabled && !bothKeys) {
    throw new ConfigError(['LANGFUSE_TRACING_ENABLED: tracing needs LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY']);
  }
  if (e.LANGFUSE_PROMPT_NAME && !bothKeys) {
    throw new ConfigError(['LANGFUSE_PROMPT_NAME: prompt management needs LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY']);
  }
  const langfuseBaseUrl = (e.LANGFUSE_BASE_URL ?? e.LANGFUSE_BASEURL ?? e.LANGFUSE_HOST ?? LANGFUSE_CLOUD_URL).replace(/\/+$/, '');
  const embeddingsBaseUrl = e.EMBEDDINGS_BASE_URL;
  return {
    env: e.NODE_ENV ?? 'development',
    server: { port: e.PORT, host: e.HOST, logLevel: e.LOG_LEVEL ?? 'info' },
    dataDir: e.DATA_DIR,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: e.DATA_DIR },
    catalogSeed: e.CATALOG_SEED,
    catalogCache: { maxEntries: e.CATALOG_CACHE_ENTRIES, ttlMs: e.CATALOG_CACHE_TTL_MS, maxBytes: e.CATALOG_CACHE_MAX_MB * 1024 * 1024 },
    catalogRanking: { ownBoost: e.CATALOG_BOOST_OWN, inStockBoost: e.CATALOG_BOOST_IN_STOCK },
    llm: {
      provider,
      apiKey,
      baseUrl: e.LLM_BASE_URL.replace(/\/+$/, ''),
      model: e.LLM_MODEL,
      temperature: e.LLM_TEMPERATURE,
      timeoutMs: e.LLM_TIMEOUT_MS,
      maxRetries: e.LLM_MAX_RETRIES,
      fallbackToOffline: e.LLM_FALLBACK_TO_OFFLINE,
      appUrl: e.APP_URL,
      appTitle: e.APP_TITLE,
    },
    embeddings:
      embeddingsBaseUrl && e.EMBEDDINGS_MODEL
        ? { baseUrl: embeddingsBaseUrl.replace(/\/+$/, ''), model: e.EMBEDDINGS_MODEL, apiKey: e.EMBEDDINGS_API_KEY ?? apiKey }
        : null,
    agent: {
      maxIterations: e.AGENT_MAX_ITERATIONS,
      maxToolCallsPerRound: e.AGENT_MAX_TOOL_CALLS_PER_ROUND,
      maxToolCallsPerRequest: e.AGENT_MAX_TOOL_CALLS_PER_REQUEST,
    },
    langfuse: {
      enabled: tracingEnabled,
      publicKey: e.LANGFUSE_PUBLIC_KEY,
      secretKey: e.LANGFUSE_SECRET_KEY,
      baseUrl: langfuseBaseUrl,
      publicUrl: (e.LANGFUSE_PUBLIC_URL ?? langfuseBaseUrl).replace(/\/+$/, ''),
      projectId: e.LANGFUSE_PROJECT_ID,
      sampleRate: e.LANGFUSE_SAMPLE_RATE,
      environment: e.LANGFUSE_TRACING_ENVIRONMENT,
      flushIntervalMs: e.LANGFUSE_FLUSH_INTERVAL_MS,
      masking: e.LANGFUSE_MASKING,
      spoolMaxBytes: e.TRACE_SPOOL_MAX_MB * 1024 * 1024,
      shutdownFlushTimeoutMs: Math.min(e.SHUTDOWN_FLUSH_TIMEOUT_MS, 3_000),
      exportTimeoutMs: e.LANGFUSE_EXPORT_TIMEOUT_MS,
      exportRetryMaxMs: e.LANGFUSE_EXPORT_RETRY_MAX_MS,
    },
    prompt: e.LANGFUSE_PROMPT_NAME
      ? {
          name: e.LANGFUSE_PROMPT_NAME,
          label: e.LANGFUSE_PROMPT_LABEL,
          cacheTtlSeconds: e.LANGFUSE_PROMPT_CACHE_TTL_SECONDS,
          fetchTimeoutMs: e.LANGFUSE_PROMPT_FETCH_TIMEOUT_MS,
        }
      : null,
    http: {
      apiToken: e.API_TOKEN,
      allowUnauthenticated: e.ALLOW_UNAUTHENTICATED,
      trustProxy: parseTrustProxy(e.TRUST_PROXY),
      rateLimit: {
        enabled: e.RATE_LIMIT_ENABLED,
        chatPerMinute: e.RATE_LIMIT_CHAT_PER_MINUTE,
        feedbackPerMinute: e.RATE_LIMIT_FEEDBACK_PER_MINUTE,
      },
      timeouts: { requestMs: e.REQUEST_TIMEOUT_MS, headersMs: e.HEADERS_TIMEOUT_MS, connectionMs: e.CONNECTION_TIMEOUT_MS },
    },
    privacy: {
      maskUserInput: e.MASK_USER_INPUT,
      extraMaskingPatterns: parseMaskingPatterns(e.MASKING_EXTRA_PATTERNS),
      conversationRetentionDays: e.CONVERSATION_RETENTION_DAYS,
    },
    telegram: {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
      webhookUrl: e.TELEGRAM_WEBHOOK_URL,
      webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
      rateLimitPerMinute: e.TELEGRAM_RATE_LIMIT_PER_MINUTE,
      backendUrl: e.BACKEND_URL?.replace(/\/+$/, ''),
      backendTimeoutMs: e.BACKEND_TIMEOUT_MS,
      backendToken: e.BOT_BACKEND_TOKEN,
    },
    sessions: { secret: e.SESSION_SECRET },
    embeddedMemory: { sharedBuffers: e.PGLITE_SHARED_BUFFERS, workMem: e.PGLITE_WORK_MEM },
    traceTimeToFirstToken: e.LANGFUSE_TIME_TO_FIRST_TOKEN,
  };
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((address) => address.trim()).filter(Boolean);
}

/** MASKING_EXTRA_PATTERNS: a JSON array of regex sources, each compiled and checked (src/masking.ts). */
function parseMaskingPatterns(value: string | undefined): RegExp[] {
  if (value === undefined) return [];
  let sources: unknown;
  try {
    sources = JSON.parse(value);
  } catch {
    throw new ConfigError(['MASKING_EXTRA_PATTERNS: expected a JSON array of regular expressions, e.g. ["CUST-\\\\d{8}"]']);
  }
  const parsed = z.array(z.string()).max(50).safeParse(sources);
  if (!parsed.success) throw new ConfigError(['MASKING_EXTRA_PATTERNS: expected a JSON array of at most 50 strings']);
  const issues: string[] = [];
  const patterns: RegExp[] = [];
  for (const source of parsed.data) {
    const compiled = compileExtraPattern(source);
    if (typeof compiled === 'string') issues.push(`MASKING_EXTRA_PATTERNS: ${JSON.stringify(source)}: ${compiled}`);
    else patterns.push(compiled);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return patterns;
}

const LOOPBACK_HOSTS = new Set(['localhost', '::1', '0:0:0:0:0:0:0:1']);

/** 127.0.0.0/8, ::1, localhost (and IPv4-mapped loopback): reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_HOSTS.has(bare)) return true;
  const v4 = bare.replace(/^::ffff:/, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * The HTTP service on an address others can reach must ask for API_TOKEN, unless the operator says
 * someone else guards it (ALLOW_UNAUTHENTICATED=true: a proxy that authenticates, a private network).
 */
export function assertSafeExposure(config: Pick<Config, 'server' | 'http'>): void {
  if (config.http.apiToken || config.http.allowUnauthenticated || isLoopbackHost(config.server.host)) return;
  throw new ConfigError([
    `HOST: ${config.server.host} is reachable from other machines, and API_TOKEN is not set. Set API_TOKEN ` +
      '(openssl rand -hex 32), or ALLOW_UNAUTHENTICATED=true if a proxy or private network guards the service (docs/SECURITY.md).',
  ]);
}

/** For entry points: the config, or a message naming the bad variables and exit code 2. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}
