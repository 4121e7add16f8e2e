import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSommelier } from '../app.js';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { createLogger } from '../logger.js';
import { VERSION } from '../version.js';
import { failedThresholds, summarize, type QueryResult } from './metrics.js';
import { parseOptions, UsageError, USAGE, type EvalOptions } from './options.js';
import { bundledQueries, parseQuerySet, type EvalQuery } from './query-set.js';
import { formatSummary, formatTable, resultsDocument, type RunInfo } from './report.js';
import { runLocally } from './runner.js';

/** The configuration the eval runs with: the environment's, with the command line's engine and model. */
export function evalConfig(options: EvalOptions, dataDir: string, env: Record<string, string | undefined> = process.env): Config {
  const config = loadConfig({
    ...env,
    ...(options.engine ? { LLM_PROVIDER: options.engine } : {}),
    ...(options.model ? { LLM_MODEL: options.model } : {}),
    // A fresh embedded database per run: the bundled catalog as it is now, no earlier sessions.
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    CATALOG_SEED: 'true',
  });
  return {
    ...config,
    // An answer from the offline fallback would be scored as the LLM's: a failed LLM call is a failed turn.
    llm: { ...config.llm, fallbackToOffline: false },
  };
}

async function loadQueries(options: EvalOptions): Promise<EvalQuery[]> {
  let queries = options.queries ? parseQuerySet(JSON.parse(await readFile(options.queries, 'utf8'))) : bundledQueries();
  if (options.only.length > 0) queries = queries.filter((query) => options.only.some((word) => query.id.includes(word) || query.class.includes(word)));
  if (options.limit !== undefined) queries = queries.slice(0, options.limit);
  return queries;
}

export async function main(argv: string[]): Promise<number> {
  let options: EvalOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const queries = await loadQueries(options);
  if (queries.length === 0) {
    process.stderr.write('no queries to run\n');
    return 2;
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-eval-'));
  let config: Config;
  try {
    config = evalConfig(options, dataDir);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger(process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace' ? process.env.LOG_LEVEL : 'warn');
  const sommelier = await createSommelier(config, { logger });
  const startedAt = new Date();
  const started = performance.now();
  const engine = config.llm.provider;
  const model = sommelier.deps.chatModel.model;
  const runName = options.runName ?? `${VERSION} · ${engine} · ${model} · prompt builtin · ${startedAt.toISOString()}`;
  let results: QueryResult[];
  try {
    const progress = (_result: QueryResult, done: number): void => {
      if (process.stderr.isTTY) process.stderr.write(`\r${done}/${queries.length} queries`);
    };
    results = await runLocally(sommelier.deps, queries, {
      concurrency: options.concurrency,
      sessionPrefix: `eval:${randomUUID()}`,
      onResult: progress,
    });
    if (process.stderr.isTTY) process.stderr.write('\r');
  } finally {
    await sommelier.close();
    await rm(dataDir, { recursive: true, force: true });
  }

  const summary = summarize(results);
  const info: RunInfo = {
    runName,
    release: VERSION,
    engine,
    model,
    prompt: 'builtin',
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    langfuse: null,
  };
  if (!options.quiet) process.stdout.write(`${formatTable(results)}\n\n`);
  process.stdout.write(`${formatSummary(summary, info)}\n`);
  if (options.out) {
    await writeFile(options.out, `${JSON.stringify(resultsDocument(results, summary, info), null, 2)}\n`);
    process.stdout.write(`\nresults written to ${options.out}\n`);
  }
  const failed = failedThresholds(summary, options.thresholds);
  for (const { metric, value, min } of failed) process.stderr.write(`below threshold: ${metric} ${value.toFixed(3)} < ${min}\n`);
  return failed.length > 0 ? 1 : 0;
}
