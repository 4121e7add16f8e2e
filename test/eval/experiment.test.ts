import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEval, type EvalRun } from '../../src/eval/cli.js';
import { datasetItemId, EXPERIMENT_NAME, ITEM_SCORES } from '../../src/eval/experiment.js';
import { parseOptions } from '../../src/eval/options.js';
import { bundledQueries } from '../../src/eval/query-set.js';
import { startLangfuseReceiver, type LangfuseReceiver, type ReceivedSpan } from '../support/langfuse-receiver.js';
import { assembleTrace } from '../support/trace-assembly.js';
import { KEYS } from '../observability/support.js';

/**
 * An eval run against the Langfuse-like receiver: the query set becomes a dataset, the run an experiment
 * made by @langfuse/client's runner, each query one experiment item whose trace holds the agent's chat
 * spans, with the metrics as scores on that trace and on the dataset run.
 */
const DATASET = 'eval-test';
const QUERY_IDS = ['follow-en-lamb-italy', 'multi-ru-argentina-malbec-steak', 'none-en-china'];

let receiver: LangfuseReceiver;
let run: EvalRun;
const stderr = new PassThrough();

beforeAll(async () => {
  receiver = await startLangfuseReceiver(KEYS);
  const queries = bundledQueries().filter((query) => QUERY_IDS.includes(query.id));
  run = await runEval(parseOptions(['--dataset', DATASET, '--concurrency', '2']), queries, {
    env: {
      LLM_PROVIDER: 'offline',
      LOG_LEVEL: 'silent',
      ...receiver.tracingEnv(),
    },
    stderr,
  });
});

afterAll(async () => {
  await receiver?.close();
});

/** The spans of a trace once its root has arrived (the root ends last). */
const traceSpans = (traceId: string): Promise<ReceivedSpan[]> =>
  receiver.waitFor((r) => {
    const spans = r.spansByTrace(traceId);
    return spans.some((span) => span.parentSpanId === null) && spans;
  }, 15_000);

describe('npm run eval with Langfuse configured', () => {
  it('stores the query set as a dataset and links each item to its trace in one dataset run', () => {
    expect(run.info.experiment).toBe(EXPERIMENT_NAME);
    expect(run.info.langfuse?.datasetName).toBe(DATASET);
    expect(receiver.datasets.map((d) => d.name)).toEqual([DATASET]);
    expect(receiver.datasetItems.map((item) => item.id).sort()).toEqual(QUERY_IDS.map((id) => datasetItemId(DATASET, id)).sort());

    expect(run.results.map((r) => r.query.id).sort()).toEqual([...QUERY_IDS].sort());
    const runIds = new Set(receiver.datasetRunItems.map((item) => item.datasetRunId));
    expect([...runIds]).toEqual([run.info.langfuse?.datasetRunId]);
    for (const result of run.results) {
      const link = receiver.datasetRunItems.find((item) => item.datasetItemId === datasetItemId(DATASET, result.query.id));
      expect(link?.runName).toBe(run.info.runName);
      expect(link?.traceId).toBe(result.traceId);
    }
  });

  it('names the run after release, engine, model and prompt version', () => {
    expect(run.info.runName).toContain(run.info.release);
    expect(run.info.runName).toContain('offline');
    expect(run.info.runName).toContain(run.info.model);
    expect(run.info.runName).toContain('prompt builtin');
  });

  it("makes each item span the root of the item's trace, with the agent's chat spans beneath it", async () => {
    const dataset = receiver.datasets[0];
    for (const result of run.results) {
      expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
      const spans = await traceSpans(result.traceId ?? '');
      const root = spans.find((span) => span.parentSpanId === null);
      expect(root?.name).toBe('experiment-item-run');
      expect(root?.attributes).toMatchObject({
        'langfuse.experiment.id': run.info.langfuse?.datasetRunId,
        'langfuse.experiment.name': run.info.runName,
        'langfuse.experiment.dataset.id': dataset?.id,
        'langfuse.experiment.item.id': datasetItemId(DATASET, result.query.id),
        'langfuse.environment': 'sdk-experiment',
      });
      // One agent trace per turn, each a child of the item span and tagged with the same experiment item.
      const chats = spans.filter((span) => span.name === 'sommelier-chat');
      expect(chats).toHaveLength(result.query.turns.length);
      for (const chat of chats) {
        expect(chat.parentSpanId).toBe(root?.spanId);
        expect(chat.attributes).toMatchObject({
          'langfuse.experiment.item.id': datasetItemId(DATASET, result.query.id),
          'langfuse.experiment.item.root_observation_id': root?.spanId,
          'langfuse.environment': 'sdk-experiment',
        });
      }
      expect(spans.some((span) => span.attributes['langfuse.observation.type'] === 'generation')).toBe(true);

      // As Langfuse 4 builds the trace: the item's input and output from the root, one unambiguous name and session.
      const assembled = assembleTrace(spans, 'v4');
      expect(assembled.conflicts).toEqual([]);
      expect(assembled.input).toEqual({ turns: result.query.turns.map((turn) => turn.message) });
      expect(assembled.output).toEqual({ turns: result.turns.map(({ record }) => ({ reply: record.reply, recommendations: record.recommendations.map((w) => w.name) })) });
      expect(assembled.name).toBe('sommelier-chat');
      expect(assembled.sessionId).toMatch(new RegExp(`^eval:[0-9a-f-]{36}:${result.query.id}$`));
    }
  });

  it("scores every item on its own trace and item span, and the summary on the dataset run", async () => {
    await receiver.waitFor((r) => r.scores.filter((s) => s.name.startsWith('eval-')).length >= run.results.length * 3, 15_000);
    for (const result of run.results) {
      const spans = await traceSpans(result.traceId ?? '');
      const root = spans.find((span) => span.parentSpanId === null);
      const scores = receiver.scores.filter((s) => s.traceId === result.traceId && s.name.startsWith('eval-'));
      expect(scores.every((s) => s.observationId === root?.spanId)).toBe(true);
      const byName = new Map(scores.map((s) => [s.name, s.value]));
      const recommended = result.turns.reduce((total, turn) => total + turn.score.recommended, 0);
      expect(byName.get(ITEM_SCORES.recommendations)).toBe(recommended);
      expect(byName.get(ITEM_SCORES.language)).toBe(result.turns.filter((t) => t.score.languageMatch).length / result.turns.length);
      expect(byName.has(ITEM_SCORES.outcome)).toBe(true);
      expect(byName.has(ITEM_SCORES.satisfaction)).toBe(recommended > 0);
    }
    const runScores = receiver.scores.filter((s) => s.datasetRunId !== null);
    expect(runScores.every((s) => s.datasetRunId === run.info.langfuse?.datasetRunId)).toBe(true);
    expect(runScores.find((s) => s.name === 'eval-language')?.value).toBe(run.summary.language);
    expect(runScores.find((s) => s.name === 'eval-groundedness')?.value).toBe(run.summary.groundedness);
  });
});
