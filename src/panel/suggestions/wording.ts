/** Where a suggestion came from, in the designer's words: every chip and review line says it. */
import type { SuggestionSource } from '../../core/suggestions/sources.ts';

export const SOURCE_WORDS: Record<SuggestionSource, string> = {
  metadata: "From the file's metadata",
  ocr: 'Text in the image',
  usage: 'From where it is used',
  'file-name': 'From the file name',
  vision: 'From the vision model',
};

/** The chip's accessible name: the text, where it came from, and what pressing it does. */
export function suggestionLabel(text: string, source: SuggestionSource, assetName: string): string {
  return `Suggest: “${text}” (${SOURCE_WORDS[source].toLowerCase()}), use it for ${assetName}`;
}
