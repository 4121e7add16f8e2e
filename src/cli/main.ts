import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { createServices, type Services } from '../app.js';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { createLogger } from '../logger.js';
import { runAgent } from '../agent/index.js';
import { runImport } from './import.js';

const USAGE = `Usage:
  npm run chat                 interactive chat with the sommelier
  npm run ask -- "question"    one question, one answer
  npm run import -- FILE.csv   import a wine list (X-Wines columns or the simple shop format, see README)`;

interface Answer {
  reply: string;
  traceUrl: string | null;
  traceId: string | null;
}

type Ask = (message: string) => Promise<Answer>;

/** A running service owns its embedded database; talk to it over HTTP instead of opening the files twice. */
async function runningServiceUrl(config: Config): Promise<string | null> {
  const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
  const url = `http://${host}:${config.server.port}`;
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(500) });
    return response.ok ? url : null;
  } catch {
    return null;
  }
}

interface ChatAnswer {
  reply?: string;
  traceUrl?: string | null;
  traceId?: string | null;
  sessionId?: string;
  sessionToken?: string | null;
  error?: { message: string };
}

/**
 * Asks a running service. Its first answer issues the session; the pair it returns goes with every later
 * question, which is what lets the conversation continue (an id without its token would start afresh).
 */
function overHttp(url: string, apiToken: string | undefined): Ask {
  let session: { sessionId: string; sessionToken: string } | null = null;
  return async (message) => {
    const response = await fetch(`${url}/api/v1/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiToken ? { authorization: `Bearer ${apiToken}` } : {}) },
      body: JSON.stringify({ message, channel: 'cli', ...(session ?? {}) }),
    });
    const body = (await response.json()) as ChatAnswer;
    if (!response.ok || body.reply === undefined) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
    if (body.sessionId && body.sessionToken) session = { sessionId: body.sessionId, sessionToken: body.sessionToken };
    return { reply: body.reply, traceUrl: body.traceUrl ?? null, traceId: body.traceId ?? null };
  };
}

function inProcess(services: Services, sessionId: string): Ask {
  return async (message) => {
    const result = await runAgent(services.deps, { message, sessionId, userId: null, channel: 'cli' });
    return {
      reply: result.reply,
      traceId: result.traceId,
      traceUrl: result.traceId ? services.observability.traceUrl(result.traceId) : null,
    };
  };
}

function printAnswer(answer: Answer): void {
  process.stdout.write(`\n${answer.reply}\n`);
  if (answer.traceUrl) process.stdout.write(`\ntrace: ${answer.traceUrl}\n`);
  else if (answer.traceId) process.stdout.write(`\ntrace id: ${answer.traceId}\n`);
  process.stdout.write('\n');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || !['chat', 'ask', 'import'].includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const serviceUrl = await runningServiceUrl(config);

  if (command === 'import') {
    const file = rest[0];
    if (!file) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    if (serviceUrl && config.database.kind === 'pglite') {
      process.stderr.write(
        `The service at ${serviceUrl} has the embedded database open. Stop it first (imports write to the same files), or use DATABASE_URL.\n`,
      );
      return 1;
    }
    const services = await createServices({ ...config, catalogSeed: true }, { logger: createLogger('warn') });
    try {
      const report = await runImport(file, services.db, process.stdout);
      return report.rejected.length > 0 && report.inserted + report.updated === 0 ? 1 : 0;
    } finally {
      await services.close();
    }
  }

  let services: Services | null = null;
  let ask: Ask;
  if (serviceUrl) {
    ask = overHttp(serviceUrl, config.http.apiToken);
  } else {
    // This process owns the database: its session needs no token, only an id nobody else uses.
    services = await createServices(config, { logger: createLogger('warn') });
    ask = inProcess(services, `cli:${randomUUID()}`);
  }
  try {
    if (command === 'ask') {
      const question = rest.join(' ').trim();
      if (!question) {
        process.stderr.write(`${USAGE}\n`);
        return 2;
      }
      printAnswer(await ask(question));
      return 0;
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    process.stdout.write('Sommelier — ask in Russian or English. Empty line or Ctrl-D to quit.\n');
    try {
      for (;;) {
        let line: string;
        try {
          line = (await rl.question('> ')).trim();
        } catch {
          break; // stdin closed
        }
        if (!line) break;
        try {
          printAnswer(await ask(line));
        } catch (error) {
          process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
        }
      }
    } finally {
      rl.close();
    }
    return 0;
  } finally {
    await services?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
