import { performance } from 'node:perf_hooks';
import type { Wine } from '../catalog/index.js';
import { runAgent, type AgentDeps } from '../agent/index.js';
import type { Toolbox } from '../tools/index.js';
import { notRun, scoreTurn, type QueryResult, type TurnRecord } from './metrics.js';
import type { EvalQuery } from './query-set.js';

/** A toolbox that also keeps every wine its tools return, so the reply can be checked against them. */
function recordingToolbox(toolbox: Toolbox, wines: Map<number, Wine>): Toolbox {
  return {
    definitions: toolbox.definitions,
    async run(name, rawArguments) {
      const execution = await toolbox.run(name, rawArguments);
      for (const wine of execution.wines) wines.set(wine.id, wine);
      return execution;
    },
  };
}

const errorText = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * Runs one query through the real agent: its turns in order, in one session of their own. A failed turn
 * is recorded, not thrown; the turns after it are recorded as not run (they depend on it).
 */
export async function runQuery(deps: AgentDeps, query: EvalQuery, sessionPrefix: string): Promise<QueryResult['turns']> {
  const sessionId = `${sessionPrefix}:${query.id}`;
  const turns: QueryResult['turns'] = [];
  for (const turn of query.turns) {
    if (turns.some((done) => done.record.error !== null)) {
      turns.push(notRun(turn.message));
      continue;
    }
    const toolWines = new Map<number, Wine>();
    const started = performance.now();
    let record: TurnRecord;
    try {
      const result = await runAgent(
        { ...deps, toolbox: recordingToolbox(deps.toolbox, toolWines) },
        { message: turn.message, sessionId, userId: null, channel: 'cli' },
      );
      record = {
        message: turn.message,
        reply: result.reply,
        recommendations: result.recommendations,
        toolWines: [...toolWines.values()],
        iterations: result.iterations,
        tokens: result.usage.total,
        costUsd: result.costUsd,
        latencyMs: performance.now() - started,
        engine: result.engine,
        model: result.model,
        traceId: result.traceId,
        fallbackReason: result.fallbackReason,
        error: null,
      };
    } catch (error) {
      record = { ...notRun(turn.message, errorText(error)).record, latencyMs: performance.now() - started };
    }
    turns.push({ record, score: scoreTurn(turn, record) });
  }
  return turns;
}

/** Runs `work` over `items` with at most `concurrency` at a time; results keep the items' order. */
export async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

export interface LocalRunOptions {
  concurrency: number;
  /** Session ids are `<prefix>:<query id>`, unique per run. */
  sessionPrefix: string;
  onResult?: (result: QueryResult, done: number) => void;
}

/** The query set without Langfuse: the same agent, the same scoring, results only on this machine. */
export async function runLocally(deps: AgentDeps, queries: readonly EvalQuery[], options: LocalRunOptions): Promise<QueryResult[]> {
  let done = 0;
  return mapConcurrently(queries, options.concurrency, async (query) => {
    const result: QueryResult = { query, turns: await runQuery(deps, query, options.sessionPrefix), traceId: null };
    done += 1;
    options.onResult?.(result, done);
    return result;
  });
}
