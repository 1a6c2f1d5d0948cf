/** The Hono environment of the backend's routes: what middleware puts on the context. */
export type Session = { userId: string; siteId: string };

export type AppEnv = { Variables: { session: Session } };
