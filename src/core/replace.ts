/**
 * Replacing an asset's file (docs/decisions/replace-file.md): what the panel checks before it
 * shows the preview, and what the backend checks again at its edge. A replacement is a journal
 * change of field `file` whose values are MD5 digests (before → after).
 */
import { checkFile, kindOf, type FileKind } from './limits.ts';

/** The backend keeps both files of a replacement this many days, for an undo. */
export const REPLACEMENT_KEEP_DAYS = 30;

export const MD5_PATTERN = /^[a-f0-9]{32}$/;

export type ReplacementProblemCode = 'unsupported_type' | 'too_large' | 'empty_file' | 'name_too_long' | 'no_name' | 'other_kind' | 'same_file';

export interface ReplacementProblem {
  code: ReplacementProblemCode;
  message: string;
}

const KIND_WORDS: Record<FileKind, string> = { image: 'an image', document: 'a document', lottie: 'a Lottie animation' };

/**
 * Why `next` cannot replace the file of `current`, or undefined when it can: Webflow's upload
 * limits, the same kind of file (an image stays an image: the pages and CMS fields showing it
 * expect one), and a different file (same MD5: nothing would change). `md5`s are compared when
 * both are known.
 */
export function replacementProblem(
  current: { fileName: string; md5: string | null },
  next: { name: string; size: number; md5?: string | null },
): ReplacementProblem | undefined {
  const problem = checkFile(next);
  if (problem) return problem;
  const was = kindOf(current.fileName);
  const becomes = kindOf(next.name);
  if (was && becomes && was !== becomes) {
    return {
      code: 'other_kind',
      message: `${next.name} is ${KIND_WORDS[becomes]}, and ${current.fileName} is ${KIND_WORDS[was]}: a file is replaced by one of the same kind. Upload it as a new asset instead.`,
    };
  }
  if (current.md5 && next.md5 && current.md5 === next.md5) {
    return { code: 'same_file', message: `${next.name} is the very file ${current.fileName} already has (same MD5): nothing to replace.` };
  }
  return undefined;
}

/** `GET …/replacements/{changeId}`: whether the Designer applier may set the file now. */
export interface ReplacementCheck {
  /** `ready`: the asset has the `before` file; `applied`: it has the `after` file already; `conflict`: another. */
  state: 'ready' | 'applied' | 'conflict';
  /** MD5 of the file the asset has now. */
  current: string;
  /** The file to set (the change's `after`). */
  fileName: string;
  contentType: string;
  size: number;
  md5: string;
}
