/**
 * A suggestion offered beside an alt-text field: its text, where it came from and how sure it is. Pressing it
 * puts the text in the field for review; nothing is saved or sent until the designer says so.
 */
import type { Suggestion } from '../../core/suggestions/sources.ts';
import { SOURCE_WORDS, sourceAndConfidence, suggestionLabel } from './wording.ts';

export function SuggestionChip(props: { suggestion: Suggestion; assetName: string; onUse(text: string): void }) {
  const { suggestion } = props;
  const title = suggestion.detail ? `${SOURCE_WORDS[suggestion.source]} (${suggestion.detail})` : SOURCE_WORDS[suggestion.source];
  return (
    <button
      type="button"
      class="chip"
      title={title}
      data-source={suggestion.source}
      aria-label={suggestionLabel(suggestion, props.assetName)}
      onClick={() => props.onUse(suggestion.text)}
    >
      <span class="chip-prefix">Suggest: </span>
      {suggestion.text}
      <span class="chip-source"> ({sourceAndConfidence(suggestion)})</span>
    </button>
  );
}
