import type { BackendPort } from './backend.ts';

/**
 * A backend port whose calls go through `wrap` (given the call and its arguments), all but the
 * methods named in `untouched`, which are the port's own, bound. The session's decorators
 * (session-renewal.ts, session-gate.ts) are made with it.
 */
export function wrapCalls(
  backend: BackendPort,
  untouched: ReadonlySet<PropertyKey>,
  wrap: (call: (...args: unknown[]) => Promise<unknown>, args: unknown[]) => Promise<unknown>,
): BackendPort {
  return new Proxy(backend, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      const method = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
      if (untouched.has(key)) return method;
      return (...args: unknown[]) => wrap(method, args);
    },
  });
}
