/** Where a suggestion came from and how sure it is, in the designer's words: every chip and review line says both. */
import type { Suggestion, SuggestionSource } from '../../core/suggestions/sources.ts';

export const SOURCE_WORDS: Record<SuggestionSource, string> = {
  metadata: "From the file's metadata",
  ocr: 'Text in the image',
  usage: 'From where it is used',
  'file-name': 'From the file name',
  vision: 'From the vision model',
};

/** A suggestion's confidence (0..1) as a percentage: "95%". */
export function confidenceWords(confidence: number): string {
  return `${Math.round(Math.min(1, Math.max(0, confidence)) * 100)}%`;
}

/** "from the file's metadata, 95%": the source and confidence, as every suggestion shows them. */
export function sourceAndConfidence(suggestion: Pick<Suggestion, 'source' | 'confidence'>): string {
  return `${SOURCE_WORDS[suggestion.source].toLowerCase()}, ${confidenceWords(suggestion.confidence)}`;
}

/** The chip's accessible name: the text, where it came from, how sure, and what pressing it does. */
export function suggestionLabel(suggestion: Pick<Suggestion, 'text' | 'source' | 'confidence'>, assetName: string): string {
  return `Suggest: “${suggestion.text}” (${sourceAndConfidence(suggestion)}), use it for ${assetName}`;
}
