/**
 * Where our Telegram bot sends BOT_BACKEND_TOKEN: the bot's client sets it, the server's trusted-caller
 * check reads it. Here so that neither side imports the other.
 */
export const BOT_TOKEN_HEADER = 'x-sommelier-bot-token';
