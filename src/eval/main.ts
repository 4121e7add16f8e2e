// The Langfuse SDK's experiment runner warns that "OpenTelemetry has not been set up" whenever no global
// tracer provider is registered; ours is deliberately isolated (src/observability/langfuse.ts) and the
// experiment's spans do reach Langfuse. The SDK reads its log level once, when it loads: set it first.
process.env.LANGFUSE_LOG_LEVEL ??= 'ERROR';

/** `npm run eval`: see USAGE in options.ts, or `npm run eval -- --help`. */
const { main } = await import('./cli.js');
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
