/**
 * The one deadline helper of the export path: waits for `work` at most `ms`, never rejects; true when the
 * work settled in time. Shutdown steps use it instead of each racing its own timer (its timer holds the
 * process for at most `ms`, so a last send can finish); a request to Langfuse has an AbortSignal instead.
 */
export async function settleWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([work.then(() => true, () => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}
