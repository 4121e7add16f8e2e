import type { Wine } from '../catalog/index.js';
import { groundedness } from '../agent/index.js';
import type { Language } from '../understanding/index.js';
import { hasHardConstraints, type EvalQuery, type Expectation } from './query-set.js';

/** What one turn of the agent produced, as the runner observed it. */
export interface TurnRecord {
  message: string;
  reply: string;
  /** Wines the reply names, from the tool results (the agent's own reading of its reply). */
  recommendations: Wine[];
  /** Every wine a tool returned during the turn: what the reply may name. */
  toolWines: Wine[];
  iterations: number;
  tokens: number;
  costUsd: number | null;
  latencyMs: number;
  engine: string;
  model: string;
  traceId: string | null;
  fallbackReason: string | null;
  /** The turn threw (LLM unavailable, a bug): there is no reply to judge. */
  error: string | null;
}

export interface TurnScore {
  recommended: number;
  /** Recommended wines meeting every constraint of the turn. */
  satisfied: number;
  /** null when nothing was recommended. */
  satisfaction: number | null;
  violations: { wine: string; broken: string[] }[];
  /** Share of the reply's recommendation items naming a tool-returned wine (1 when it lists none). */
  grounded: number | null;
  replyLanguage: Language | null;
  languageMatch: boolean;
  /** recommend: named at least one wine; none: named no wine; open: always. */
  outcomeMet: boolean;
}

const fold = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .trim();

const anyOf = (wanted: readonly string[], actual: readonly string[]): boolean => {
  const have = new Set(actual.map(fold));
  return wanted.some((name) => have.has(fold(name)));
};

/** Every constraint of `expect` the wine breaks ("outcome" when the turn expects no wine at all). */
export function brokenConstraints(wine: Wine, expect: Expectation): string[] {
  const broken: string[] = [];
  if (expect.outcome === 'none' && !hasHardConstraints(expect)) broken.push('outcome');
  if (expect.types && !expect.types.includes(wine.type)) broken.push('type');
  if (expect.notTypes?.includes(wine.type)) broken.push('notType');
  if (expect.countries && !(wine.country && anyOf(expect.countries, [wine.country]))) broken.push('country');
  if (expect.notCountries && wine.country && anyOf(expect.notCountries, [wine.country])) broken.push('notCountry');
  if (expect.grapes && !anyOf(expect.grapes, wine.grapes)) broken.push('grape');
  if (expect.notGrapes && anyOf(expect.notGrapes, wine.grapes)) broken.push('notGrape');
  if (expect.pairings && !anyOf(expect.pairings, wine.pairings)) broken.push('pairing');
  if (expect.bodies && !(wine.body && expect.bodies.includes(wine.body))) broken.push('body');
  if (expect.minAbv !== undefined && !(wine.abv !== null && wine.abv >= expect.minAbv)) broken.push('abv');
  if (expect.maxAbv !== undefined && !(wine.abv !== null && wine.abv <= expect.maxAbv)) broken.push('abv');
  return broken;
}

const CYRILLIC = /\p{Script=Cyrillic}/gu;
const LATIN = /\p{Script=Latin}/gu;
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The language a reply is written in, once the catalog's proper nouns (wine, winery, region, grape and
 * country names, mostly Latin script) are taken out: a Russian reply listing five French wines is Russian.
 * null when no letters are left.
 */
export function replyLanguage(reply: string, wines: readonly Wine[]): Language | null {
  const nouns = new Set<string>();
  for (const wine of wines) {
    for (const noun of [wine.name, wine.winery, wine.region, wine.country, ...wine.grapes]) if (noun) nouns.add(noun);
  }
  let text = reply;
  // Longest first, so "Pinot Noir Reserve" goes before "Pinot Noir".
  for (const noun of [...nouns].sort((a, b) => b.length - a.length)) {
    text = text.replace(new RegExp(escapeRegExp(noun), 'giu'), ' ');
  }
  const cyrillic = text.match(CYRILLIC)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (cyrillic + latin === 0) return null;
  return cyrillic >= latin ? 'ru' : 'en';
}

export function scoreTurn(turn: { language: Language; expect: Expectation }, record: TurnRecord): TurnScore {
  if (record.error !== null) {
    return {
      recommended: 0,
      satisfied: 0,
      satisfaction: null,
      violations: [],
      grounded: null,
      replyLanguage: null,
      languageMatch: false,
      outcomeMet: false,
    };
  }
  const violations = record.recommendations
    .map((wine) => ({ wine: wine.name, broken: brokenConstraints(wine, turn.expect) }))
    .filter((entry) => entry.broken.length > 0);
  const recommended = record.recommendations.length;
  const satisfied = recommended - violations.length;
  const language = replyLanguage(record.reply, record.toolWines);
  const { outcome } = turn.expect;
  return {
    recommended,
    satisfied,
    satisfaction: recommended === 0 ? null : satisfied / recommended,
    violations,
    grounded: groundedness(record.reply, record.toolWines),
    replyLanguage: language,
    // A reply with no letters at all ("🍷") cannot be in the wrong language, nor in the right one.
    languageMatch: language === turn.language,
    outcomeMet: outcome === 'open' || (outcome === 'recommend' ? recommended > 0 : recommended === 0),
  };
}

export interface QueryResult {
  query: EvalQuery;
  turns: { record: TurnRecord; score: TurnScore }[];
  /** The experiment item's trace when the run is a Langfuse experiment. */
  traceId: string | null;
}

/** One query's numbers over its turns, as the per-query table and the Langfuse item scores show them. */
export interface QueryScore {
  recommended: number;
  satisfied: number;
  satisfaction: number | null;
  grounded: number | null;
  language: number;
  outcome: number;
  iterations: number;
  tokens: number;
  costUsd: number | null;
  latencyMs: number;
  errors: number;
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
const mean = (values: number[]): number | null => (values.length === 0 ? null : sum(values) / values.length);

export function scoreQuery(turns: QueryResult['turns']): QueryScore {
  const recommended = sum(turns.map((t) => t.score.recommended));
  const satisfied = sum(turns.map((t) => t.score.satisfied));
  const costs = turns.map((t) => t.record.costUsd).filter((cost): cost is number => cost !== null);
  return {
    recommended,
    satisfied,
    satisfaction: recommended === 0 ? null : satisfied / recommended,
    grounded: mean(turns.map((t) => t.score.grounded).filter((g): g is number => g !== null)),
    language: mean(turns.map((t) => (t.score.languageMatch ? 1 : 0))) ?? 0,
    outcome: mean(turns.map((t) => (t.score.outcomeMet ? 1 : 0))) ?? 0,
    iterations: sum(turns.map((t) => t.record.iterations)),
    tokens: sum(turns.map((t) => t.record.tokens)),
    costUsd: costs.length === 0 ? null : sum(costs),
    latencyMs: sum(turns.map((t) => t.record.latencyMs)),
    errors: turns.filter((t) => t.record.error !== null).length,
  };
}

/** Nearest-rank percentile; null for no values. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

export interface Summary {
  queries: number;
  turns: number;
  errors: number;
  /** Recommended wines meeting every hard constraint, over all recommended wines (pooled over turns). */
  satisfaction: number | null;
  /** Mean groundedness over the turns that produced a reply. */
  groundedness: number | null;
  /** Share of turns answered in the expected language (a failed turn counts as a miss). */
  language: number | null;
  /** Share of `recommend` turns that named at least one wine. */
  answered: number | null;
  /** Share of `none` turns (nothing matches, off-topic) that named no wine. */
  honesty: number | null;
  /** Mean number of wines named per `recommend` turn. */
  recommendationsPerAnswer: number | null;
  iterationsPerTurn: number | null;
  tokens: number;
  tokensPerTurn: number | null;
  /** null when the engine reports no cost (the offline engine). */
  costUsd: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  byClass: Record<string, { queries: number; satisfaction: number | null; outcome: number | null }>;
}

export function summarize(results: QueryResult[]): Summary {
  const turnsOf = (items: QueryResult[]) =>
    items.flatMap((result) => result.query.turns.map((turn, i) => ({ turn, ...(result.turns[i] ?? notRun(turn.message)) })));
  const turns = turnsOf(results);
  const replied = turns.filter((t) => t.record.error === null);
  const recommendTurns = turns.filter((t) => t.turn.expect.outcome === 'recommend');
  const noneTurns = turns.filter((t) => t.turn.expect.outcome === 'none');
  const costs = turns.map((t) => t.record.costUsd).filter((cost): cost is number => cost !== null);
  const latencies = replied.map((t) => t.record.latencyMs);
  const share = (items: typeof turns, test: (t: (typeof turns)[number]) => boolean): number | null =>
    mean(items.map((t) => (test(t) ? 1 : 0)));
  const pooledSatisfaction = (items: typeof turns): number | null => {
    const recommended = sum(items.map((t) => t.score.recommended));
    return recommended === 0 ? null : sum(items.map((t) => t.score.satisfied)) / recommended;
  };

  const byClass: Summary['byClass'] = {};
  for (const name of new Set(results.map((result) => result.query.class))) {
    const ofClass = results.filter((result) => result.query.class === name);
    const classTurns = turnsOf(ofClass);
    byClass[name] = {
      queries: ofClass.length,
      satisfaction: pooledSatisfaction(classTurns),
      outcome: share(classTurns, (t) => t.score.outcomeMet),
    };
  }

  return {
    queries: results.length,
    turns: turns.length,
    errors: turns.length - replied.length,
    satisfaction: pooledSatisfaction(turns),
    groundedness: mean(replied.map((t) => t.score.grounded).filter((g): g is number => g !== null)),
    language: share(turns, (t) => t.score.languageMatch),
    answered: share(recommendTurns, (t) => t.score.recommended > 0),
    honesty: share(noneTurns, (t) => t.record.error === null && t.score.recommended === 0),
    recommendationsPerAnswer: mean(recommendTurns.filter((t) => t.record.error === null).map((t) => t.score.recommended)),
    iterationsPerTurn: mean(replied.map((t) => t.record.iterations)),
    tokens: sum(turns.map((t) => t.record.tokens)),
    tokensPerTurn: mean(replied.map((t) => t.record.tokens)),
    costUsd: costs.length === 0 ? null : sum(costs),
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    byClass,
  };
}

/** The record of a turn that never ran: an earlier turn of its conversation failed. */
export function notRun(message: string, error = 'not run: an earlier turn of the conversation failed'): { record: TurnRecord; score: TurnScore } {
  const record: TurnRecord = {
    message,
    reply: '',
    recommendations: [],
    toolWines: [],
    iterations: 0,
    tokens: 0,
    costUsd: null,
    latencyMs: 0,
    engine: '',
    model: '',
    traceId: null,
    fallbackReason: null,
    error,
  };
  return { record, score: scoreTurn({ language: 'en', expect: { outcome: 'open' } }, record) };
}

/** Threshold flags: the summary metric each one bounds from below. */
export const THRESHOLD_METRICS = ['satisfaction', 'groundedness', 'language', 'answered', 'honesty'] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];
export type Thresholds = Partial<Record<ThresholdMetric, number>>;

/** The metrics below their threshold; a metric with no value (nothing to judge) does not fail. */
export function failedThresholds(summary: Summary, thresholds: Thresholds): { metric: ThresholdMetric; value: number; min: number }[] {
  const failed: { metric: ThresholdMetric; value: number; min: number }[] = [];
  for (const metric of THRESHOLD_METRICS) {
    const min = thresholds[metric];
    const value = summary[metric];
    if (min === undefined || value === null) continue;
    // Rounded to the precision the summary prints, so "1.000 < 1" never fails on float noise.
    if (Math.round(value * 1e6) / 1e6 < min) failed.push({ metric, value, min });
  }
  return failed;
}
