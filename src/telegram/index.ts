/**
 * The Telegram bot (grammY). `createTelegramBot` builds it from its parts; `startTelegramBot` runs it
 * against the sommelier's HTTP API, in its own process (`npm run bot`) or inside the app.
 */
export { createTelegramBot, ALLOWED_UPDATES, type CreateTelegramBotOptions, type TelegramBot } from './bot.js';
export type { BotContext } from './context.js';
export {
  HttpBackendClient,
  BackendError,
  BACKEND_MESSAGE_MAX_CHARS,
  type BackendClient,
  type ChatRequest,
  type ChatReply,
  type ChatCallOptions,
  type FeedbackRequest,
  type FeedbackReceipt,
  type BackendFailure,
} from './backend.js';
export { startTelegramBot, DEFAULT_BACKEND_URL, type StartTelegramBotOptions, type RunningTelegramBot } from './run.js';
export { createWebhookReceiver, SECRET_HEADER, type WebhookReceiver } from './webhook.js';
export {
  MemoryChatSessionStorage,
  FileChatSessionStorage,
  sessionIdFor,
  userIdFor,
  type ChatSession,
} from './sessions.js';
