/** What the status bar's live region says: saves, undo, errors, each announced once. */
import { signal, type ReadonlySignal } from '@preact/signals';

export type Tone = 'info' | 'success' | 'error';

export interface Announcement {
  message: string;
  tone: Tone;
  /** Increases with every announcement, so the same words twice are still announced. */
  serial: number;
}

export interface AnnouncerModel {
  current: ReadonlySignal<Announcement | null>;
  say(message: string, tone?: Tone): void;
}

export function createAnnouncer(): AnnouncerModel {
  const current = signal<Announcement | null>(null);
  let serial = 0;
  return {
    current,
    say(message, tone = 'info') {
      serial += 1;
      current.value = { message, tone, serial };
    },
  };
}

/** The message to show for a failure, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}
