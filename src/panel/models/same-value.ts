/**
 * Equal as the backend sends them: plain JSON values, the keys in the same order. The models'
 * polls set a signal only when its answer differs, so an answer that brings nothing new
 * re-renders nothing.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
