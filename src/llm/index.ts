/** Provider adapters: chat over an OpenAI-compatible API and the ChatModel interface every engine implements. */
export { createOpenAIChatModel } from './openai.js';
export type { ChatModel, ChatRequest, ChatResponse } from './types.js';
export { lazyOpenAIClient } from './openai-client.js';
export { streamInPieces } from './stream-text.js';
