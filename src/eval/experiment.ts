import type { LangfuseClient } from '@langfuse/client';
import { LangfuseOtelSpanAttributes } from '@langfuse/tracing';
import { trace } from '@opentelemetry/api';
import type { AgentDeps } from '../agent/index.js';
import { scoreQuery, summarize, THRESHOLD_METRICS, type QueryResult, type Summary } from './metrics.js';
import type { EvalQuery } from './query-set.js';
import { mapConcurrently, runQuery } from './runner.js';

/** The Langfuse experiment every eval run belongs to; runs of it are compared side by side. */
export const EXPERIMENT_NAME = 'sommelier-eval';

/** Item-level score names: prefixed so they never mix with the agent's own online scores on the same trace. */
export const ITEM_SCORES = {
  satisfaction: 'eval-satisfaction',
  groundedness: 'eval-groundedness',
  language: 'eval-language',
  outcome: 'eval-outcome',
  recommendations: 'eval-recommendations',
} as const;

export interface ExperimentOptions {
  client: LangfuseClient;
  deps: AgentDeps;
  queries: readonly EvalQuery[];
  /** The dataset items of `queries`, from uploadDataset. */
  items: DatasetItem[];
  datasetName: string;
  runName: string;
  /** Release, engine, model and prompt version: shown with the run in Langfuse. */
  metadata: Record<string, string>;
  concurrency: number;
  sessionPrefix: string;
  onResult?: (result: QueryResult, done: number) => void;
}

export interface ExperimentOutcome {
  results: QueryResult[];
  datasetRunId: string | null;
  datasetRunUrl: string | null;
}

type DatasetItem = Awaited<ReturnType<LangfuseClient['api']['datasetItems']['create']>>;

/** Bound of one dataset API call: the SDK's own default is a minute. */
const API_TIMEOUT = { timeoutInSeconds: 15, maxRetries: 1 };

/** Dataset item ids are unique per Langfuse project, so they carry the dataset's name. */
export const datasetItemId = (datasetName: string, queryId: string): string => `${datasetName}:${queryId}`;

/** The item a person sees in Langfuse: the messages as input, the expectations as expected output. */
function datasetItem(query: EvalQuery) {
  return {
    input: { turns: query.turns.map((turn) => turn.message) },
    expectedOutput: { turns: query.turns.map((turn) => ({ language: turn.language, ...turn.expect })) },
    metadata: { queryId: query.id, class: query.class, language: query.language, ...(query.note ? { note: query.note } : {}) },
  };
}

/**
 * An eval run as a Langfuse experiment. uploadDataset stores the query set as a dataset (items upserted on
 * their ids, so the dataset follows the query set); runExperiment runs it with @langfuse/client's runner:
 * one experiment item per query, whose span is the root of that query's trace. The agent runs inside the
 * item's task, in its active OpenTelemetry context, so its chat spans are children of the item span and
 * share its trace id; the evaluators' scores land on that trace, and the summary metrics on the dataset run.
 */
export async function uploadDataset(client: LangfuseClient, datasetName: string, queries: readonly EvalQuery[]): Promise<DatasetItem[]> {
  await client.api.datasets.create(
    { name: datasetName, description: 'Sommelier eval query set (src/eval/queries.json), upserted by npm run eval' },
    API_TIMEOUT,
  );
  return mapConcurrently(queries, 8, (query) =>
    client.api.datasetItems.create({ datasetName, id: datasetItemId(datasetName, query.id), ...datasetItem(query) }, API_TIMEOUT),
  );
}

/** Runs the uploaded query set as one experiment run (see the module comment). */
export async function runExperiment(options: ExperimentOptions): Promise<ExperimentOutcome> {
  const { client, datasetName, items } = options;

  const queryByItem = new Map(options.queries.map((query) => [datasetItemId(datasetName, query.id), query]));
  /** The full answer records, kept here: evaluators judge them, the item's output shows only what a person reads. */
  const results = new Map<string, QueryResult>();
  let done = 0;
  const resultFor = (metadata: unknown): QueryResult | undefined => {
    const queryId = metadata !== null && typeof metadata === 'object' ? (metadata as Record<string, unknown>).queryId : undefined;
    return typeof queryId === 'string' ? results.get(queryId) : undefined;
  };

  const scoreOf = (metadata: unknown) => {
    const result = resultFor(metadata);
    return result ? scoreQuery(result.turns) : null;
  };

  const outcome = await client.experiment.run({
    name: EXPERIMENT_NAME,
    runName: options.runName,
    description: `Sommelier eval: ${options.queries.length} queries`,
    metadata: options.metadata,
    data: items,
    maxConcurrency: options.concurrency,
    task: async (item) => {
      const query = 'id' in item && typeof item.id === 'string' ? queryByItem.get(item.id) : undefined;
      if (!query) throw new Error('experiment item is not in the query set');
      // The item span is the trace's root, and Langfuse 4 takes a trace's input and output from the root's
      // trace attributes only (the runner sets the observation's): the same values, as trace attributes.
      const itemSpan = trace.getActiveSpan();
      itemSpan?.setAttribute(LangfuseOtelSpanAttributes.TRACE_INPUT, JSON.stringify(item.input));
      const result: QueryResult = { query, turns: await runQuery(options.deps, query, options.sessionPrefix), traceId: null };
      results.set(query.id, result);
      done += 1;
      options.onResult?.(result, done);
      const output = {
        turns: result.turns.map(({ record }) => ({
          reply: record.reply,
          recommendations: record.recommendations.map((wine) => wine.name),
          ...(record.error ? { error: record.error } : {}),
        })),
      };
      itemSpan?.setAttribute(LangfuseOtelSpanAttributes.TRACE_OUTPUT, JSON.stringify(output));
      return output;
    },
    evaluators: [
      async ({ metadata }) => {
        const score = scoreOf(metadata);
        if (!score) return [];
        const comment = violationsComment(resultFor(metadata));
        return [
          // No recommendation, nothing to judge: the outcome score says whether that was right.
          ...(score.satisfaction === null ? [] : [{ name: ITEM_SCORES.satisfaction, value: score.satisfaction, ...(comment ? { comment } : {}) }]),
          ...(score.grounded === null ? [] : [{ name: ITEM_SCORES.groundedness, value: score.grounded }]),
          { name: ITEM_SCORES.language, value: score.language },
          { name: ITEM_SCORES.outcome, value: score.outcome },
          { name: ITEM_SCORES.recommendations, value: score.recommended },
        ];
      },
    ],
    runEvaluators: [
      async ({ itemResults }) => {
        const judged = itemResults.map((item) => resultFor(item.item.metadata)).filter((r): r is QueryResult => r !== undefined);
        return runScores(summarize(judged));
      },
    ],
  });

  const ordered = outcome.itemResults
    .map((itemResult) => {
      const result = resultFor(itemResult.item.metadata);
      return result ? { ...result, traceId: itemResult.traceId ?? null } : undefined;
    })
    .filter((result): result is QueryResult => result !== undefined);
  return { results: ordered, datasetRunId: outcome.datasetRunId ?? null, datasetRunUrl: outcome.datasetRunUrl ?? null };
}

/** The summary metrics with a value, as run-level scores named like the item scores. */
export function runScores(summary: Summary): { name: string; value: number }[] {
  return THRESHOLD_METRICS.flatMap((metric) => {
    const value = summary[metric];
    return value === null ? [] : [{ name: `eval-${metric}`, value }];
  });
}

function violationsComment(result: QueryResult | undefined): string | null {
  const broken = result?.turns.flatMap(({ score }) => score.violations.map((v) => `${v.wine}: ${v.broken.join(', ')}`)) ?? [];
  return broken.length === 0 ? null : broken.slice(0, 10).join('; ');
}
