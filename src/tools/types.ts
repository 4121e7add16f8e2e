import type { Wine } from '../catalog/index.js';
import type { ToolDefinition } from '../shared/index.js';

export interface ToolExecution {
  name: string;
  ok: boolean;
  /** JSON text fed back to the model as the tool message (an error message when !ok). */
  content: string;
  /** Wines the tool returned; the agent may only recommend these. */
  wines: Wine[];
  /** Why the call failed (bad arguments, unknown tool, database error). */
  error?: string | undefined;
  /** Bounded summary for the trace: count, ids and names. */
  summary: unknown;
}

export interface Toolbox {
  readonly definitions: ToolDefinition[];
  /** Validates the raw JSON arguments and runs the tool; never throws, failures come back as !ok. */
  run(name: string, rawArguments: string): Promise<ToolExecution>;
}
