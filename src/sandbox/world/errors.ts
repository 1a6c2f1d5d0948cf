/** What the world's methods throw; each surface (Data API, Designer routes) turns it into its own wire error. */
export type WorldErrorKind = 'not_found' | 'invalid' | 'conflict';

export class WorldError extends Error {
  override name = 'WorldError';
  constructor(
    readonly kind: WorldErrorKind,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }
}
