/** Today's suggestion, from the file name, as a source: low confidence, since names rarely describe. */
import { suggestAltText } from '../suggest.ts';
import type { Suggestion } from './sources.ts';

export function fileNameSuggestions(fileName: string): Suggestion[] {
  const text = suggestAltText(fileName);
  return text ? [{ text, source: 'file-name', confidence: 0.3 }] : [];
}
