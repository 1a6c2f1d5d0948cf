/**
 * A small modal dialog: named by its title, focus moves in on open, stays inside while open,
 * Esc closes, and focus goes back to where it was (the button that opened it) on close.
 */
import type { ComponentChildren } from 'preact';
import { useSignal } from '@preact/signals';
import { useEffect, useId, useRef } from 'preact/hooks';

export interface DialogProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}

const FOCUSABLE = 'button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

export function Dialog({ title, onClose, children }: DialogProps) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = box.current?.querySelector<HTMLElement>(FOCUSABLE);
    (first ?? box.current)?.focus();
    return () => {
      // The opener may have been re-rendered away (a virtualized row); then leave focus be.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !box.current) return;
    const focusable = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = focusable[0];
    const last = focusable.at(-1);
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <div class="backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={box} tabIndex={-1} onKeyDown={onKeyDown}>
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

export interface NameDialogProps {
  title: string;
  /** The name the field starts with. */
  initial: string;
  /** The submit button's label ("Create", "Rename"). */
  action: string;
  /** Saves the name; true closes the dialog, false keeps it open (the error is shown elsewhere). */
  onSubmit: (name: string) => Promise<boolean>;
  onClose: () => void;
}

/** A dialog asking for one name: a folder's, an asset's. */
export function NameDialog({ title, initial, action, onSubmit, onClose }: NameDialogProps) {
  const name = useSignal(initial);

  async function submit(event: Event) {
    event.preventDefault();
    if (await onSubmit(name.value)) onClose();
  }

  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={submit} style={{ display: 'contents' }}>
        <label class="field">
          Name
          <input type="text" value={name.value} maxLength={100} onInput={(event) => (name.value = event.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary">
            {action}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
