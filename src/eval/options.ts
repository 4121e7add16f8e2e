import { parseArgs } from 'node:util';
import { z } from 'zod';
import { THRESHOLD_METRICS, type Thresholds } from './metrics.js';

export const USAGE = `Usage: npm run eval -- [options]

Runs the query set through the real agent (embedded database, the configured or chosen engine) and prints
a line per query and a summary. With Langfuse keys configured the run is also a Langfuse experiment.

  --engine offline|openai   engine to evaluate (default: the configured LLM_PROVIDER)
  --model NAME              model for the openai engine (default: LLM_MODEL)
  --concurrency N           queries in flight at once (default 4)
  --limit N                 only the first N queries
  --only WORD               only queries whose id or class contains WORD (repeatable)
  --queries FILE            a query set of your own (JSON, the shape of src/eval/queries.json)
  --out FILE                write every answer, score and the summary as JSON
  --dataset NAME            Langfuse dataset the query set is stored as (default sommelier-eval)
  --run-name NAME           Langfuse run name (default: release, engine, model, prompt version and time)
  --no-langfuse             do not make this run a Langfuse experiment even when keys are set
  --quiet                   print the summary only
  --min-satisfaction X      exit 1 when a summary metric is below X (0..1); likewise
  --min-groundedness X      --min-language, --min-answered and --min-honesty
  --help`;

const share = z.coerce.number<string>().min(0).max(1);
const positive = z.coerce.number<string>().int().positive();

const optionsSchema = z.object({
  engine: z.enum(['offline', 'openai']).optional(),
  model: z.string().min(1).optional(),
  concurrency: positive.default(4),
  limit: positive.optional(),
  only: z.array(z.string().min(1)).default([]),
  queries: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  dataset: z.string().min(1).default('sommelier-eval'),
  runName: z.string().min(1).optional(),
  langfuse: z.boolean().default(true),
  quiet: z.boolean().default(false),
  help: z.boolean().default(false),
  thresholds: z.object(Object.fromEntries(THRESHOLD_METRICS.map((metric) => [metric, share.optional()]))),
});

export type EvalOptions = Omit<z.output<typeof optionsSchema>, 'thresholds'> & { thresholds: Thresholds };

export class UsageError extends Error {}

/** Reads the command line; a bad flag or value is a UsageError naming it. */
export function parseOptions(argv: string[]): EvalOptions {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        engine: { type: 'string' },
        model: { type: 'string' },
        concurrency: { type: 'string' },
        limit: { type: 'string' },
        only: { type: 'string', multiple: true },
        queries: { type: 'string' },
        out: { type: 'string' },
        dataset: { type: 'string' },
        'run-name': { type: 'string' },
        'no-langfuse': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(THRESHOLD_METRICS.map((metric) => [`min-${metric}`, { type: 'string' as const }])),
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const parsed = optionsSchema.safeParse({
    engine: values.engine,
    model: values.model,
    concurrency: values.concurrency,
    limit: values.limit,
    only: values.only,
    queries: values.queries,
    out: values.out,
    dataset: values.dataset,
    runName: values['run-name'],
    langfuse: values['no-langfuse'] !== true,
    quiet: values.quiet,
    help: values.help,
    thresholds: Object.fromEntries(THRESHOLD_METRICS.map((metric) => [metric, values[`min-${metric}`]])),
  });
  if (!parsed.success) {
    const flag = (path: PropertyKey[]): string =>
      path[0] === 'thresholds' ? `--min-${String(path[1])}` : `--${String(path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UsageError(parsed.error.issues.map((issue) => `${flag(issue.path)}: ${issue.message}`).join('\n'));
  }
  return parsed.data as EvalOptions;
}
