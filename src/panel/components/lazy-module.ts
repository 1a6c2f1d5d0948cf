import { useSignal, type ReadonlySignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';

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

/**
 * A component's lazily loaded module, as a signal: loading starts once `wanted` (the control that
 * opens what it holds is on screen), so it is there by the click. `require()` loads it now (a
 * click before it arrived) and answers whether it could; a failure is the caller's to say.
 */
export function useLazyModule<T>(load: () => Promise<T>, wanted: boolean): { module: ReadonlySignal<T | null>; require(): Promise<boolean> } {
  const module = useSignal<T | null>(null);
  useEffect(() => {
    if (!wanted || module.peek()) return;
    let live = true;
    load().then(
      (loaded) => {
        if (live) module.value = loaded;
      },
      () => undefined, // said when it is required
    );
    return () => {
      live = false;
    };
  }, [wanted]);
  return {
    module,
    require: () =>
      module.peek()
        ? Promise.resolve(true)
        : load().then(
            (loaded) => {
              module.value = loaded;
              return true;
            },
            () => false,
          ),
  };
}
