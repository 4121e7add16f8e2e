import { main } from './cli.js';

/** `npm run eval`: see USAGE in options.ts, or `npm run eval -- --help`. */
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
