import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LangfuseClient } from '@langfuse/client';
import { createServices } from '../app.js';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { createLogger } from '../logger.js';
import { VERSION } from '../version.js';
import { EXPERIMENT_NAME, runExperiment, uploadDataset } from './experiment.js';
import { failedThresholds, summarize, type QueryResult, type Summary } from './metrics.js';
import { parseOptions, UsageError, USAGE, type EvalOptions } from './options.js';
import { bundledQueries, parseQuerySet, type EvalQuery } from './query-set.js';
import { formatSummary, formatTable, resultsDocument, type RunInfo } from './report.js';
import { runLocally } from './runner.js';

/** How long the end of a run waits for its spans to reach Langfuse (a service's shutdown waits 3 s at most). */
const SHUTDOWN_FLUSH_MS = 30_000;
/** How long a run waits for the prompt version it will use (LANGFUSE_PROMPT_NAME). */
const PROMPT_WAIT_MS = 10_000;

type Env = Record<string, string | undefined>;

/** The configuration the eval runs with: the environment's, with the command line's engine and model. */
export function evalConfig(options: Pick<EvalOptions, 'engine' | 'model'>, dataDir: string, env: Env): Config {
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
    langfuse: {
      ...config.langfuse,
      // Every item of an experiment is traced, and the run waits for its spans to be delivered.
      sampleRate: 1,
      shutdownFlushTimeoutMs: SHUTDOWN_FLUSH_MS,
    },
  };
}

const describeError = (error: unknown): string => (error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error));

/** The package version, plus the commit when run from a git checkout: what the run measured. */
function release(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return commit ? `${VERSION}+${commit}` : VERSION;
  } catch {
    return VERSION;
  }
}

export async function loadQueries(options: Pick<EvalOptions, 'queries' | 'only' | 'limit'>): Promise<EvalQuery[]> {
  let queries = options.queries ? parseQuerySet(JSON.parse(await readFile(options.queries, 'utf8'))) : bundledQueries();
  if (options.only.length > 0) queries = queries.filter((query) => options.only.some((word) => query.id.includes(word) || query.class.includes(word)));
  if (options.limit !== undefined) queries = queries.slice(0, options.limit);
  return queries;
}

export interface EvalRun {
  results: QueryResult[];
  summary: Summary;
  info: RunInfo;
}

export interface EvalIo {
  env: Env;
  /** Progress and warnings. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * One eval run: a fresh embedded database with the bundled catalog, the configured (or chosen) engine,
 * every query through the real agent. With Langfuse configured the run is a Langfuse experiment.
 * Throws ConfigError for a bad configuration.
 */
export async function runEval(options: EvalOptions, queries: readonly EvalQuery[], io: EvalIo): Promise<EvalRun> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sommelier-eval-'));
  let config: Config;
  try {
    config = evalConfig(options, dataDir, io.env);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const level = io.env.LOG_LEVEL === 'debug' || io.env.LOG_LEVEL === 'trace' ? io.env.LOG_LEVEL : 'warn';
  // Each query's trace nests under its experiment item's span (the SDK's runner makes it active).
  const services = await createServices(config, { logger: createLogger(level), nestInActiveSpan: true });
  const startedAt = new Date();
  const started = performance.now();
  const engine = config.llm.provider;
  const model = services.deps.chatModel.model;
  const releaseName = release();
  const { publicKey, secretKey } = config.langfuse;
  const asExperiment = options.langfuse && config.langfuse.enabled && publicKey !== undefined && secretKey !== undefined;
  const progress = (_result: QueryResult, done: number): void => {
    if (io.stderr.isTTY) io.stderr.write(`\r${done}/${queries.length} queries`);
  };
  const sessionPrefix = `eval:${randomUUID()}`;
  let prompt = 'builtin';
  let runName = options.runName ?? '';
  let results: QueryResult[] = [];
  let langfuse: RunInfo['langfuse'] = null;
  try {
    // One prompt version for the whole run, named in the run.
    await services.deps.prompts?.ready?.(PROMPT_WAIT_MS);
    prompt = services.deps.prompts?.describe() ?? 'builtin';
    runName ||= `${releaseName} · ${engine} · ${model} · prompt ${prompt} · ${startedAt.toISOString()}`;
    let client: LangfuseClient | null = null;
    let items: Awaited<ReturnType<typeof uploadDataset>> = [];
    if (asExperiment) {
      const { LangfuseClient } = await import('@langfuse/client');
      client = new LangfuseClient({ publicKey, secretKey, baseUrl: config.langfuse.baseUrl });
      try {
        items = await uploadDataset(client, options.dataset, queries);
      } catch (error) {
        // The numbers are still worth having: run without the experiment rather than not at all.
        io.stderr.write(`Langfuse dataset ${options.dataset} could not be stored (${describeError(error)}); running without an experiment\n`);
        client = null;
      }
    }
    if (client) {
      try {
        const outcome = await runExperiment({
          client,
          deps: services.deps,
          queries,
          items,
          datasetName: options.dataset,
          runName,
          metadata: { release: releaseName, engine, model, prompt },
          concurrency: options.concurrency,
          sessionPrefix,
          onResult: progress,
        });
        results = outcome.results;
        langfuse = { datasetName: options.dataset, datasetRunId: outcome.datasetRunId, datasetRunUrl: outcome.datasetRunUrl };
      } finally {
        await client.shutdown();
      }
      if (results.length < queries.length) io.stderr.write(`${queries.length - results.length} experiment items failed (see the log above)\n`);
    } else {
      results = await runLocally(services.deps, queries, { concurrency: options.concurrency, sessionPrefix, onResult: progress });
    }
    if (io.stderr.isTTY) io.stderr.write('\r');
  } finally {
    await services.close();
    // Spans not delivered yet are in the spool on disk: keep it and say where rather than delete them.
    const pending = services.observability.stats().pendingBytes;
    if (pending > 0) io.stderr.write(`${pending} bytes of traces not delivered to Langfuse yet; kept in ${dataDir}\n`);
    else await rm(dataDir, { recursive: true, force: true });
  }

  const info: RunInfo = {
    runName,
    experiment: langfuse ? EXPERIMENT_NAME : null,
    release: releaseName,
    engine,
    model,
    prompt,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    langfuse,
  };
  return { results, summary: summarize(results), info };
}

/** `npm run eval`: exit 0, 1 when a threshold is missed, 2 for bad flags or configuration. */
export async function main(argv: string[], env: Env = process.env): Promise<number> {
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
  let run: EvalRun;
  try {
    run = await runEval(options, queries, { env, stderr: process.stderr });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (!options.quiet) process.stdout.write(`${formatTable(run.results)}\n\n`);
  process.stdout.write(`${formatSummary(run.summary, run.info)}\n`);
  if (options.out) {
    await writeFile(options.out, `${JSON.stringify(resultsDocument(run.results, run.summary, run.info), null, 2)}\n`);
    process.stdout.write(`\nresults written to ${options.out}\n`);
  }
  const failed = failedThresholds(run.summary, options.thresholds);
  for (const { metric, value, min } of failed) process.stderr.write(`below threshold: ${metric} ${value.toFixed(3)} < ${min}\n`);
  return failed.length > 0 ? 1 : 0;
}
