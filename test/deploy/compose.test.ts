/**
 * Static validation of the docker compose stack (issue 6): no Docker engine runs in CI, so the compose
 * file, Dockerfile, .env.example, scripts and docs are checked against each other and against the app's
 * own config schema. Needs Debian's docker-compose (1.29.2) and shellcheck on PATH; without them the
 * tests fail with the install command rather than skip.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import {
  compareVersions,
  composeVariables,
  configEnvKeys,
  env,
  hardCodedSecrets,
  imageParts,
  imageTagProblem,
  langfuseReleaseProblem,
  parseCompose,
  parseEnvExample,
  portProblem,
  referencedVariables,
  repoRoot,
  service,
  V4_MIGRATION_SETTINGS,
  v4MigrationProblems,
  withDefaults,
  type ComposeFile,
  type EnvExample,
} from './compose-model.js';
import { LANGFUSE_V4_RELEASES, STORE_RELEASES } from './verified-releases.js';

const SERVICES = [
  'backend',
  'telegram-bot',
  'db',
  'langfuse-web',
  'langfuse-worker',
  'langfuse-postgres',
  'langfuse-clickhouse',
  'langfuse-redis',
  'langfuse-minio',
];
const LANGFUSE_STORES = ['langfuse-postgres', 'langfuse-clickhouse', 'langfuse-redis', 'langfuse-minio'];
const INIT_VARIABLES = [
  'LANGFUSE_INIT_ORG_ID',
  'LANGFUSE_INIT_ORG_NAME',
  'LANGFUSE_INIT_PROJECT_ID',
  'LANGFUSE_INIT_PROJECT_NAME',
  'LANGFUSE_INIT_PROJECT_PUBLIC_KEY',
  'LANGFUSE_INIT_PROJECT_SECRET_KEY',
  'LANGFUSE_INIT_USER_EMAIL',
  'LANGFUSE_INIT_USER_NAME',
  'LANGFUSE_INIT_USER_PASSWORD',
];
/** Named volume → [service, mount path] that must use it. */
const VOLUMES: Record<string, [string, string]> = {
  langfuse_postgres_data: ['langfuse-postgres', '/var/lib/postgresql/data'],
  langfuse_clickhouse_data: ['langfuse-clickhouse', '/var/lib/clickhouse'],
  langfuse_clickhouse_logs: ['langfuse-clickhouse', '/var/log/clickhouse-server'],
  langfuse_minio_data: ['langfuse-minio', '/data'],
  langfuse_redis_data: ['langfuse-redis', '/data'],
  sommelier_db_data: ['db', '/var/lib/postgresql/data'],
  sommelier_data: ['backend', '/app/data'],
  telegram_bot_data: ['telegram-bot', '/app/data'],
};
/**
 * Settings langfuse-web sets differently from the worker on purpose. The media endpoint: the worker
 * writes media itself (inside the network), web hands its URLs to browsers (the published port).
 */
const WEB_OVERRIDES: Record<string, { web: string; worker: string }> = {
  LANGFUSE_S3_MEDIA_UPLOAD_ENDPOINT: { web: 'http://localhost:9090', worker: 'http://langfuse-minio:9000' },
};
const APP_SERVICES = ['backend', 'telegram-bot'];

const read = (file: string) => readFile(path.join(repoRoot, file), 'utf8');

interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a CI tool with a minimal environment (so no variable of the test runner leaks into compose's
 * interpolation). A missing tool is a failure that says how to install it, never a skip.
 */
function runTool(command: string, args: string[], install: string): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: repoRoot, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error(`${command} is not installed; CI needs it: ${install}`));
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const INSTALL_COMPOSE = 'apt-get update && apt-get install -y docker-compose';
const INSTALL_SHELLCHECK = 'apt-get update && apt-get install -y shellcheck';

let compose: ComposeFile;
let envExample: EnvExample;
let envExampleText: string;

beforeAll(async () => {
  compose = parseCompose(await read('docker-compose.yml'));
  envExampleText = await read('.env.example');
  envExample = parseEnvExample(envExampleText);
});

describe('the rules themselves reject bad examples', () => {
  it('imageTagProblem flags floating and missing tags and accepts exact ones', () => {
    for (const bad of ['redis', 'redis:latest', 'redis:7', 'redis:7-alpine', 'langfuse/langfuse:3', 'langfuse/langfuse:3.225', 'postgres:17', 'minio/minio:latest', 'x/y:stable', 'langfuse/langfuse:${TAG:-3}']) {
      expect(imageTagProblem(bad), bad).toBeDefined();
    }
    for (const good of ['redis:7.4.2', 'langfuse/langfuse:4.16.0', 'postgres:17.5-bookworm', 'postgres:17.5', 'pgvector/pgvector:0.8.0-pg17', 'clickhouse/clickhouse-server:25.8.8.26', 'minio/minio:RELEASE.2025-04-22T22-12-26Z', 'node@sha256:abc', 'registry:5000/app:1.2.3']) {
      expect(imageTagProblem(good), good).toBeUndefined();
    }
  });

  it('portProblem flags every binding but 127.0.0.1', () => {
    for (const bad of ['8000:8000', '0.0.0.0:3000:3000', '3000', '[::]:80:80', 8000]) {
      expect(portProblem(bad), String(bad)).toBeDefined();
    }
    expect(portProblem({ target: 80, published: 80 })).toBeDefined();
    expect(portProblem('127.0.0.1:3000:3000')).toBeUndefined();
    expect(portProblem({ host_ip: '127.0.0.1', target: 80, published: 80 })).toBeUndefined();
  });

  it('hardCodedSecrets finds passwords in environment, URLs and command flags', () => {
    const bad = parseCompose(`
services:
  a:
    image: x:1.0.0
    command: ["redis-server", "--requirepass", "hunter2"]
    environment:
      POSTGRES_PASSWORD: hunter2
      DATABASE_URL: postgres://u:hunter2@db:5432/x
      NEXTAUTH_SECRET: \${NEXTAUTH_SECRET:-dev}
      CLICKHOUSE_USER: clickhouse
`);
    expect(hardCodedSecrets(bad)).toHaveLength(3);
  });

  it('langfuseReleaseProblem accepts only verified exact 4.x releases', () => {
    const releases = ['4.15.0', '4.16.0'];
    for (const bad of ['langfuse/langfuse:3.225.5', 'langfuse/langfuse:3.225.4', 'langfuse/langfuse:4', 'langfuse/langfuse:4.16', 'langfuse/langfuse:4.17.0', 'langfuse/langfuse:4.0.0-rc.3', 'langfuse/langfuse:v4.16.0', 'other/langfuse:4.16.0']) {
      expect(langfuseReleaseProblem(bad, releases), bad).toBeDefined();
    }
    for (const good of ['langfuse/langfuse:4.16.0', 'docker.io/langfuse/langfuse-worker:4.15.0', 'langfuse/langfuse-worker:${TAG:-4.16.0}']) {
      expect(langfuseReleaseProblem(good, releases), good).toBeUndefined();
    }
  });

  it('v4MigrationProblems rejects the combinations Langfuse 4 refuses or that lose data', () => {
    const bad: Array<Record<string, string>> = [
      { LANGFUSE_MIGRATION_V4_WRITE_MODE: 'legacy' },
      { LANGFUSE_MIGRATION_V4_WRITE_MODE: 'legacy', LANGFUSE_MIGRATION_V4_NATIVE_OTEL_BEHAVIOUR: 'direct', LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL: 'false' },
      { LANGFUSE_MIGRATION_V4_WRITE_MODE: 'legacy', LANGFUSE_MIGRATION_V4_NATIVE_OTEL_BEHAVIOUR: 'dual_write' },
      { LANGFUSE_MIGRATION_V4_NATIVE_OTEL_BEHAVIOUR: 'dual_write' },
      { LANGFUSE_MIGRATION_V4_ALLOW_PREVIEW_OPT_IN: 'false' },
      { LANGFUSE_MIGRATION_V4_WRITE_MODE: 'dual_write' },
      { LANGFUSE_migration_v4_WRITE_MODE: 'dual', LANGFUSE_MIGRATION_V4_NATIVE_OTEL_BEHAVIOUR: 'dual_write' },
      { LANGFUSE_BACKGROUND_MIGRATION_V4_DROP_PID_TID_SORTING_TABLES: 'yes' },
    ];
    for (const settings of bad) expect(v4MigrationProblems(settings), JSON.stringify(settings)).not.toEqual([]);
    const good: Array<Record<string, string>> = [
      {},
      { LANGFUSE_MIGRATION_V4_WRITE_MODE: 'events_only', LANGFUSE_MIGRATION_V4_NATIVE_OTEL_BEHAVIOUR: '' },
      // The guide's `legacy` and `dual` starting points.
      { LANGFUSE_MIGRATION_V4_WRITE_MODE: 'legacy', LANGFUSE_MIGRATION_V4_NATIVE_OTEL_BEHAVIOUR: 'dual_write', LANGFUSE_MIGRATION_V4_ALLOW_PREVIEW_OPT_IN: 'false', LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL: 'false' },
      { LANGFUSE_MIGRATION_V4_WRITE_MODE: 'dual', LANGFUSE_MIGRATION_V4_NATIVE_OTEL_BEHAVIOUR: 'dual_write', LANGFUSE_MIGRATION_V4_ALLOW_PREVIEW_OPT_IN: 'false', LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL: 'false' },
    ];
    for (const settings of good) expect(v4MigrationProblems(settings), JSON.stringify(settings)).toEqual([]);
  });

  it('compareVersions and imageParts read image tags as versions', () => {
    expect(compareVersions('25.12.8.9', '25.12')).toBeGreaterThan(0);
    expect(compareVersions('25.8.8.26', '25.12')).toBeLessThan(0);
    expect(compareVersions('17.11-bookworm', '17.11')).toBe(0);
    expect(compareVersions('7.4.11', '7.0')).toBeGreaterThan(0);
    expect(imageParts('docker.io/redis:7')).toEqual({ name: 'redis', tag: '7' });
    expect(imageParts('registry:5000/app')).toEqual({ name: 'registry:5000/app', tag: '' });
  });

  it('withDefaults and referencedVariables follow compose interpolation', () => {
    expect(withDefaults('a-${X:-dflt}-${Y}-${Z-z}')).toBe('a-dflt--z');
    expect(referencedVariables('${A:-1} $${NOT} ${B}')).toEqual(['A', 'B']);
  });
});

describe('docker-compose.yml', () => {
  it('has exactly the nine services', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...SERVICES].sort());
  });

  it('gives every service a healthcheck docker-compose 1.29 accepts', () => {
    for (const name of SERVICES) {
      const check = service(compose, name).healthcheck;
      expect(check, `${name} has no healthcheck`).toBeDefined();
      expect(check?.disable ?? false, name).toBe(false);
      expect(check?.test.length ?? 0, name).toBeGreaterThan(0);
      expect(check && 'start_interval' in check, `${name}: docker-compose 1.29.2 rejects start_interval`).toBe(false);
    }
  });

  it('makes every dependency wait for a healthy service', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      const dependsOn = svc.depends_on ?? {};
      expect(Array.isArray(dependsOn), `${name}: use the long depends_on form with a condition`).toBe(false);
      for (const [target, rule] of Object.entries(dependsOn)) {
        expect(Object.keys(compose.services), `${name} depends on unknown ${target}`).toContain(target);
        expect(typeof rule === 'object' && rule.condition, `${name} -> ${target}`).toBe('service_healthy');
      }
    }
    for (const name of ['langfuse-web', 'langfuse-worker']) {
      expect(Object.keys(service(compose, name).depends_on ?? {}).sort()).toEqual([...LANGFUSE_STORES].sort());
    }
    expect(Object.keys(service(compose, 'backend').depends_on ?? {})).toContain('db');
    expect(Object.keys(service(compose, 'telegram-bot').depends_on ?? {})).toContain('backend');
  });

  it('keeps all state in named volumes mounted where each service stores it', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [volume, [name, target]] of Object.entries(VOLUMES)) {
      expect(declared, `volume ${volume} is not declared`).toContain(volume);
      expect(service(compose, name).volumes ?? [], `${name} must mount ${volume}`).toContain(`${volume}:${target}`);
    }
    expect(env(service(compose, 'backend')).DATA_DIR).toBe(VOLUMES.sommelier_data?.[1]);
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const mount of svc.volumes ?? []) {
        const source = typeof mount === 'string' ? mount.split(':')[0] ?? '' : (mount.source ?? '');
        if (source.startsWith('.') || source.startsWith('/')) {
          expect(existsSync(path.resolve(repoRoot, source)), `${name} mounts missing ${source}`).toBe(true);
        } else {
          expect(declared, `${name} mounts undeclared volume ${source}`).toContain(source);
        }
      }
    }
  });

  it('provisions the Langfuse organisation, project, keys and user headlessly', () => {
    const web = env(service(compose, 'langfuse-web'));
    for (const name of INIT_VARIABLES) {
      expect(web[name], `langfuse-web lacks ${name}`).toMatch(new RegExp(`^\\$\\{${name}:-.+\\}$`));
      expect(envExample.values.get(name), `.env.example lacks a value for ${name}`).toBeTruthy();
    }
    expect(withDefaults(web.LANGFUSE_INIT_PROJECT_PUBLIC_KEY ?? '')).toMatch(/^pk-lf-/);
    expect(withDefaults(web.LANGFUSE_INIT_PROJECT_SECRET_KEY ?? '')).toMatch(/^sk-lf-/);
    expect(envExample.values.get('LANGFUSE_INIT_PROJECT_PUBLIC_KEY')).toMatch(/^pk-lf-/);
    expect(envExample.values.get('LANGFUSE_INIT_PROJECT_SECRET_KEY')).toMatch(/^sk-lf-/);
  });

  it('gives the backend and the bot the INIT project keys and the internal Langfuse URL', () => {
    const web = env(service(compose, 'langfuse-web'));
    for (const name of APP_SERVICES) {
      const app = env(service(compose, name));
      expect(app.LANGFUSE_PUBLIC_KEY, name).toBe(web.LANGFUSE_INIT_PROJECT_PUBLIC_KEY);
      expect(app.LANGFUSE_SECRET_KEY, name).toBe(web.LANGFUSE_INIT_PROJECT_SECRET_KEY);
      expect(app.LANGFUSE_PROJECT_ID, name).toBe(web.LANGFUSE_INIT_PROJECT_ID);
      expect(app.LANGFUSE_BASE_URL, name).toBe('http://langfuse-web:3000');
      expect(withDefaults(app.LANGFUSE_PUBLIC_URL ?? ''), name).toBe('http://localhost:3000');
    }
    expect(withDefaults(web.NEXTAUTH_URL ?? '')).toBe('http://localhost:3000');
  });

  it('runs langfuse-web and langfuse-worker on one verified exact Langfuse 4.x release', () => {
    const web = service(compose, 'langfuse-web').image ?? '';
    const worker = service(compose, 'langfuse-worker').image ?? '';
    expect(langfuseReleaseProblem(web, LANGFUSE_V4_RELEASES), 'langfuse-web').toBeUndefined();
    expect(langfuseReleaseProblem(worker, LANGFUSE_V4_RELEASES), 'langfuse-worker').toBeUndefined();
    expect(imageParts(web)).toEqual({ name: 'langfuse/langfuse', tag: imageParts(worker).tag });
    expect(imageParts(worker).name).toBe('langfuse/langfuse-worker');
  });

  it('gives web and worker the same settings, except the media endpoint each reaches MinIO by', () => {
    const webEnv = env(service(compose, 'langfuse-web'));
    const workerEnv = env(service(compose, 'langfuse-worker'));
    for (const [key, value] of Object.entries(workerEnv)) {
      if (!(key in WEB_OVERRIDES)) expect(webEnv[key], `langfuse-web ${key}`).toBe(value);
    }
    for (const [key, { web, worker }] of Object.entries(WEB_OVERRIDES)) {
      expect(withDefaults(webEnv[key] ?? ''), `langfuse-web ${key}`).toBe(web);
      expect(withDefaults(workerEnv[key] ?? ''), `langfuse-worker ${key}`).toBe(worker);
    }
    expect(service(compose, 'langfuse-minio').ports).toContain('127.0.0.1:9090:9000');
    // The worker links back to the UI (alerts, exports) with the same public URL the web logs in on.
    expect(workerEnv.NEXTAUTH_URL).toBe(webEnv.NEXTAUTH_URL);
    for (const name of ['DATABASE_URL', 'SALT', 'ENCRYPTION_KEY', 'NEXTAUTH_URL', 'CLICKHOUSE_MIGRATION_URL', 'CLICKHOUSE_URL', 'CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD', 'REDIS_HOST', 'REDIS_AUTH', 'LANGFUSE_S3_EVENT_UPLOAD_BUCKET', 'LANGFUSE_S3_EVENT_UPLOAD_ENDPOINT']) {
      expect(workerEnv[name], `langfuse-worker needs ${name}`).toBeTruthy();
    }
    expect(webEnv.NEXTAUTH_SECRET, 'langfuse-web needs NEXTAUTH_SECRET').toBeTruthy();
    expect(workerEnv.CLICKHOUSE_CLUSTER_ENABLED).toBe('false');
  });

  it('sets every Langfuse v4 data-model setting from .env, defaulting to v4\'s own values', () => {
    for (const name of ['langfuse-web', 'langfuse-worker']) {
      const settings = env(service(compose, name));
      for (const [key, { default: v4Default }] of Object.entries(V4_MIGRATION_SETTINGS)) {
        expect(settings[key], `${name} ${key}`).toBe(`\${${key}:-${v4Default}}`);
        expect(envExample.values.get(key), `.env.example ${key}`).toBe(v4Default);
      }
      expect(v4MigrationProblems(Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, withDefaults(v)]))), name).toEqual([]);
    }
  });

  it('runs the four stores at the releases of Langfuse 4\'s reference compose, each verified and above v4\'s minimum', () => {
    expect(STORE_RELEASES.map((store) => store.service).sort()).toEqual([...LANGFUSE_STORES].sort());
    for (const store of STORE_RELEASES) {
      const image = service(compose, store.service).image ?? '';
      expect(image, `${store.service} runs the verified release (${store.source})`).toBe(store.pinned);
      const pinned = imageParts(image);
      const reference = imageParts(store.reference);
      if (store.line === undefined) continue;
      expect(reference, store.service).toEqual({ name: pinned.name, tag: store.line });
      expect(pinned.tag.startsWith(`${store.line}.`), `${image} is a release of the reference's ${store.line}`).toBe(true);
      expect(compareVersions(pinned.tag, store.minimum ?? '0'), `${image} meets Langfuse v4's minimum ${store.minimum}`).toBeGreaterThanOrEqual(0);
    }
  });

  it('checks the worker\'s event propagation, with time for its once-a-minute heartbeat', () => {
    const check = service(compose, 'langfuse-worker').healthcheck;
    expect([check?.test ?? []].flat().join(' ')).toContain('http://127.0.0.1:3030/api/health?failIfEventPropagationStuck=true');
    expect(Number.parseInt(check?.start_period ?? '0', 10)).toBeGreaterThanOrEqual(60);
    expect(check?.start_period).toMatch(/^\d+s$/);
  });

  it('binds every published port to 127.0.0.1', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const port of svc.ports ?? []) expect(portProblem(port), name).toBeUndefined();
    }
    expect(service(compose, 'backend').ports).toContain('127.0.0.1:8000:8000');
    expect(service(compose, 'langfuse-web').ports).toContain('127.0.0.1:3000:3000');
  });

  it('pins every image to an exact tag; backend and bot share the app image of this version', async () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      expect(svc.image, `${name} has no image`).toBeDefined();
      expect(imageTagProblem(svc.image ?? ''), name).toBeUndefined();
    }
    const { version } = JSON.parse(await read('package.json')) as { version: string };
    for (const name of APP_SERVICES) {
      expect(service(compose, name).image).toBe(`sommelier:${version}`);
      expect(service(compose, name).build, `${name} builds the image from the Dockerfile`).toBe('.');
    }
    expect(service(compose, 'backend').command).toEqual(['node', 'dist/main.js']);
    expect(service(compose, 'telegram-bot').command).toEqual(['node', 'dist/telegram/main.js']);
  });

  it('hard-codes no secret outside a ${VAR:-default}', () => {
    expect(hardCodedSecrets(compose)).toEqual([]);
  });

  it('makes the bot optional and keeps the embedded bot off in the backend', () => {
    // No profile: a plain `docker compose up -d` starts all nine; without a token the bot idles.
    for (const name of SERVICES) expect(service(compose, name).profiles, name).toBeUndefined();
    expect(env(service(compose, 'telegram-bot')).BACKEND_URL).toBe('http://backend:8000');
    expect(env(service(compose, 'backend')).TELEGRAM_BOT_TOKEN).toBe('');
    expect(env(service(compose, 'backend')).HOST).toBe('0.0.0.0');
    expect(env(service(compose, 'backend')).DATABASE_URL).toMatch(/^postgres:\/\/sommelier:\$\{SOMMELIER_DB_PASSWORD:-[^}]+\}@db:5432\/sommelier$/);
  });

  it('protects Redis with the same password Langfuse uses', () => {
    const redis = service(compose, 'langfuse-redis');
    const command = redis.command ?? [];
    expect(Array.isArray(command)).toBe(true);
    const password = (command as string[])[(command as string[]).indexOf('--requirepass') + 1];
    expect(password).toMatch(/^\$\{REDIS_AUTH:-.+\}$/);
    expect(env(service(compose, 'langfuse-web')).REDIS_AUTH).toBe(password);
    expect(env(redis).REDISCLI_AUTH).toBe(password);
    expect(command).toContain('noeviction');
  });

  it('creates the MinIO bucket Langfuse writes to before MinIO starts', () => {
    const minio = service(compose, 'langfuse-minio');
    const bucket = env(service(compose, 'langfuse-web')).LANGFUSE_S3_EVENT_UPLOAD_BUCKET;
    expect(bucket).toBeTruthy();
    expect([minio.command ?? ''].flat().join(' ')).toContain(`mkdir -p /data/${bucket} `);
  });

  it('limits ClickHouse memory and puts TTLs on its system log tables', async () => {
    const clickhouse = service(compose, 'langfuse-clickhouse');
    expect(withDefaults(clickhouse.deploy?.resources?.limits?.memory ?? '')).toMatch(/^\d+[gm]$/);
    const mounts = (clickhouse.volumes ?? []).filter((m): m is string => typeof m === 'string');
    const configMount = mounts.find((m) => m.includes(':/etc/clickhouse-server/config.d/'));
    const usersMount = mounts.find((m) => m.includes(':/etc/clickhouse-server/users.d/'));
    expect(configMount, 'a config.d file is mounted').toBeDefined();
    expect(usersMount, 'a users.d file is mounted').toBeDefined();
    const config = await read(configMount?.split(':')[0] ?? '');
    expect(config).toMatch(/<max_server_memory_usage_to_ram_ratio>0\.\d+<\/max_server_memory_usage_to_ram_ratio>/);
    for (const table of ['query_log', 'trace_log', 'text_log', 'metric_log', 'asynchronous_metric_log', 'part_log']) {
      expect(config, table).toMatch(new RegExp(`<${table}>[\\s\\S]*?<ttl>event_date \\+ INTERVAL \\d+ DAY DELETE</ttl>[\\s\\S]*?</${table}>`));
    }
    const users = await read(usersMount?.split(':')[0] ?? '');
    expect(users).toContain('<query_profiler_real_time_period_ns>0</query_profiler_real_time_period_ns>');
  });
});

describe('docker-compose config (Debian docker-compose 1.29.2, no Docker engine needed)', () => {
  let emptyEnvDir: string;

  beforeAll(async () => {
    emptyEnvDir = await mkdtemp(path.join(tmpdir(), 'sommelier-compose-'));
    await writeFile(path.join(emptyEnvDir, 'empty.env'), '');
    return () => rm(emptyEnvDir, { recursive: true, force: true });
  });

  it('accepts the file with .env.example as the env file', async () => {
    const result = await runTool('docker-compose', ['--env-file', '.env.example', '-f', 'docker-compose.yml', 'config', '-q'], INSTALL_COMPOSE);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  for (const envFile of ['.env.example', 'empty.env']) {
    it(`resolves to a configuration the app accepts (env file ${envFile})`, async () => {
      const file = envFile === 'empty.env' ? path.join(emptyEnvDir, envFile) : envFile;
      const result = await runTool('docker-compose', ['--env-file', file, '-f', 'docker-compose.yml', 'config'], INSTALL_COMPOSE);
      expect(result.code, result.stderr).toBe(0);
      const resolved = parseCompose(result.stdout);
      const web = env(service(resolved, 'langfuse-web'));
      for (const name of INIT_VARIABLES) expect(web[name], name).toBeTruthy();
      for (const name of ['langfuse-web', 'langfuse-worker']) {
        const settings = env(service(resolved, name));
        expect(v4MigrationProblems(settings), name).toEqual([]);
        for (const key of Object.keys(V4_MIGRATION_SETTINGS)) expect(settings[key], `${name} ${key}`).toBeTruthy();
      }

      const backend = loadConfig(env(service(resolved, 'backend')));
      expect(backend.server).toMatchObject({ host: '0.0.0.0', port: 8000 });
      expect(backend.database.kind).toBe('postgres');
      expect(backend.dataDir).toBe('/app/data');
      expect(backend.telegram.token).toBeUndefined();
      for (const name of APP_SERVICES) {
        const config = name === 'backend' ? backend : loadConfig(env(service(resolved, name)));
        expect(config.langfuse, name).toMatchObject({
          enabled: true,
          publicKey: web.LANGFUSE_INIT_PROJECT_PUBLIC_KEY,
          secretKey: web.LANGFUSE_INIT_PROJECT_SECRET_KEY,
          projectId: web.LANGFUSE_INIT_PROJECT_ID,
          baseUrl: 'http://langfuse-web:3000',
          publicUrl: web.NEXTAUTH_URL,
        });
      }
      const bot = loadConfig(env(service(resolved, 'telegram-bot')));
      expect(bot.telegram.backendUrl).toBe('http://backend:8000');
      // Without the same token on both sides the backend refuses the bot's `tg:` sessions (403).
      expect(bot.telegram.backendToken).toBeTruthy();
      expect(backend.telegram.backendToken).toBe(bot.telegram.backendToken);
    });
  }
});

describe('Dockerfile', () => {
  let dockerfile: string;
  let stages: string[];

  beforeAll(async () => {
    dockerfile = await read('Dockerfile');
    stages = dockerfile.split(/^FROM /m).slice(1);
  });

  it('builds in one stage and runs production dependencies only in the last', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = stages.at(-1) ?? '';
    expect(stages[0]).toMatch(/npm ci(?! --omit=dev)/);
    expect(stages[0]).toContain('npm run build');
    expect(runtime).toContain('npm ci --omit=dev');
    expect(runtime).toMatch(/COPY --from=\w+ \/app\/dist/);
    expect(runtime).toMatch(/^COPY assets /m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
  });

  it('runs as a non-root user with a healthcheck', () => {
    const runtime = stages.at(-1) ?? '';
    const users = [...runtime.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0']).not.toContain(users.at(-1));
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*CMD .*\/healthz/m);
  });

  it('copies what exists: the catalogue in assets/ and the two entry points it runs', () => {
    expect(existsSync(path.join(repoRoot, 'assets')), 'assets/ (the bundled wine data) must exist for COPY assets').toBe(true);
    // dist/X.js is compiled from src/X.ts (tsconfig.build.json: rootDir src, outDir dist).
    for (const entry of ['main', 'telegram/main']) {
      expect(existsSync(path.join(repoRoot, 'src', `${entry}.ts`)), `src/${entry}.ts`).toBe(true);
    }
  });

  it('starts from an exactly pinned Node image', () => {
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1] ?? '';
    expect(imageTagProblem(base), base).toBeUndefined();
    expect(base).toMatch(/^node:20\./);
  });

  it('keeps secrets and local state out of the build context', async () => {
    const ignored = (await read('.dockerignore')).split('\n');
    for (const entry of ['.env', 'node_modules', 'data', '.git']) expect(ignored).toContain(entry);
  });
});

describe('.env.example', () => {
  it('documents every variable the app reads (src/config/index.ts)', async () => {
    const keys = configEnvKeys(await read('src/config/index.ts'));
    expect(keys.length).toBeGreaterThan(30);
    expect(keys).toContain('DATABASE_URL');
    const missing = keys.filter((key) => !envExample.values.has(key) && !envExample.commented.has(key));
    expect(missing).toEqual([]);
  });

  it('sets every variable docker-compose.yml interpolates, each once', () => {
    const missing = composeVariables(compose).filter((name) => !envExample.values.has(name));
    expect(missing).toEqual([]);
    expect(envExample.duplicates).toEqual([]);
  });

  it('holds values the app accepts and tells how to generate real secrets', () => {
    expect(() => loadConfig(Object.fromEntries(envExample.values))).not.toThrow();
    expect(envExampleText).toContain('openssl rand -hex 32');
    expect(envExample.values.get('ENCRYPTION_KEY')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('scripts', () => {
  it('pass shellcheck (scripts/*.sh)', async () => {
    const scripts = (await readdir(path.join(repoRoot, 'scripts'))).filter((file) => file.endsWith('.sh'));
    expect(scripts).toEqual(expect.arrayContaining(['smoke.sh', 'generate-env.sh']));
    const result = await runTool('shellcheck', scripts.map((file) => `scripts/${file}`), INSTALL_SHELLCHECK);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('smoke.sh checks the stack the compose file describes', async () => {
    const smoke = await read('scripts/smoke.sh');
    expect(smoke).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(smoke).toContain('set -euo pipefail');
    for (const part of ['up -d --build --wait', 'compose down', '/api/public/health', '/api/public/v2/observations?traceId=', '/api/v1/chat', '.traceId', 'parentObservationId == null']) {
      expect(smoke, part).toContain(part);
    }
    // Langfuse 4 (write mode events_only) answers 404 on the v3 read endpoints.
    expect(smoke).not.toMatch(/\/api\/public\/(traces|observations|sessions)\b/);
    expect(smoke).toContain('BACKEND_URL="http://localhost:8000"');
    expect(smoke).toContain('LANGFUSE_URL="http://localhost:3000"');
    const web = env(service(compose, 'langfuse-web'));
    for (const name of ['LANGFUSE_INIT_PROJECT_PUBLIC_KEY', 'LANGFUSE_INIT_PROJECT_SECRET_KEY', 'LANGFUSE_INIT_PROJECT_ID']) {
      const fallback = new RegExp(`env_value ${name} (\\S+)\\)`).exec(smoke)?.[1];
      expect(fallback, `smoke.sh default for ${name}`).toBe(withDefaults(web[name] ?? ''));
    }
  });

  it('generate-env.sh writes a .env with new secrets that compose and the app accept', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sommelier-env-'));
    try {
      const out = path.join(dir, '.env');
      const result = await runTool('bash', ['scripts/generate-env.sh', '-o', out], 'bash');
      expect(result.code, result.stderr).toBe(0);
      const generated = parseEnvExample(await readFile(out, 'utf8'));
      for (const name of ['SALT', 'ENCRYPTION_KEY', 'NEXTAUTH_SECRET', 'REDIS_AUTH', 'LANGFUSE_INIT_PROJECT_SECRET_KEY']) {
        expect(generated.values.get(name), name).not.toBe(envExample.values.get(name));
      }
      expect(generated.values.get('ENCRYPTION_KEY')).toMatch(/^[0-9a-f]{64}$/);
      expect(generated.values.get('LANGFUSE_INIT_PROJECT_PUBLIC_KEY')).toMatch(/^pk-lf-[0-9a-f]{32}$/);
      const config = await runTool('docker-compose', ['--env-file', out, '-f', 'docker-compose.yml', 'config', '-q'], INSTALL_COMPOSE);
      expect(config.code, config.stderr).toBe(0);
      const again = await runTool('bash', ['scripts/generate-env.sh', '-o', out], 'bash');
      expect(again.code, 'refuses to overwrite').not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/DEPLOY.md', () => {
  it('describes the same stack as the compose file', async () => {
    const doc = await read('docs/DEPLOY.md');
    for (const name of [...SERVICES, ...Object.keys(compose.volumes ?? {})]) expect(doc, name).toContain(name);
    for (const name of SERVICES) expect(doc, `${name} image`).toContain(withDefaults(service(compose, name).image ?? ''));
    for (const part of ['8 GiB', 'scripts/smoke.sh', 'TELEGRAM_BOT_TOKEN', 'openssl rand -hex 32', 'http://localhost:3000', 'http://localhost:8000']) {
      expect(doc, part).toContain(part);
    }
  });

  it('lists the Langfuse 4 data-model settings with the values the stack uses', async () => {
    const doc = await read('docs/DEPLOY.md');
    for (const [key, { default: v4Default }] of Object.entries(V4_MIGRATION_SETTINGS)) {
      expect(doc, key).toMatch(new RegExp(`^\\| \`${key}\` \\|[^\\n]*\\| \`${v4Default}\``, 'm'));
    }
  });

  it('tells how to upgrade an existing v3 stack: back up, ClickHouse first, then Langfuse 4 through dual', async () => {
    const doc = await read('docs/DEPLOY.md');
    const start = doc.indexOf('## Upgrading an existing v3 stack');
    expect(start, 'section "Upgrading an existing v3 stack"').toBeGreaterThan(0);
    const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
    expect(section).toContain('https://langfuse.com/self-hosting/upgrade/upgrade-guides/upgrade-v3-to-v4');

    const backup = section.indexOf('Back up the data volumes');
    const clickhouse = section.indexOf(service(compose, 'langfuse-clickhouse').image ?? '');
    const langfuse = section.indexOf(`Langfuse ${imageParts(service(compose, 'langfuse-web').image ?? '').tag}`);
    expect(backup, 'backups come first').toBeGreaterThan(0);
    expect(clickhouse, 'then ClickHouse, at the release the stack pins').toBeGreaterThan(backup);
    expect(langfuse, 'then Langfuse 4, at the release the stack pins').toBeGreaterThan(clickhouse);
    for (const [volume, [name]] of Object.entries(VOLUMES)) {
      // Data, not logs: ClickHouse's server logs need no backup.
      if (LANGFUSE_STORES.includes(name) && volume.endsWith('_data')) expect(section.slice(backup, clickhouse), `backs up ${volume}`).toContain(volume);
    }

    // Every block of settings it tells you to put into .env is one Langfuse 4 starts with.
    const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    const settingBlocks = blocks
      .map((block) => Object.fromEntries([...block.matchAll(/^(LANGFUSE_[A-Z0-9_]*V4[A-Z0-9_]*)=(\S+)$/gm)].map((m) => [m[1] ?? '', m[2] ?? ''])))
      .filter((settings) => Object.keys(settings).length > 0);
    expect(settingBlocks.map((settings) => settings.LANGFUSE_MIGRATION_V4_WRITE_MODE)).toEqual(['dual', 'events_only']);
    for (const settings of settingBlocks) {
      for (const key of Object.keys(settings)) expect(Object.keys(V4_MIGRATION_SETTINGS), key).toContain(key);
      expect(v4MigrationProblems(settings), JSON.stringify(settings)).toEqual([]);
    }
    expect(settingBlocks[0]?.LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL, 'backfill waits until dual runs').toBe('false');
  });
});
