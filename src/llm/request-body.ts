import type { ToolDefinition } from './types.js';

/**
 * The JSON of a chat completion request with the tool definitions serialised once: they are the same for
 * every request (~4 KB of JSON Schema, most of a first request's bytes) and were serialised again on every
 * model call. Only a frozen definitions array is kept, so a later change can never go unsent.
 */
const toolsJson = new WeakMap<readonly ToolDefinition[], string>();

function serialisedTools(tools: readonly ToolDefinition[]): string {
  if (!Object.isFrozen(tools)) return JSON.stringify(tools);
  let json = toolsJson.get(tools);
  if (json === undefined) {
    json = JSON.stringify(tools);
    toolsJson.set(tools, json);
  }
  return json;
}

export function chatCompletionJson(body: Record<string, unknown> & { tools?: readonly ToolDefinition[] }): string {
  const { tools, ...rest } = body;
  const json = JSON.stringify(rest);
  if (tools === undefined) return json;
  return `${json.slice(0, -1)}${json === '{}' ? '' : ','}"tools":${serialisedTools(tools)}}`;
}
