/**
 * How Langfuse builds a trace's own fields from the spans it received, in the two server generations
 * people run (../shared/docs/langfuse-facts.md, checked with Langfuse's own ingestion code):
 * - v3 (legacy tables) merges trace attributes from every span: the last non-empty value of each field,
 *   metadata merged key by key, tags united.
 * - v4 (one row per observation) takes name, tags, session and user from whichever row carrying them is
 *   written last — rows of one batch are written concurrently, so any order is possible — and input,
 *   output and metadata only from the parentless row.
 *
 * `assembleTrace(spans, 'v4')` reports a field whose rows disagree in `conflicts` (its value would depend
 * on write order), so a test can demand that every order gives the same trace.
 */
import type { ReceivedSpan } from './langfuse-receiver.js';

export type AssemblyRules = 'v3' | 'v4';

export interface AssembledTrace {
  name: string | null;
  tags: string[];
  sessionId: string | null;
  userId: string | null;
  input: unknown;
  output: unknown;
  metadata: Record<string, unknown>;
  /** v4: trace-level fields whose non-empty values differ between rows. */
  conflicts: string[];
  /** The spans with no parent (a whole trace has exactly one). */
  parentless: ReceivedSpan[];
}

const METADATA_PREFIX = 'langfuse.trace.metadata.';

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

function traceFields(span: ReceivedSpan): { name: string | null; tags: string[]; sessionId: string | null; userId: string | null } {
  const tags = span.attributes['langfuse.trace.tags'];
  return {
    name: text(span.attributes['langfuse.trace.name']),
    tags: Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [],
    sessionId: text(span.attributes['session.id']) ?? text(span.attributes['langfuse.session.id']),
    userId: text(span.attributes['user.id']) ?? text(span.attributes['langfuse.user.id']),
  };
}

function metadataOf(span: ReceivedSpan): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(span.attributes)
      .filter(([key]) => key.startsWith(METADATA_PREFIX))
      .map(([key, value]) => [key.slice(METADATA_PREFIX.length), value]),
  );
}

const parse = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
};

/** Trace input/output of one span: the trace attribute, else (for a root) its observation's. */
function ioOf(span: ReceivedSpan, which: 'input' | 'output'): unknown {
  return parse(span.attributes[`langfuse.trace.${which}`] ?? undefined);
}

export function assembleTrace(spans: readonly ReceivedSpan[], rules: AssemblyRules): AssembledTrace {
  const parentless = spans.filter((span) => span.parentSpanId === null);
  const rows = spans.map(traceFields);
  const conflicts: string[] = [];
  const lastOf = <K extends 'name' | 'sessionId' | 'userId'>(key: K): string | null => {
    const values = rows.map((row) => row[key]).filter((value): value is string => value !== null);
    if (new Set(values).size > 1) conflicts.push(key);
    return values.at(-1) ?? null;
  };
  const name = lastOf('name') ?? parentless[0]?.name ?? null;
  const sessionId = lastOf('sessionId');
  const userId = lastOf('userId');

  if (rules === 'v4') {
    const tagLists = rows.map((row) => row.tags).filter((tags) => tags.length > 0);
    if (new Set(tagLists.map((tags) => JSON.stringify([...tags].sort()))).size > 1) conflicts.push('tags');
    const root = parentless.length === 1 ? parentless[0] : undefined;
    return {
      name,
      tags: tagLists.at(-1) ?? [],
      sessionId,
      userId,
      input: root ? ioOf(root, 'input') : undefined,
      output: root ? ioOf(root, 'output') : undefined,
      metadata: root ? metadataOf(root) : {},
      conflicts,
      parentless,
    };
  }

  const last = (which: 'input' | 'output'): unknown => spans.map((span) => ioOf(span, which)).filter((value) => value !== undefined).at(-1);
  return {
    name,
    tags: [...new Set(rows.flatMap((row) => row.tags))],
    sessionId,
    userId,
    input: last('input'),
    output: last('output'),
    metadata: Object.assign({}, ...spans.map(metadataOf)) as Record<string, unknown>,
    // v3 merges: nothing depends on order except the scalar fields.
    conflicts: conflicts.filter((key) => key !== 'tags'),
    parentless,
  };
}

/** Both server generations' view of one trace. */
export function assembleBoth(spans: readonly ReceivedSpan[]): Record<AssemblyRules, AssembledTrace> {
  return { v3: assembleTrace(spans, 'v3'), v4: assembleTrace(spans, 'v4') };
}
