import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AgentResult } from '../agent/index.js';

/** The service's own Prometheus metrics; tracing exports its own next to them on /metrics. */
export interface AppMetrics {
  registry: Registry;
  recordChat(result: AgentResult): void;
  /** A stored vote (👍 = 1, 👎 = -1), and whether its answer was traced (then it also became a Langfuse score). */
  recordFeedback(value: 1 | -1, traced: boolean): void;
}

export function createAppMetrics(): AppMetrics {
  const registry = new Registry();
  // Event-loop delay sampled every 100 ms instead of prom-client's 10: the 10 ms timer alone kept an idle
  // server at ~1 % of a core (docs/BENCHMARKS.md, "CPU per LLM chat").
  collectDefaultMetrics({ register: registry, prefix: 'sommelier_process_', eventLoopMonitoringPrecision: 100 });
  const chats = new Counter({
    name: 'sommelier_chat_requests_total',
    help: 'Chat answers by engine and whether the offline fallback stepped in',
    labelNames: ['engine', 'fallback'] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'sommelier_llm_tokens_total',
    help: 'LLM tokens by direction',
    labelNames: ['direction'] as const,
    registers: [registry],
  });
  const cost = new Counter({ name: 'sommelier_llm_cost_usd_total', help: 'Provider-reported LLM cost in USD', registers: [registry] });
  const iterations = new Histogram({
    name: 'sommelier_agent_iterations',
    help: 'LLM calls per chat answer',
    buckets: [1, 2, 3, 4, 5, 8],
    registers: [registry],
  });
  const votes = new Counter({
    name: 'sommelier_feedback_total',
    help: 'Votes on answers (a changed vote counts again), by value and whether the answer was traced',
    labelNames: ['value', 'traced'] as const,
    registers: [registry],
  });
  return {
    registry,
    recordFeedback(value, traced) {
      votes.inc({ value: value === 1 ? 'up' : 'down', traced: traced ? 'yes' : 'no' });
    },
    recordChat(result) {
      chats.inc({ engine: result.engine, fallback: result.fallbackReason ? 'yes' : 'no' });
      tokens.inc({ direction: 'input' }, result.usage.input);
      tokens.inc({ direction: 'output' }, result.usage.output);
      if (result.costUsd) cost.inc(result.costUsd);
      iterations.observe(result.iterations);
    },
  };
}

/** What the search cache reports (src/catalog/cache.ts). */
export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
  /** Estimated heap bytes of the answers held (bounded by CATALOG_CACHE_MAX_MB). */
  bytes?: number;
}

/** Search cache hits, misses and size, read from the cache when /metrics is scraped. */
export function instrumentCatalogCache(registry: Registry, stats: () => CacheStats): void {
  new Counter({
    name: 'sommelier_catalog_cache_lookups_total',
    help: 'Catalog searches answered from the in-memory cache (hit) or by the database (miss)',
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      // The cache keeps the totals; the counter mirrors them at each scrape.
      const { hits, misses } = stats();
      this.reset();
      this.inc({ result: 'hit' }, hits);
      this.inc({ result: 'miss' }, misses);
    },
  });
  new Gauge({
    name: 'sommelier_catalog_cache_entries',
    help: 'Distinct catalog answers held in the search cache',
    registers: [registry],
    collect() {
      this.set(stats().entries);
    },
  });
  new Gauge({
    name: 'sommelier_catalog_cache_bytes',
    help: 'Estimated heap bytes of the answers held in the search cache (bounded by CATALOG_CACHE_MAX_MB)',
    registers: [registry],
    collect() {
      this.set(stats().bytes ?? 0);
    },
  });
}

/** Request latency by route and status, measured by Fastify's own reply timer. */
export function instrumentRequests(server: FastifyInstance, registry: Registry): void {
  const duration = new Histogram({
    name: 'sommelier_http_request_duration_seconds',
    help: 'HTTP request duration by route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  server.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
