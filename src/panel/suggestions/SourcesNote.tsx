/**
 * Which suggestion sources run for the site, said where suggestions are reviewed: what is looked
 * at, in which languages text in images is read (and for which it is not), and whether anything
 * is sent anywhere: the vision model, its endpoint's host and its requests today against the cap.
 */
import type { Locale } from '../../core/api.ts';
import type { SuggestionSourcesStatus } from '../../core/suggestions/sources.ts';

const languageNames = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames(['en'], { type: 'language' }) : null;
const languageName = (tag: string): string => {
  try {
    return languageNames?.of(tag) ?? tag;
  } catch {
    return tag;
  }
};

/** The sentences the note says, one a line (pure, for the note and its tests). */
export function sourcesWords(status: SuggestionSourcesStatus, locales: readonly Pick<Locale, 'id' | 'displayName'>[]): string[] {
  const used = ["the file's metadata"];
  const lines: string[] = [];
  if (status.ocr.active) used.push(`text in the image (read in ${status.ocr.languages.map(languageName).join(', ')})`);
  if (status.usage.active) used.push('where it is used');
  used.push('the file name');
  if (status.vision.active) used.push(`the vision model ${status.vision.model}`);
  lines.push(`Suggestions come from ${used.join(', ')}.`);
  if (!status.ocr.active) lines.push('Text in images is not read: it is switched off on the backend.');
  else if (status.ocr.notRead.length > 0) {
    const names = status.ocr.notRead.map((l) => locales.find((locale) => locale.id === l.localeId)?.displayName ?? l.tag);
    lines.push(`Text in images is not read for ${names.join(', ')}: no language data for ${status.ocr.notRead.map((l) => l.tag).join(', ')}.`);
  }
  if (status.vision.active) {
    const paused = status.vision.pausedUntil ? ' It asked to wait, so no request goes now.' : '';
    lines.push(`A small copy of each image is sent to ${status.vision.host}: ${status.vision.requestsToday} of ${status.vision.dailyCap} requests today for this site.${paused}`);
  } else lines.push('No vision model is configured: no image is sent anywhere.');
  return lines;
}

export function SourcesNote(props: { status: SuggestionSourcesStatus | null; locales: readonly Pick<Locale, 'id' | 'displayName'>[] }) {
  if (!props.status) return null;
  return (
    <div class="sources-note" role="note" aria-label="Suggestion sources">
      {sourcesWords(props.status, props.locales).map((line) => (
        <p key={line}>{line}</p>
      ))}
    </div>
  );
}
