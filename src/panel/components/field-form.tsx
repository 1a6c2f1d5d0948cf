/**
 * A form of its own around fields a designer types into, never submitted: Enter is each view's
 * own key (save and go on), and the browser neither sends the form nor remembers what was typed.
 *
 * Chromium's autofill, after every keystroke in a field that is in no form, reads every field in
 * no form in the document and guesses each one's label from the text around it: with the grid's
 * rows (three fields each), ~1 ms of the main thread a keystroke, in the search box as in an
 * alt-text field. In a form of its own, a keystroke costs it that form's fields only: ~0.4 ms
 * (docs/decisions/fields-in-forms-of-their-own.md). `display: contents`: it changes no layout.
 */
import type { JSX } from 'preact';

export function FieldForm({ children, ...form }: Omit<JSX.HTMLAttributes<HTMLFormElement>, 'class' | 'onSubmit' | 'autocomplete'>) {
  return (
    <form class="field-form" autocomplete="off" onSubmit={(event) => event.preventDefault()} {...form}>
      {children}
    </form>
  );
}
