/**
 * Freezes a value and everything it holds. Cached answers are shared by every caller; freezing turns an
 * accidental mutation into an error instead of a wrong answer for the next request.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value as Record<string, unknown>)) deepFreeze(field);
  }
  return value;
}
