/**
 * Which of the tool results the reply recommends: each wine is judged against the request, and those that
 * meet it come first, in the catalog's own order (its rating order with the operator's boosts) unless the
 * person asked for another one.
 */
import { isPrestige } from '../catalog/lexicon/index.js';
import { moduleCache } from '../shared/index.js';
import { CORE_CONSTRAINTS, constraintViolations, grapeSatisfied, type ConstraintKey, type RequestConstraints } from '../understanding/index.js';
import { foldReplies } from './names.js';
import type { ToolRound, ToolWine } from './transcript.js';

/** How many wines a reply lists at most (the brief: 3–5). */
export const MAX_LISTED = 4;
/** Fewer wines than this that meet everything means "say so honestly". */
export const ENOUGH = 3;

export interface Candidate {
  wine: ToolWine;
  /** Every constraint it breaks. */
  broken: ConstraintKey[];
  core: ConstraintKey[];
  soft: ConstraintKey[];
  /** Position in semantic-search results, Infinity when not found there. */
  semanticRank: number;
  fromStructured: boolean;
  /** Already recommended earlier in the conversation. */
  repeated: boolean;
  /** Shares its name with a wine that breaks the request, so the name alone would be ambiguous. */
  ambiguous: boolean;
  /** Famously expensive: never the answer to "cheaper" when the catalog has no prices. */
  prestige: boolean;
  /** First seen at this position across the turn's tool results: the catalog's own order. */
  order: number;
}

const prestigeOf = moduleCache<string, boolean>('offline/ranking.prestigeOf', 4000);

/** Gathers the wines of this turn's tool results, each judged against the request. */
export function gatherCandidates(rounds: ToolRound[], c: RequestConstraints, earlierReplies: string[]): Candidate[] {
  const byId = new Map<number, Candidate>();
  const earlier = ` ${foldReplies(earlierReplies)} `;
  let order = 0;
  for (const round of rounds) {
    for (const call of round.calls) {
      call.wines.forEach((wine, rank) => {
        const known = byId.get(wine.id);
        const semantic = call.name === 'semantic_search';
        if (known) {
          if (semantic) known.semanticRank = Math.min(known.semanticRank, rank);
          else known.fromStructured = true;
          return;
        }
        const broken = constraintViolations(wine, c);
        const name = wine.foldedName;
        byId.set(wine.id, {
          wine,
          broken,
          core: broken.filter((key) => CORE_CONSTRAINTS.includes(key)),
          soft: broken.filter((key) => !CORE_CONSTRAINTS.includes(key)),
          semanticRank: semantic ? rank : Infinity,
          fromStructured: !semantic,
          repeated: name.length > 0 && earlier.includes(` ${name} `),
          ambiguous: false,
          prestige: prestigeOf.through(`${wine.name}|${wine.winery ?? ''}`, () => isPrestige(wine)),
          order: order++,
        });
      });
    }
  }
  const candidates = [...byId.values()];
  const names = candidates.map((candidate) => candidate.wine.foldedName);
  candidates.forEach((candidate, i) => {
    candidate.ambiguous = candidates.some((other, j) => other !== candidate && other.core.length > 0 && names[j] === names[i]);
  });
  return candidates;
}

/** Whether the person asked about price: cheaper, a budget, "недорогое". */
export const wantsLowPrice = (c: RequestConstraints): boolean => c.sort === 'price_asc' || c.maxPrice !== undefined;

function sortValue(x: Candidate, c: RequestConstraints): number[] {
  const { wine } = x;
  switch (c.sort) {
    case 'popularity':
      return [-(wine.ratingCount ?? 0), x.order];
    case 'abv_asc':
      return [wine.abv ?? Infinity, x.order];
    case 'abv_desc':
      return [-(wine.abv ?? -Infinity), x.order];
    case 'price_asc':
      // Without a price, the widely drunk bottles (many ratings) stand in for the affordable ones.
      return wine.price !== null ? [0, wine.price, x.order] : [1, x.prestige ? 1 : 0, -(wine.ratingCount ?? 0), x.order];
    case 'price_desc':
      return [-(wine.price ?? -Infinity), x.order];
    default:
      return [x.order];
  }
}

function compareTuples(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Spirits filed as dessert wines in the dataset (grappa at 45%) are not what a wine request means. */
const SPIRIT_ABV = 24;

/** Best first: fewest broken constraints, not repeated, then the person's own ordering. */
export function rankCandidates(candidates: Candidate[], c: RequestConstraints, semanticLed: boolean): Candidate[] {
  const wantsStrong = c.sort === 'abv_desc' || (c.minAbv ?? 0) >= SPIRIT_ABV;
  const cheap = wantsLowPrice(c);
  const key = (x: Candidate): number[] => [
    x.core.length,
    !wantsStrong && (x.wine.abv ?? 0) > SPIRIT_ABV ? 1 : 0,
    // A broken type or food is worse than a broken grape or country for a near-miss alternative.
    x.core.includes('type') || x.core.includes('pairing') ? 1 : 0,
    // A famous Grand Cru is no answer to "something cheaper" when nothing tells its price.
    cheap && x.prestige && x.wine.price === null ? 1 : 0,
    x.soft.length,
    // "Cheaper": a wine with a price comes before one without, even if it was shown before.
    c.sort === 'price_asc' && x.wine.price === null ? 1 : 0,
    // A Pinot Noir request is better served by a Pinot Noir than by a Champagne with some Pinot in it.
    c.grape && !grapeSatisfied(c.grape, x.wine.grapes.slice(0, 1)) ? 1 : 0,
    x.repeated ? 1 : 0,
    x.ambiguous ? 1 : 0,
    ...(semanticLed ? [x.semanticRank === Infinity ? 1 : 0, Math.min(x.semanticRank, 1e6)] : [c.freeText && x.semanticRank === Infinity ? 1 : 0]),
    ...sortValue(x, c),
  ];
  // Each key once: the grape check in it is not free, and a sort compares every candidate many times.
  const keyed = candidates.map((candidate) => ({ candidate, key: key(candidate) }));
  return keyed.sort((a, b) => compareTuples(a.key, b.key)).map((entry) => entry.candidate);
}

/** Picks up to `max`, preferring variety of producers when there is enough to choose from. */
export function pickVaried(ranked: Candidate[], max: number): Candidate[] {
  const picked: Candidate[] = [];
  const seen = new Set<string>();
  const perWinery = new Map<string, number>();
  for (const pass of [1, 2]) {
    for (const candidate of ranked) {
      if (picked.length >= max) break;
      if (picked.includes(candidate)) continue;
      const identity = `${candidate.wine.foldedName}|${candidate.wine.foldedWinery}`;
      if (seen.has(identity)) continue;
      const winery = candidate.wine.foldedWinery || `#${candidate.wine.id}`;
      if (pass === 1 && (perWinery.get(winery) ?? 0) >= 1) continue;
      picked.push(candidate);
      seen.add(identity);
      perWinery.set(winery, (perWinery.get(winery) ?? 0) + 1);
    }
  }
  return picked;
}
