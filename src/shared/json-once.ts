import type { ToolDefinition } from './messages.js';

/**
 * JSON made once for what a chat sends again and again. The tool definitions are the same for every
 * request (~4 KB of JSON Schema, most of a first request's bytes); a message (system prompt, history,
 * question, tool calls and results) goes out with every later model call of its chat and into each
 * traced generation's input. Only frozen values are kept (by identity), so a later change is never missed.
 * Shared by the LLM request body and the trace: one cache, so each message is serialised once for both.
 * Module-level and weak: an entry lives exactly as long as the frozen value it describes.
 */
const serialised = new WeakMap<object, string>();

function once(value: object): string {
  if (!Object.isFrozen(value)) return JSON.stringify(value);
  let json = serialised.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    serialised.set(value, json);
  }
  return json;
}

/** The JSON array of these messages, each message serialised once. */
export function messagesJson(messages: readonly object[]): string {
  return `[${messages.map(once).join(',')}]`;
}

/** The JSON of tool definitions (once per frozen definitions array). */
export function toolsJson(tools: readonly ToolDefinition[]): string {
  return once(tools);
}
