import type { Config } from '../config/index.js';
import { createOfflineChatModel } from './offline/index.js';
import { createOpenAIChatModel } from './openai.js';
import type { ChatModel } from './types.js';

export type { ChatModel, ChatRequest, ChatResponse } from './types.js';
export { createOfflineChatModel } from './offline/index.js';

export interface ChatModels {
  primary: ChatModel;
  /** The offline engine behind a remote LLM, when LLM_FALLBACK_TO_OFFLINE is on. */
  fallback: ChatModel | null;
}

export function createChatModels(config: Config['llm']): ChatModels {
  if (config.provider === 'offline') return { primary: createOfflineChatModel(), fallback: null };
  return {
    primary: createOpenAIChatModel(config),
    fallback: config.fallbackToOffline ? createOfflineChatModel() : null,
  };
}
