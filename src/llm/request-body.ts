import { messagesJson, toolsJson, type ToolDefinition } from '../shared/index.js';

/**
 * The JSON of a chat completion request body: the same as JSON.stringify(body), field order aside. Messages
 * and tool definitions come from the serialise-once cache (src/shared/json-once.ts) the trace also reads.
 */
export function chatCompletionJson(body: Record<string, unknown> & { messages?: readonly object[]; tools?: readonly ToolDefinition[] }): string {
  const { tools, messages, ...rest } = body;
  const parts: string[] = [];
  const json = JSON.stringify(rest);
  if (json !== '{}') parts.push(json.slice(1, -1));
  if (messages !== undefined) parts.push(`"messages":${messagesJson(messages)}`);
  if (tools !== undefined) parts.push(`"tools":${toolsJson(tools)}`);
  return `{${parts.join(',')}}`;
}
