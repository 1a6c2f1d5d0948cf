/** A Designer call's failure as tests read it: its `cause.tag` and its message. */
export async function rejection(promise: Promise<unknown>): Promise<{ tag: unknown; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to reject with an Error');
  return { tag: (error.cause as { tag?: unknown } | undefined)?.tag, message: error.message };
}
