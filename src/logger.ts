import { pino, type Logger } from 'pino';

export function createLogger(level: string, name = 'sommelier'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', '*.apiKey', '*.secretKey'], censor: '[redacted]' },
  });
}
