/** Metadata segments sit at a file's start: this much of it holds them in every file we met. */
export const METADATA_HEAD_BYTES = 256 * 1024;
