/**
 * The leaf every folder may import: message and tool-call shapes, channels, and small dependency-free
 * helpers. It imports nothing else from src/, so anything here can be used anywhere without a cycle.
 */
export type { ChatMessage, Engine, FailedAttempt, ModelInput, TokenUsage, ToolCall, ToolDefinition } from './messages.js';
export { BOT_TOKEN_HEADER } from './bot-token-header.js';
export { CHANNELS, type Channel } from './channel.js';
export { deepFreeze } from './freeze.js';
export { messagesJson, toolsJson } from './json-once.js';
export { approximateBytes } from './memory-size.js';
export { BoundedCache, moduleCache, moduleCacheSizes } from './bounded-cache.js';
