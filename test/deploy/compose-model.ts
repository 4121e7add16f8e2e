/**
 * Reading and judging the deployment files (docker-compose.yml, .env.example, src/config) for
 * test/deploy/compose.test.ts. The rules live here as plain functions so the tests can also show that
 * each rule rejects a bad example, not only that the real files pass.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Compose accepts numbers and booleans in `environment`; the container always sees strings. */
const envValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .transform((value) => (value === null ? '' : String(value)));

const stringOrList = z.union([z.string(), z.array(z.string())]);

const healthcheckSchema = z.looseObject({
  test: stringOrList,
  disable: z.boolean().optional(),
  interval: z.string().optional(),
  timeout: z.string().optional(),
  retries: z.number().optional(),
  start_period: z.string().optional(),
});

const portSchema = z.union([
  z.string(),
  z.number(),
  z.looseObject({ host_ip: z.string().optional(), target: z.number(), published: z.union([z.string(), z.number()]).optional() }),
]);

const volumeMountSchema = z.union([
  z.string(),
  z.looseObject({ type: z.string(), source: z.string().optional(), target: z.string() }),
]);

const serviceSchema = z.looseObject({
  image: z.string().optional(),
  build: z.unknown().optional(),
  command: stringOrList.optional(),
  entrypoint: stringOrList.optional(),
  environment: z.record(z.string(), envValue).optional(),
  ports: z.array(portSchema).optional(),
  volumes: z.array(volumeMountSchema).optional(),
  depends_on: z
    .union([z.array(z.string()), z.record(z.string(), z.looseObject({ condition: z.string().optional() }))])
    .optional(),
  healthcheck: healthcheckSchema.optional(),
  profiles: z.array(z.string()).optional(),
  deploy: z
    .looseObject({
      resources: z.looseObject({ limits: z.looseObject({ memory: z.string().optional() }).optional() }).optional(),
    })
    .optional(),
});

const composeSchema = z.looseObject({
  services: z.record(z.string(), serviceSchema),
  volumes: z.record(z.string(), z.union([z.null(), z.looseObject({})])).optional(),
});

export type ComposeFile = z.infer<typeof composeSchema>;
export type ComposeService = z.infer<typeof serviceSchema>;

/** Parses compose YAML (with `<<` merge keys, as docker-compose does) and checks its shape. */
export function parseCompose(text: string): ComposeFile {
  return composeSchema.parse(parse(text, { merge: true }));
}

export function service(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

export function env(svc: ComposeService): Record<string, string> {
  return svc.environment ?? {};
}

const INTERPOLATION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;
const ONLY_INTERPOLATION = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\}$/;

/** Variable names a compose text interpolates (`${NAME}`, `${NAME:-default}`), `$$` escapes excluded. */
export function referencedVariables(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.replaceAll('$$', '').matchAll(INTERPOLATION)) names.add(match[1] ?? '');
  return [...names].sort();
}

/** The value compose would produce with no variables set: every `${NAME:-default}` becomes its default. */
export function withDefaults(value: string): string {
  return value.replace(INTERPOLATION, (_whole, _name: string, op: string | undefined, fallback: string | undefined) =>
    op === ':-' || op === '-' ? (fallback ?? '') : '',
  );
}

// Environment names whose values are credentials. ACCESS_KEY_ID (a user name) deliberately does not match.
const SECRET_NAME = /(PASSWORD|SECRET|SALT|ENCRYPTION_KEY|_AUTH$|TOKEN|PUBLIC_KEY)/;
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^@\s]+)@/gi;
const PASSWORD_FLAGS = new Set(['--requirepass', '--password', '--masterauth']);

function allStrings(node: unknown, at: string, out: Array<{ at: string; value: string }>): void {
  if (typeof node === 'string') out.push({ at, value: node });
  else if (Array.isArray(node)) node.forEach((item, index) => allStrings(item, `${at}[${index}]`, out));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) allStrings(value, at ? `${at}.${key}` : key, out);
  }
}

/** Variable names the parsed compose file interpolates anywhere (comments do not count). */
export function composeVariables(compose: ComposeFile): string[] {
  const strings: Array<{ at: string; value: string }> = [];
  allStrings(compose, '', strings);
  return referencedVariables(strings.map(({ value }) => value).join('\n'));
}

/**
 * Places where a credential is written into the compose file itself instead of coming from a variable
 * (`${VAR:-dev-default}`): secret-named environment entries, passwords inside URLs, password flags.
 */
export function hardCodedSecrets(compose: ComposeFile): string[] {
  const problems: string[] = [];
  for (const [name, svc] of Object.entries(compose.services)) {
    for (const [key, value] of Object.entries(env(svc))) {
      if (SECRET_NAME.test(key) && value !== '' && !ONLY_INTERPOLATION.test(value)) {
        problems.push(`${name}.environment.${key} is hard-coded`);
      }
    }
    for (const part of [svc.command, svc.entrypoint]) {
      const args = typeof part === 'string' ? part.split(/\s+/) : (part ?? []);
      args.forEach((arg, index) => {
        const next = args[index + 1];
        if (PASSWORD_FLAGS.has(arg) && next !== undefined && !ONLY_INTERPOLATION.test(next)) {
          problems.push(`${name}: ${arg} is followed by a hard-coded value`);
        }
      });
    }
  }
  const strings: Array<{ at: string; value: string }> = [];
  allStrings(compose, '', strings);
  for (const { at, value } of strings) {
    for (const match of value.matchAll(URL_CREDENTIALS)) {
      if (!ONLY_INTERPOLATION.test(match[1] ?? '')) problems.push(`${at} has a password in a URL`);
    }
  }
  return problems;
}

/**
 * Why an image reference is not pinned to one exact release, or undefined when it is. Floating tags
 * (`latest`, `3`, `7-alpine`, `3.225`) move under a running deployment: Langfuse's `3` and `3.225`
 * once served a v4 build (langfuse/langfuse#16923).
 */
export function imageTagProblem(reference: string): string | undefined {
  const image = withDefaults(reference);
  if (image.includes('@sha256:')) return undefined;
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon <= slash) return `${image} has no tag`;
  const name = image.slice(0, colon);
  const tag = image.slice(colon + 1);
  if (tag === 'latest') return `${image} uses "latest"`;
  if (/^[a-z-]+$/.test(tag)) return `${image} uses the moving tag "${tag}"`;
  // PostgreSQL releases have two numbers (17.5); "17" alone floats.
  if (/^(docker\.io\/)?(library\/)?postgres$/.test(name) && /^\d+\.\d+(-[a-z]+[\w.]*)?$/.test(tag)) return undefined;
  if (/^\d+(\.\d+)?(-[A-Za-z][\w.]*)?$/.test(tag)) return `${image} floats on a major or minor version`;
  return undefined;
}

/** Why a published port is reachable from other machines, or undefined when it is bound to 127.0.0.1. */
export function portProblem(
  port: string | number | { host_ip?: string | undefined; target: number; published?: string | number | undefined },
): string | undefined {
  if (typeof port === 'object') {
    return port.host_ip === '127.0.0.1' ? undefined : `port ${port.target} is not bound to 127.0.0.1`;
  }
  const spec = String(port).replace(/\/(tcp|udp)$/, '');
  return /^127\.0\.0\.1:\d+:\d+$/.test(withDefaults(spec)) ? undefined : `port "${spec}" is not bound to 127.0.0.1`;
}

/** The environment variable names declared in the zod schema of src/config/index.ts. */
export function configEnvKeys(source: string): string[] {
  const start = source.indexOf('const envSchema = z.object({');
  const end = source.indexOf('\n});', start);
  if (start < 0 || end < 0) throw new Error('src/config/index.ts: `const envSchema = z.object({ ... });` not found');
  const body = source.slice(start, end);
  return [...body.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1] ?? '');
}

export interface EnvExample {
  /** `NAME=value` lines, in order. */
  values: Map<string, string>;
  /** `# NAME=...` lines: read by the app, set by docker-compose.yml, documented here. */
  commented: Set<string>;
  duplicates: string[];
}

export function parseEnvExample(text: string): EnvExample {
  const values = new Map<string, string>();
  const commented = new Set<string>();
  const duplicates: string[] = [];
  for (const line of text.split('\n')) {
    const set = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (set) {
      const [, name = '', value = ''] = set;
      if (values.has(name)) duplicates.push(name);
      values.set(name, value);
      continue;
    }
    const documented = /^# ([A-Z][A-Z0-9_]*)=/.exec(line);
    if (documented?.[1]) commented.add(documented[1]);
  }
  return { values, commented, duplicates };
}

/** An image reference split into repository and tag (`docker.io/` dropped: compose pulls from there anyway). */
export function imageParts(reference: string): { name: string; tag: string } {
  const image = withDefaults(reference).replace(/^docker\.io\//, '');
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? { name: image.slice(0, colon), tag: image.slice(colon + 1) } : { name: image, tag: '' };
}

/** Compares the leading dotted numbers of two versions (`17.11-bookworm` → 17.11): negative, 0 or positive. */
export function compareVersions(a: string, b: string): number {
  const numbers = (version: string) => (/^\d+(\.\d+)*/.exec(version)?.[0] ?? '').split('.').map(Number);
  const [left, right] = [numbers(a), numbers(b)];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * Why a Langfuse image is not one of the verified 4.x releases, or undefined when it is. Pre-releases,
 * floating tags, and tags the langfuse repository never had (3.225.5 was one) are all rejected.
 */
export function langfuseReleaseProblem(reference: string, releases: readonly string[]): string | undefined {
  const { name, tag } = imageParts(reference);
  if (name !== 'langfuse/langfuse' && name !== 'langfuse/langfuse-worker') return `${reference} is not a Langfuse image`;
  if (!/^4\.\d+\.\d+$/.test(tag)) return `${reference} is not an exact 4.x release`;
  if (!releases.includes(tag)) return `${reference}: v${tag} is not a verified tag of the langfuse repository`;
  return undefined;
}

/** Langfuse v4's data-model settings, with the values the worker accepts and its defaults. */
export const V4_MIGRATION_SETTINGS = {
  LANGFUSE_MIGRATION_V4_WRITE_MODE: { values: ['legacy', 'dual', 'events_only'], default: 'events_only' },
  LANGFUSE_MIGRATION_V4_NATIVE_OTEL_BEHAVIOUR: { values: ['dual_write', 'direct'], default: 'direct' },
  LANGFUSE_MIGRATION_V4_ALLOW_PREVIEW_OPT_IN: { values: ['true', 'false'], default: 'true' },
  LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL: { values: ['true', 'false'], default: 'true' },
  LANGFUSE_BACKGROUND_MIGRATION_V4_DROP_PID_TID_SORTING_TABLES: { values: ['true', 'false'], default: 'false' },
} as const;

type V4Setting = keyof typeof V4_MIGRATION_SETTINGS;

/**
 * Why a Langfuse v4 container would refuse to start with these settings (or lose data), or [] when it
 * would not. The rules are the ones Langfuse 4's worker enforces at start and its v3 → v4 guide states:
 * `direct` OpenTelemetry writes need a mode that writes the events tables; `events_only` cannot be
 * combined with `dual_write` and needs the v4 read paths on; and the historic backfill must wait while
 * the mode is `legacy` (it runs once, and what arrives before `dual` would then never reach v4's tables).
 * An empty or missing value means the default, as in Langfuse.
 */
export function v4MigrationProblems(environment: Record<string, string>): string[] {
  const problems: string[] = [];
  const value = (name: V4Setting): string => {
    const given = environment[name] ?? '';
    const setting = V4_MIGRATION_SETTINGS[name];
    if (given === '') return setting.default;
    if (!(setting.values as readonly string[]).includes(given)) problems.push(`${name}=${given} is not one of ${setting.values.join(', ')}`);
    return given;
  };
  const mode = value('LANGFUSE_MIGRATION_V4_WRITE_MODE');
  const otel = value('LANGFUSE_MIGRATION_V4_NATIVE_OTEL_BEHAVIOUR');
  const optIn = value('LANGFUSE_MIGRATION_V4_ALLOW_PREVIEW_OPT_IN');
  const backfill = value('LANGFUSE_BACKGROUND_MIGRATION_V4_ENABLE_HISTORIC_BACKFILL');
  value('LANGFUSE_BACKGROUND_MIGRATION_V4_DROP_PID_TID_SORTING_TABLES');
  if (mode === 'legacy' && otel === 'direct') problems.push('NATIVE_OTEL_BEHAVIOUR=direct needs WRITE_MODE dual or events_only');
  if (mode === 'events_only' && otel === 'dual_write') problems.push('WRITE_MODE=events_only cannot be combined with NATIVE_OTEL_BEHAVIOUR=dual_write');
  if (mode === 'events_only' && optIn !== 'true') problems.push('WRITE_MODE=events_only needs ALLOW_PREVIEW_OPT_IN=true');
  if (mode === 'legacy' && backfill === 'true') problems.push('the historic backfill must stay off while WRITE_MODE=legacy');
  return problems;
}
