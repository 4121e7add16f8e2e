/**
 * A throwaway PostgreSQL server for tests: a temporary cluster (initdb) on a free 127.0.0.1 port, stopped
 * and deleted at the end. initdb refuses to run as root, so as root the server runs as the `postgres` OS
 * user (created by Debian's postgresql package) via runuser.
 *
 * Needs the server binaries: on Debian `apt-get install -y postgresql` (initdb and pg_ctl then live in
 * /usr/lib/postgresql/<version>/bin). Missing binaries make the tests fail with that instruction.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const run = promisify(execFile);

export interface PostgresServer {
  /** Superuser URL of the `postgres` database. */
  url: string;
  /** URL of another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export class PostgresBinariesMissing extends Error {
  constructor() {
    super(
      'PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin. ' +
        'The PostgreSQL half of the database tests needs them: apt-get update && apt-get install -y postgresql',
    );
    this.name = 'PostgresBinariesMissing';
  }
}

function onPath(binary: string): string | null {
  for (const directory of (process.env.PATH ?? '').split(':')) {
    if (directory && existsSync(join(directory, binary))) return directory;
  }
  return null;
}

/** The directory holding initdb and pg_ctl: PATH first, then the newest Debian install. */
export function findPostgresBin(): string {
  const fromPath = onPath('initdb');
  if (fromPath && existsSync(join(fromPath, 'pg_ctl'))) return fromPath;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  throw new PostgresBinariesMissing();
}


async function osUser(name: string): Promise<{ uid: number; gid: number } | null> {
  try {
    const { stdout } = await run('id', ['-u', name]);
    const { stdout: group } = await run('id', ['-g', name]);
    return { uid: Number(stdout.trim()), gid: Number(group.trim()) };
  } catch {
    return null;
  }
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const asRoot = userInfo().uid === 0;
  const owner = asRoot ? await osUser('postgres') : null;
  if (asRoot && !owner) {
    throw new Error('running as root but there is no "postgres" OS user for initdb; apt-get install -y postgresql creates it');
  }
  const root = await mkdtemp(join(tmpdir(), 'sommelier-pg-'));
  if (owner) await chown(root, owner.uid, owner.gid);
  const dataDir = join(root, 'data');
  const logFile = join(root, 'server.log');
  const command = (binary: string, args: string[]) =>
    owner ? run('runuser', ['-u', 'postgres', '--', join(bin, binary), ...args]) : run(join(bin, binary), args);

  try {
    await command('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const port = await freePort();
    // Durability settings off: this cluster lives for one test file.
    const options = [
      `-p ${port}`, "-c listen_addresses=127.0.0.1", `-c unix_socket_directories=${root}`,
      '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=50',
    ].join(' ');
    await command('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
    let stopped = false;
    return {
      url: urlFor('postgres'),
      urlFor,
      async stop() {
        if (stopped) return;
        stopped = true;
        await command('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    await command('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`could not start a test PostgreSQL server: ${detail}${log ? `\n${log}` : ''}`);
  }
}
