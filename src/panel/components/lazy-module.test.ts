import { describe, expect, it } from 'vitest';
import { lazyModule } from './lazy-module.ts';

describe('a module loaded when first needed', () => {
  it('loads once however often it is asked for', async () => {
    let loads = 0;
    const load = lazyModule(async () => ({ n: ++loads }));
    const [a, b] = await Promise.all([load(), load()]);
    expect(await load()).toBe(a);
    expect(b).toBe(a);
    expect(loads).toBe(1);
  });

  it('forgets a failed load, so the next call fetches again', async () => {
    let calls = 0;
    const load = lazyModule(async () => {
      calls += 1;
      if (calls === 1) throw new Error('Failed to fetch dynamically imported module');
      return 'loaded';
    });
    await expect(load()).rejects.toThrow('Failed to fetch');
    expect(await load()).toBe('loaded');
    expect(calls).toBe(2);
  });
});
