/** Telegram shows "typing…" for about five seconds per sendChatAction; renew it a little sooner. */
export const TYPING_RENEW_MS = 4_000;

/**
 * Keeps the typing indicator alive while `work` runs. Failures of the indicator itself are ignored:
 * it is decoration and must never turn an answer into an error.
 */
export async function withTyping<T>(
  sendTyping: () => Promise<unknown>,
  work: () => Promise<T>,
  renewMs: number = TYPING_RENEW_MS,
): Promise<T> {
  const send = (): void => {
    sendTyping().catch(() => undefined);
  };
  send();
  const timer = setInterval(send, renewMs);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
