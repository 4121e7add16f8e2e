import { scoreQuery, type QueryResult, type Summary } from './metrics.js';

/** What a run was: printed above the summary and saved with --out, so two runs can be told apart. */
export interface RunInfo {
  runName: string;
  /** The Langfuse experiment the run belongs to, null when it ran locally only. */
  experiment: string | null;
  release: string;
  engine: string;
  model: string;
  prompt: string;
  startedAt: string;
  durationMs: number;
  /** Set when the run is a Langfuse experiment. */
  langfuse: { datasetName: string; datasetRunId: string | null; datasetRunUrl: string | null } | null;
}

const fixed = (value: number | null, digits = 2): string => (value === null ? '–' : value.toFixed(digits));
const pad = (text: string, width: number): string => (text.length >= width ? text.slice(0, width) : text + ' '.repeat(width - text.length));
const padStart = (text: string, width: number): string => (text.length >= width ? text : ' '.repeat(width - text.length) + text);

/** What went wrong in a query, briefly: the first failed turn's error or constraint violations. */
function problems(result: QueryResult): string {
  const notes: string[] = [];
  result.turns.forEach(({ record, score }, i) => {
    const turn = result.query.turns[i];
    const prefix = result.turns.length > 1 ? `t${i + 1} ` : '';
    if (record.error !== null) {
      notes.push(`${prefix}error: ${record.error}`);
      return;
    }
    if (!score.outcomeMet) notes.push(`${prefix}${turn?.expect.outcome === 'none' ? `named ${score.recommended}, expected none` : 'named no wine'}`);
    for (const violation of score.violations.slice(0, 2)) notes.push(`${prefix}${violation.wine}: ${violation.broken.join(',')}`);
    if (score.violations.length > 2) notes.push(`${prefix}+${score.violations.length - 2} more`);
    if (!score.languageMatch) notes.push(`${prefix}replied in ${score.replyLanguage ?? '?'}`);
    if (score.grounded !== null && score.grounded < 1) notes.push(`${prefix}ungrounded items`);
    if (record.fallbackReason) notes.push(`${prefix}fallback: ${record.fallbackReason}`);
  });
  return notes.join('; ');
}

const COLUMNS: { title: string; width: number; right?: boolean }[] = [
  { title: 'query', width: 34 },
  { title: 'class', width: 16 },
  { title: 'recs', width: 4, right: true },
  { title: 'satisf', width: 6, right: true },
  { title: 'grnd', width: 4, right: true },
  { title: 'lang', width: 4, right: true },
  { title: 'outc', width: 4, right: true },
  { title: 'iter', width: 4, right: true },
  { title: 'tokens', width: 6, right: true },
  { title: 'ms', width: 6, right: true },
  { title: 'problems', width: 0 },
];

function row(cells: string[]): string {
  return cells
    .map((cell, i) => {
      const column = COLUMNS[i];
      if (!column || column.width === 0) return cell;
      return column.right ? padStart(cell, column.width) : pad(cell, column.width);
    })
    .join('  ')
    .trimEnd();
}

/** One line per query. */
export function formatTable(results: readonly QueryResult[]): string {
  const lines = [row(COLUMNS.map((column) => column.title))];
  for (const result of results) {
    const score = scoreQuery(result.turns);
    lines.push(
      row([
        result.query.id,
        result.query.class,
        String(score.recommended),
        fixed(score.satisfaction),
        fixed(score.grounded),
        fixed(score.language),
        fixed(score.outcome),
        String(score.iterations),
        String(score.tokens),
        String(Math.round(score.latencyMs)),
        problems(result),
      ]),
    );
  }
  return lines.join('\n');
}

export function formatSummary(summary: Summary, info: RunInfo): string {
  const lines = [
    `run            ${info.runName}`,
    `engine/model   ${info.engine} / ${info.model}    prompt ${info.prompt}    release ${info.release}`,
    `queries        ${summary.queries} (${summary.turns} turns, ${summary.errors} failed) in ${(info.durationMs / 1000).toFixed(1)} s`,
    '',
    `satisfaction   ${fixed(summary.satisfaction, 3)}   recommended wines meeting every hard constraint`,
    `groundedness   ${fixed(summary.groundedness, 3)}   recommendation items naming a wine a tool returned`,
    `language       ${fixed(summary.language, 3)}   turns answered in the expected language`,
    `answered       ${fixed(summary.answered, 3)}   "recommend" turns that named at least one wine`,
    `honesty        ${fixed(summary.honesty, 3)}   "none" turns (nothing matches, off-topic) that named no wine`,
    `recs/answer    ${fixed(summary.recommendationsPerAnswer)}`,
    `iterations     ${fixed(summary.iterationsPerTurn)} per turn`,
    `tokens         ${summary.tokens} (${fixed(summary.tokensPerTurn, 0)} per turn)`,
    `cost           ${summary.costUsd === null ? 'not reported' : `$${summary.costUsd.toFixed(4)}`}`,
    `latency        p50 ${fixed(summary.latencyP50Ms, 0)} ms, p95 ${fixed(summary.latencyP95Ms, 0)} ms per turn`,
    '',
    'by class       ' +
      Object.entries(summary.byClass)
        .map(([name, entry]) => `${name} ${fixed(entry.satisfaction)}/${fixed(entry.outcome)}`)
        .join(', ') +
      '   (satisfaction/outcome)',
  ];
  if (info.langfuse) {
    lines.push('', `langfuse       dataset ${info.langfuse.datasetName}, run ${info.langfuse.datasetRunUrl ?? info.langfuse.datasetRunId ?? info.runName}`);
  }
  return lines.join('\n');
}

/** The --out file: everything needed to compare two runs without Langfuse. */
export function resultsDocument(results: readonly QueryResult[], summary: Summary, info: RunInfo): unknown {
  return {
    run: info,
    summary,
    queries: results.map((result) => ({
      id: result.query.id,
      class: result.query.class,
      traceId: result.traceId,
      score: scoreQuery(result.turns),
      turns: result.turns.map(({ record, score }, i) => ({
        message: record.message,
        expect: result.query.turns[i]?.expect,
        reply: record.reply,
        recommendations: record.recommendations.map((wine) => ({
          id: wine.id,
          name: wine.name,
          type: wine.type,
          country: wine.country,
          grapes: wine.grapes,
          body: wine.body,
        })),
        violations: score.violations,
        grounded: score.grounded,
        replyLanguage: score.replyLanguage,
        outcomeMet: score.outcomeMet,
        iterations: record.iterations,
        tokens: record.tokens,
        costUsd: record.costUsd,
        latencyMs: Math.round(record.latencyMs),
        traceId: record.traceId,
        error: record.error,
      })),
    })),
  };
}
