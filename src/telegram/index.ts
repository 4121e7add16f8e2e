/**
 * The Telegram bot (grammY). `createSommelierBot` builds it from its parts; `startTelegramBot` runs it
 * against the sommelier's HTTP API, in its own process (`npm run bot`) or inside the app.
 */
export { createSommelierBot, ALLOWED_UPDATES, type CreateSommelierBotOptions, type SommelierBot } from './bot.js';
export {
  HttpSommelierBackend,
  BackendError,
  BACKEND_MESSAGE_MAX_CHARS,
  type SommelierBackend,
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
  MemorySessionCounterStore,
  FileSessionCounterStore,
  sessionIdFor,
  userIdFor,
  type SessionCounterStore,
} from './sessions.js';
