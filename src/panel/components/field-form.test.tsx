// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAsset } from '../testing/fakes.ts';
import { gridReady, renderPanel } from '../testing/render-panel.tsx';
import { PlaceRow } from './PlaceRow.tsx';

afterEach(cleanup);

/** The fields a form holds that a designer types into or picks in (its buttons left out). */
const fieldsOf = (form: HTMLFormElement) => [...form.elements].filter((element) => element.matches('input, select, textarea'));

describe('fields in forms of their own', () => {
  it('puts the search box and every row’s alt-text field each in a form of its own, which never submits', async () => {
    renderPanel({ assets: [makeAsset(1), makeAsset(2), makeAsset(3)] });
    await gridReady();
    const search = within(screen.getByRole('search')).getByRole('searchbox', { name: 'Search assets' });
    const typed = [search, ...screen.getAllByRole('textbox', { name: /^Alt text for / })] as HTMLInputElement[];
    expect(typed).toHaveLength(4);
    for (const field of typed) {
      const form = field.form;
      expect(form, field.getAttribute('aria-label') ?? '').not.toBeNull();
      if (!form) continue;
      // Autofill reads the form's fields on every keystroke: the field's own alone, not the grid's.
      expect(fieldsOf(form)).toEqual([field]);
      expect(form.getAttribute('autocomplete')).toBe('off');
      // Enter is the grid's (save and go on): the form itself never sends.
      expect(fireEvent.submit(form)).toBe(false);
    }
    // No field the designer types into is left in no form.
    for (const field of document.querySelectorAll<HTMLInputElement>('input[type="text"], input[type="search"], textarea')) expect(field.form).not.toBeNull();
  });

  it('gives a place’s fields one form, with its problem outside it', () => {
    render(
      <ul>
        <PlaceRow thumbUrl={null} problem="Webflow refused it.">
          <input type="text" aria-label="Asset’s alt text" />
          <input type="text" aria-label="On this page" />
        </PlaceRow>
      </ul>,
    );
    const first = screen.getByRole('textbox', { name: 'Asset’s alt text' }) as HTMLInputElement;
    const form = first.form;
    expect(form && fieldsOf(form)).toEqual([first, screen.getByRole('textbox', { name: 'On this page' })]);
    expect(form?.contains(screen.getByRole('alert'))).toBe(false);
    expect(form && fireEvent.submit(form)).toBe(false);
  });
});
