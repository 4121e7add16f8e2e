import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEval, type EvalRun } from '../../src/eval/cli.js';
import { ITEM_SCORES } from '../../src/eval/experiment.js';
import { parseOptions } from '../../src/eval/options.js';
import { parseQuerySet } from '../../src/eval/query-set.js';
import { systemPrompt } from '../../src/agent/prompts.js';
import { startLangfuseReceiver, type LangfuseReceiver } from '../support/langfuse-receiver.js';
import { sommelierResponder, startScriptedLlm, type ScriptedLlm } from '../support/scripted-llm.js';
import { KEYS } from '../observability/support.js';

/**
 * The openai engine evaluated exactly like the offline one: the real `openai` SDK against the scripted
 * OpenAI-compatible server, the same runner, scoring and Langfuse experiment.
 */
const queries = parseQuerySet({
  about: 'test set',
  queries: [
    { id: 'red-steak', class: 'multi-constraint', language: 'en', message: 'A red wine for a steak', expect: { outcome: 'recommend', types: ['red'], pairings: ['Beef', 'Barbecue'] } },
    {
      id: 'steak-follow-up',
      class: 'follow-up',
      language: 'en',
      turns: [
        { message: 'Red wine for beef, please', expect: { outcome: 'recommend', types: ['red'] } },
        { message: 'something cheaper?', expect: { outcome: 'recommend', types: ['red'] } },
      ],
    },
  ],
});

const COST_PER_CALL = 0.0005;
let llm: ScriptedLlm;
let receiver: LangfuseReceiver;
let run: EvalRun;

beforeAll(async () => {
  llm = await startScriptedLlm();
  llm.fallback(sommelierResponder({ cost: COST_PER_CALL }));
  receiver = await startLangfuseReceiver(KEYS);
  run = await runEval(parseOptions(['--engine', 'openai', '--model', 'scripted/eval-model']), queries, {
    env: {
      LOG_LEVEL: 'silent',
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: 'test-key',
      LLM_MAX_RETRIES: '0',
      ...receiver.tracingEnv(),
    },
    stderr: new PassThrough(),
  });
});

afterAll(async () => {
  await receiver?.close();
  await llm?.close();
});

describe('npm run eval --engine openai (scripted OpenAI-compatible server)', () => {
  it('runs every turn through the LLM with the built-in system prompt and scores the answers', () => {
    expect(run.info).toMatchObject({ engine: 'openai', model: 'scripted/eval-model', prompt: 'builtin' });
    expect(llm.requests.length).toBeGreaterThanOrEqual(6);
    expect(llm.requests.every((request) => request.body.model === 'scripted/eval-model')).toBe(true);
    expect(llm.requests[0]?.body.messages[0]).toEqual({ role: 'system', content: systemPrompt('en') });

    expect(run.summary).toMatchObject({ queries: 2, turns: 3, errors: 0, satisfaction: 1, groundedness: 1, language: 1, answered: 1 });
    expect(run.summary.recommendationsPerAnswer).toBe(3);
    // Tokens and cost are the provider's own numbers, summed over every call.
    expect(run.summary.tokens).toBe(480 * llm.requests.length);
    expect(run.summary.costUsd).toBeCloseTo(COST_PER_CALL * llm.requests.length, 10);
  });

  it('is a Langfuse experiment like the offline run: item traces with LLM generations and eval scores', async () => {
    expect(run.info.langfuse?.datasetRunId).toBeTruthy();
    for (const result of run.results) {
      const traceId = result.traceId ?? '';
      const spans = await receiver.waitFor((r) => {
        const found = r.spansByTrace(traceId);
        return found.some((span) => span.parentSpanId === null) && found;
      }, 15_000);
      const root = spans.find((span) => span.parentSpanId === null);
      expect(root?.attributes['langfuse.experiment.id']).toBe(run.info.langfuse?.datasetRunId);
      const generations = spans.filter((span) => span.name === 'llm-completion');
      expect(generations.length).toBeGreaterThanOrEqual(2 * result.query.turns.length);
      expect(generations.every((span) => span.attributes['gen_ai.request.model'] === 'scripted/eval-model')).toBe(true);
    }
    const scores = await receiver.waitFor((r) => {
      const found = r.scores.filter((s) => s.name === ITEM_SCORES.satisfaction && s.traceId !== null);
      return found.length === run.results.length && found;
    }, 15_000);
    expect(scores.map((s) => s.traceId).sort()).toEqual(run.results.map((r) => r.traceId).sort());
    expect(scores.every((s) => s.value === 1)).toBe(true);
  });
});
