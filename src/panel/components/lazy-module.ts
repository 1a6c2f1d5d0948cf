/**
 * Code the panel fetches when first needed (a dialog opened by a click), once: `load` is an
 * `import()`. A load that fails is forgotten, so the next call fetches again (the connection came
 * back) rather than failing for the panel's life.
 */
export function lazyModule<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}
