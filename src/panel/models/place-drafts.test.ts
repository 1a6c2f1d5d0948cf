import { describe, expect, it } from 'vitest';
import { createPlaceDrafts } from './place-drafts.ts';

describe('drafts of places', () => {
  it('keeps a draft per place until it is dropped or saved', async () => {
    const places = createPlaceDrafts();
    places.set('hero', 'A door');
    places.set('logo', 'Northwind');
    places.drop('logo');
    expect([...places.drafts.value]).toEqual([['hero', 'A door']]);
    expect(await places.save('hero', async () => false)).toBe(false);
    expect(places.drafts.value.get('hero')).toBe('A door');
    expect(await places.save('hero', async () => true)).toBe(true);
    expect(places.drafts.value.size).toBe(0);
  });
});
