import { destination as pinoDestination, pino, type DestinationStream, type Logger } from 'pino';
import { redactText, redactValue } from './masking.js';

/**
 * One log line (pino writes a JSON object per line) with every string value masked like a trace is
 * (src/masking.ts): messages, error messages and stacks, provider error bodies that echo
 * an API key, URLs with credentials, child-logger bindings, and whole values under secret-named fields.
 * Masked as parsed values, so a mask never cuts a JSON escape; log lines are few (no access log), so the
 * parse is cheap.
 */
export function maskLogLine(line: string): string {
  const body = line.endsWith('\n') ? line.slice(0, -1) : line;
  try {
    return `${JSON.stringify(redactValue(JSON.parse(body)))}\n`;
  } catch {
    return `${redactText(body)}\n`;
  }
}

/** The process logger, writing masked lines to `destination` (default stdout; tests pass a collector). */
export function createLogger(level: string, name = 'sommelier', destination: DestinationStream = pinoDestination(1)): Logger {
  const masked: DestinationStream = { write: (line: string) => destination.write(maskLogLine(line)) };
  return pino(
    {
      name,
      level,
      redact: { paths: ['req.headers.authorization', '*.apiKey', '*.secretKey', '*.apiToken'], censor: '[redacted]' },
    },
    masked,
  );
}
