import { describe, expect, it } from 'vitest';
import type { Wine } from '../../src/catalog/types.js';
import {
  brokenConstraints,
  failedThresholds,
  percentile,
  replyLanguage,
  scoreTurn,
  summarize,
  type QueryResult,
  type TurnRecord,
} from '../../src/eval/metrics.js';
import { parseOptions, UsageError } from '../../src/eval/options.js';
import type { EvalQuery, Expectation } from '../../src/eval/query-set.js';

const wine = (overrides: Partial<Wine>): Wine => ({
  id: 1,
  name: 'Château Test',
  type: 'red',
  elaborate: null,
  grapes: ['Merlot'],
  pairings: ['Beef'],
  body: 'full',
  acidity: 'medium',
  abv: 13.5,
  country: 'France',
  region: 'Bordeaux',
  winery: 'Test Winery',
  website: null,
  vintages: [],
  rating: 4,
  ratingCount: 10,
  price: null,
  currency: null,
  stock: null,
  ...overrides,
});

const record = (overrides: Partial<TurnRecord>): TurnRecord => ({
  message: 'm',
  reply: '',
  recommendations: [],
  toolWines: [],
  iterations: 2,
  tokens: 100,
  costUsd: null,
  latencyMs: 10,
  engine: 'offline',
  model: 'm',
  traceId: null,
  fallbackReason: null,
  error: null,
  ...overrides,
});

const query = (id: string, expect: Expectation, language: 'ru' | 'en' = 'en'): EvalQuery => ({
  id,
  class: 'multi-constraint',
  language,
  note: undefined,
  turns: [{ message: id, language, expect }],
});

const result = (q: EvalQuery, r: TurnRecord): QueryResult => ({
  query: q,
  turns: [{ record: r, score: scoreTurn(q.turns[0]!, r) }],
  traceId: null,
});

describe('brokenConstraints', () => {
  it('checks any-of and none-of lists in the catalog spelling, ignoring case and accents', () => {
    const merlot = wine({});
    expect(brokenConstraints(merlot, { outcome: 'recommend', types: ['red'], countries: ['france'], pairings: ['Lamb', 'Beef'] })).toEqual([]);
    expect(brokenConstraints(wine({ grapes: ['Carmenère'] }), { outcome: 'recommend', grapes: ['Carmenere'] })).toEqual([]);
    expect(brokenConstraints(merlot, { outcome: 'recommend', notGrapes: ['Merlot'], notCountries: ['France'], notTypes: ['red'] })).toEqual([
      'notType',
      'notCountry',
      'notGrape',
    ]);
    expect(brokenConstraints(merlot, { outcome: 'recommend', bodies: ['light'], maxAbv: 12 })).toEqual(['body', 'abv']);
  });

  it('counts any wine named for an off-topic message as a broken expectation', () => {
    expect(brokenConstraints(wine({}), { outcome: 'none' })).toEqual(['outcome']);
    expect(brokenConstraints(wine({}), { outcome: 'open' })).toEqual([]);
  });
});

describe('replyLanguage', () => {
  it('reads a Russian reply listing Latin-script wine names as Russian', () => {
    const wines = [wine({ name: 'Domaine de la Grande Cuvée Réserve Spéciale', winery: 'Maison Louis Latour Bourgogne' })];
    const reply = 'Советую: Domaine de la Grande Cuvée Réserve Spéciale (Maison Louis Latour Bourgogne, France) — к мясу.';
    expect(replyLanguage(reply, wines)).toBe('ru');
    expect(replyLanguage('Try the Domaine de la Grande Cuvée Réserve Spéciale with beef.', wines)).toBe('en');
    expect(replyLanguage('🍷 13%', wines)).toBeNull();
  });
});

describe('scoreTurn and summarize', () => {
  const red = wine({ id: 1, name: 'Red One' });
  const white = wine({ id: 2, name: 'White Two', type: 'white' });
  const reply = '1. Red One — good\n2. White Two — also good';

  it('pools satisfaction over recommended wines and judges outcomes, language and groundedness per turn', () => {
    const redQuery = query('red-steak', { outcome: 'recommend', types: ['red'] });
    const noneQuery = query('nothing', { outcome: 'none', countries: ['Japan'] });
    const results = [
      result(redQuery, record({ reply, recommendations: [red, white], toolWines: [red, white], latencyMs: 10 })),
      result(noneQuery, record({ reply: 'Nothing from Japan, sorry.', latencyMs: 30 })),
    ];
    const [first] = results[0]!.turns;
    expect(first?.score).toMatchObject({ recommended: 2, satisfied: 1, satisfaction: 0.5, grounded: 1, languageMatch: true, outcomeMet: true });
    expect(first?.score.violations).toEqual([{ wine: 'White Two', broken: ['type'] }]);

    const summary = summarize(results);
    expect(summary).toMatchObject({ queries: 2, turns: 2, errors: 0, satisfaction: 0.5, groundedness: 1, language: 1, answered: 1, honesty: 1 });
    expect(summary.latencyP50Ms).toBe(10);
    expect(summary.latencyP95Ms).toBe(30);
    expect(summary.costUsd).toBeNull();
  });

  it('scores an unsatisfiable request answered with wines as dishonest and unsatisfied', () => {
    const noneQuery = query('nothing', { outcome: 'none', countries: ['Japan'] });
    const summary = summarize([result(noneQuery, record({ reply, recommendations: [red], toolWines: [red] }))]);
    expect(summary).toMatchObject({ satisfaction: 0, honesty: 0 });
  });

  it('counts a wine the reply lists but no tool returned as ungrounded', () => {
    const redQuery = query('red', { outcome: 'recommend' });
    const [turn] = result(redQuery, record({ reply, recommendations: [red], toolWines: [red] })).turns;
    expect(turn?.score.grounded).toBe(0.5);
  });

  it('counts a failed turn as a miss, not as a reply', () => {
    const redQuery = query('red', { outcome: 'recommend' }, 'ru');
    const summary = summarize([result(redQuery, record({ error: 'LLMUnavailableError: down' }))]);
    expect(summary).toMatchObject({ errors: 1, language: 0, answered: 0, satisfaction: null, groundedness: null });
  });

  it('fails thresholds only for metrics below them', () => {
    const summary = summarize([result(query('red', { outcome: 'recommend', types: ['red'] }), record({ reply, recommendations: [red, white], toolWines: [red, white] }))]);
    expect(failedThresholds(summary, { satisfaction: 0.95, groundedness: 1, language: 0.97 })).toEqual([{ metric: 'satisfaction', value: 0.5, min: 0.95 }]);
    // honesty has no "none" turn to judge: no value, no failure.
    expect(failedThresholds(summary, { honesty: 1 })).toEqual([]);
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('eval command line', () => {
  it('reads engine, limits, output and thresholds', () => {
    const options = parseOptions(['--engine', 'openai', '--model', 'x/y', '--limit', '5', '--out', 'r.json', '--min-satisfaction', '0.9', '--no-langfuse']);
    expect(options).toMatchObject({ engine: 'openai', model: 'x/y', limit: 5, out: 'r.json', langfuse: false, concurrency: 4 });
    expect(options.thresholds).toEqual({ satisfaction: 0.9 });
  });

  it('names the flag of a bad value', () => {
    expect(() => parseOptions(['--engine', 'gpt'])).toThrow(UsageError);
    expect(() => parseOptions(['--min-language', '1.5'])).toThrow(/--min-language/);
    expect(() => parseOptions(['--concurrency', '0'])).toThrow(/--concurrency/);
    expect(() => parseOptions(['--bogus'])).toThrow(UsageError);
  });
});
