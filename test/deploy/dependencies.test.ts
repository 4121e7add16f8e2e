import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const packageJson = z.object({ engines: z.object({ node: z.string() }) });
const lockfile = z.object({
  packages: z.record(z.string(), z.object({ version: z.string().optional(), engines: z.unknown().optional() })),
});

describe('dependencies', () => {
  it('every installed package supports the oldest Node version package.json promises', async () => {
    const { engines } = packageJson.parse(JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')));
    const oldest = semver.minVersion(engines.node);
    expect(oldest?.major, `engines.node is ${engines.node}`).toBe(20);
    const { packages } = lockfile.parse(JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8')));
    const unsupported = Object.entries(packages).flatMap(([name, info]) => {
      // Some packages write engines as an array of strings; only the object form names Node.
      const range = info.engines !== null && typeof info.engines === 'object' && 'node' in info.engines ? info.engines.node : undefined;
      return name !== '' && typeof range === 'string' && !semver.satisfies(oldest!, range) ? [`${name}@${info.version} needs node ${range}`] : [];
    });
    // An override in package.json pins an older release when a transitive dependency moves past Node 20.
    expect(unsupported).toEqual([]);
  });
});
