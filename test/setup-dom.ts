/**
 * For panel tests (happy-dom): Testing Library's `findBy…` and `waitFor` wait for a condition up
 * to 10 s rather than 1 s. The panel loads dialogs and views lazily, and with both cores busy a
 * chunk can take over a second to arrive; a wait for a condition still fails loudly at its
 * deadline, and passes as soon as the condition holds.
 */
if (typeof document !== 'undefined') {
  const { configure } = await import('@testing-library/preact');
  configure({ asyncUtilTimeout: 10_000 });
}

export {};
