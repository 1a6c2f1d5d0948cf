import { describe, expect, it } from 'vitest';
import { fileNameSuggestions } from './file-name.ts';
import { bestSuggestion, rankSuggestions, suggestionsFor, type Suggestion } from './sources.ts';

const photo = { fileName: 'IMG_1234.jpg', name: 'IMG_1234.jpg', contentType: 'image/jpeg' };

describe('suggestion sources', () => {
  it('ranks by the order of trust before confidence: metadata, text in the image, usage, file name, vision', () => {
    const suggestions: Suggestion[] = [
      { text: 'From a model', source: 'vision', confidence: 0.99 },
      { text: 'Red bicycle', source: 'file-name', confidence: 0.3 },
      { text: 'A caption', source: 'metadata', confidence: 0.55 },
      { text: 'Summer sale 30% off', source: 'ocr', confidence: 0.9 },
      { text: 'Bicycle by the canal', source: 'metadata', confidence: 0.95 },
    ];
    expect(rankSuggestions(suggestions).map((suggestion) => suggestion.text)).toEqual(['Bicycle by the canal', 'A caption', 'Summer sale 30% off', 'Red bicycle', 'From a model']);
  });

  it('offers a locale only its own suggestions, the primary those without a locale', () => {
    const suggestions: Suggestion[] = [
      { text: 'Vélo rouge', source: 'metadata', confidence: 0.95, localeId: 'fr' },
      { text: 'Red bicycle', source: 'file-name', confidence: 0.3 },
    ];
    expect(bestSuggestion(suggestions, null, photo)?.text).toBe('Red bicycle');
    expect(bestSuggestion(suggestions, 'fr', photo)?.text).toBe('Vélo rouge');
    expect(bestSuggestion(suggestions, 'de', photo)).toBeNull();
  });

  it('leaves out what the alt-text lint would flag, and repeats', () => {
    const suggestions: Suggestion[] = [
      { text: 'IMG_1234.jpg', source: 'metadata', confidence: 0.5 },
      { text: 'image', source: 'metadata', confidence: 0.6 },
      { text: 'Image of a red bicycle', source: 'ocr', confidence: 0.6 },
      { text: 'Red bicycle', source: 'metadata', confidence: 0.4 },
      { text: 'red bicycle', source: 'file-name', confidence: 0.3 },
    ];
    expect(suggestionsFor(suggestions, null, photo)).toEqual([{ text: 'Red bicycle', source: 'metadata', confidence: 0.4 }]);
  });

  it("makes today's file-name suggestion the 'file-name' source, and nothing of a camera's name", () => {
    expect(fileNameSuggestions('red-bicycle@2x.jpg')).toEqual([{ text: 'Red bicycle', source: 'file-name', confidence: 0.3 }]);
    expect(fileNameSuggestions('IMG_1234.jpg')).toEqual([]);
  });
});
