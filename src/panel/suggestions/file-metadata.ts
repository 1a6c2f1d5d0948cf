/**
 * Suggestions from a file the designer is about to upload: its embedded alt text and
 * descriptions, read from the file's head only (metadata segments sit at its start), with exifr
 * loaded on first use so the panel's first paint does not carry it.
 */
import { METADATA_HEAD_BYTES } from '../../core/suggestions/file-head.ts';
import type { SiteLocale } from '../../core/suggestions/locales.ts';
import type { Suggestion } from '../../core/suggestions/sources.ts';

export type ReadFileSuggestions = (file: Blob, locales: readonly SiteLocale[]) => Promise<Suggestion[]>;

export const readFileSuggestions: ReadFileSuggestions = async (file, locales) => {
  const head = await file.slice(0, METADATA_HEAD_BYTES).arrayBuffer();
  const { suggestFromMetadata } = await import('../../core/suggestions/embedded-metadata.ts');
  return suggestFromMetadata(head, locales);
};
