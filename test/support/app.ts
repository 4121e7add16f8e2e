import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, type RunningApp, type StartAppOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/logger.js';

export interface TestApp extends RunningApp {
  dataDir: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string): Promise<Response>;
  /** Stops the app and removes its data directory. */
  dispose(): Promise<void>;
}

/** The real service on an embedded database in a fresh temp dir, listening on a free port. */
export async function startTestApp(env: Record<string, string | undefined> = {}, options: Pick<StartAppOptions, 'shutdownGraceMs'> = {}): Promise<TestApp> {
  const dataDir = env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'sommelier-test-')));
  // Every test client is one address: per-client rate limits are off unless a test asks for them.
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RATE_LIMIT_ENABLED: 'false', ...env, DATA_DIR: dataDir });
  const app = await startApp(config, { ...options, logger: createLogger(config.server.logLevel) });
  return {
    ...app,
    dataDir,
    post: (path, body, headers = {}) =>
      fetch(`${app.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: (path) => fetch(`${app.url}${path}`),
    async dispose() {
      await app.stop();
      if (!env.DATA_DIR) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
