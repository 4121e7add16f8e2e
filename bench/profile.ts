/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) and says where the time went within a window
 * of it: self time per function, and time per "place" (a package under node_modules, a folder under src/,
 * Node's internals, GC) both as self time and inclusive (a sample counts once for every place on its
 * stack: "under openai" includes what the SDK calls in undici).
 *
 * Also a command: `tsx bench/profile.ts FILE.cpuprofile [--per N] [--top K]` prints the summary of a
 * whole profile, per N units of work (e.g. chats) when given.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { option } from './report.js';

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

export interface ProfileSummary {
  /** Sampled time inside the window, in ms (idle excluded). */
  busyMs: number;
  idleMs: number;
  functions: { name: string; place: string; selfMs: number }[];
  places: { place: string; selfMs: number; inclusiveMs: number }[];
}

/** Where a frame's code lives: a package, a folder of this app, Node itself, or V8's pseudo-frames. */
export function placeOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return '(program)';
    return '(native)';
  }
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1]!;
  if (url.startsWith('node:')) return url.startsWith('node:internal/') ? `node:${url.split('/')[1] ?? 'internal'}` : url;
  const app = /\/(?:src|\.build)\/(.+)$/.exec(url);
  if (app) {
    const parts = app[1]!.split('/');
    return parts.length > 1 ? `src/${parts[0]}` : `src/${parts[0]!.replace(/\.[jt]s$/, '')}`;
  }
  return url;
}

/**
 * Summary of the samples taken between `from` and `to` (microseconds on the profile's clock, which is
 * CLOCK_MONOTONIC like `process.hrtime`); the whole profile by default.
 */
export function summariseProfile(json: unknown, window: { from?: number; to?: number } = {}): ProfileSummary {
  const profile = profileSchema.parse(json);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  const from = window.from ?? Number.NEGATIVE_INFINITY;
  const to = window.to ?? Number.POSITIVE_INFINITY;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from || at > to) continue;
    // A sample stands for the time until the next one.
    const duration = profile.timeDeltas[i + 1] ?? 0;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + duration);
  }

  const functions = new Map<string, { name: string; place: string; selfMs: number }>();
  const placeSelf = new Map<string, number>();
  const placeInclusive = new Map<string, number>();
  let busyUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const place = placeOf(url, functionName);
    if (place === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const name = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|src|\.build)\//, '$1/')}:${lineNumber + 1}` : ''}`.trim();
    const entry = functions.get(name) ?? { name, place, selfMs: 0 };
    entry.selfMs += us / 1000;
    functions.set(name, entry);
    placeSelf.set(place, (placeSelf.get(place) ?? 0) + us);
    const seen = new Set<string>();
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)!.callFrame;
      const framePlace = placeOf(frame.url, frame.functionName);
      if (framePlace === '(root)' || seen.has(framePlace)) continue;
      seen.add(framePlace);
      placeInclusive.set(framePlace, (placeInclusive.get(framePlace) ?? 0) + us);
    }
  }
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    functions: [...functions.values()].sort((a, b) => b.selfMs - a.selfMs),
    places: [...placeSelf.keys(), ...placeInclusive.keys()]
      .filter((place, i, all) => all.indexOf(place) === i && place !== '(idle)' && place !== '(native)')
      .map((place) => ({ place, selfMs: (placeSelf.get(place) ?? 0) / 1000, inclusiveMs: (placeInclusive.get(place) ?? 0) / 1000 }))
      .sort((a, b) => b.selfMs - a.selfMs),
  };
}

/** A printable summary, every time divided by `per` (e.g. ms per chat). */
export function formatProfile(summary: ProfileSummary, per = 1, top = 30): string {
  const ms = (value: number): string => (value / per).toFixed(3);
  const unit = per === 1 ? 'ms' : 'ms / unit';
  return [
    `busy ${ms(summary.busyMs)} ${unit} (idle ${ms(summary.idleMs)})`,
    '',
    `| place | self ${unit} | inclusive ${unit} |`,
    '|---|---:|---:|',
    ...summary.places.slice(0, top).map((p) => `| ${p.place} | ${ms(p.selfMs)} | ${ms(p.inclusiveMs)} |`),
    '',
    `| function | place | self ${unit} |`,
    '|---|---|---:|',
    ...summary.functions.slice(0, top).map((f) => `| \`${f.name}\` | ${f.place} | ${ms(f.selfMs)} |`),
  ].join('\n');
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx bench/profile.ts FILE.cpuprofile [--per N] [--top K]');
  const summary = summariseProfile(JSON.parse(await readFile(file, 'utf8')));
  process.stdout.write(`${formatProfile(summary, Number(option('--per') ?? 1), Number(option('--top') ?? 30))}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
