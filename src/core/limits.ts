/**
 * Webflow's limits for asset uploads, shared by the panel (checks before anything is sent),
 * the backend (checks again at its edge) and the sandbox (enforces them like Webflow).
 */

export type FileKind = 'image' | 'document' | 'lottie';

export const MAX_BYTES: Record<FileKind, number> = {
  image: 4 * 1024 * 1024,
  document: 10 * 1024 * 1024,
  lottie: 10 * 1024 * 1024,
};

/** File names must stay under 100 characters. */
export const MAX_FILE_NAME_LENGTH = 99;

export const EXTENSIONS: Record<FileKind, readonly string[]> = {
  image: ['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif'],
  document: ['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'txt', 'csv', 'odt', 'ods', 'odp'],
  lottie: ['json', 'lottie'],
};

export const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  webp: 'image/webp',
  avif: 'image/avif',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  txt: 'text/plain',
  csv: 'text/csv',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  json: 'application/json',
  lottie: 'application/zip',
};

const ALL_EXTENSIONS = Object.values(EXTENSIONS).flat();

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}

export function kindOf(fileName: string): FileKind | undefined {
  const ext = extensionOf(fileName);
  return (Object.keys(EXTENSIONS) as FileKind[]).find((kind) => EXTENSIONS[kind].includes(ext));
}

export function contentTypeOf(fileName: string): string {
  return CONTENT_TYPES[extensionOf(fileName)] ?? 'application/octet-stream';
}

export type FileProblemCode = 'unsupported_type' | 'too_large' | 'empty_file' | 'name_too_long' | 'no_name';

export interface FileProblem {
  code: FileProblemCode;
  message: string;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Checks a file against Webflow's upload limits. Returns the problem, phrased so the user
 * knows what to do next, or undefined when Webflow will accept the file.
 */
export function checkFile(file: { name: string; size: number }): FileProblem | undefined {
  const name = file.name.trim();
  if (!name) return { code: 'no_name', message: 'The file has no name. Rename it and try again.' };
  const kind = kindOf(name);
  if (!kind) {
    const ext = extensionOf(name);
    const what = ext ? `.${ext} files are` : 'A file without an extension is';
    return {
      code: 'unsupported_type',
      message: `${name}: ${what} not a type Webflow accepts (${ALL_EXTENSIONS.join(', ')}).`,
    };
  }
  if (name.length > MAX_FILE_NAME_LENGTH) {
    return {
      code: 'name_too_long',
      message: `${name.slice(0, 40)}…: the name has ${name.length} characters; Webflow needs fewer than 100. Shorten it and try again.`,
    };
  }
  if (file.size <= 0) return { code: 'empty_file', message: `${name} is empty (0 bytes).` };
  const max = MAX_BYTES[kind];
  if (file.size > max) {
    return {
      code: 'too_large',
      message: `${name} is ${formatBytes(file.size)}; Webflow accepts ${kind === 'image' ? 'images' : kind === 'lottie' ? 'Lottie files' : 'documents'} up to ${formatBytes(max)}. Compress it and try again.`,
    };
  }
  return undefined;
}
