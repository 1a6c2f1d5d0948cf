/** The grid's keys, said once: visibly in the status bar, and to screen readers with every alt-text field. */
export const KEYS_HINT_ID = 'alt-text-keys';
export const KEYS_HINT = 'Enter saves and goes to the next row, Shift+Enter to the previous; Esc reverts; Ctrl+Z undoes the last batch.';
