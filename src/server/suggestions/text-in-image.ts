/**
 * Text in the image (banners, logos, screenshots, charts with a title), read by tesseract.js on
 * this machine: in a process of its own (ocr-process.mjs), one image at a time, language data
 * from the registry packages `@tesseract.js-data/{eng,fra,deu}` (never a download: without a
 * local `langPath` tesseract.js fetches from a CDN). The process starts on first use and ends
 * after a minute with nothing to read; `close()` ends it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OCR_LANGUAGES = ['eng', 'fra', 'deu'] as const;
/** The same languages as BCP 47 tags, to tell which site locales' text is read. */
export const OCR_LANGUAGE_TAGS: Record<(typeof OCR_LANGUAGES)[number], string> = { eng: 'en', fra: 'fr', deu: 'de' };
/** Lines read with less confidence than this (0..100) are noise: photos' textures, not text. */
const MIN_LINE_CONFIDENCE = 70;

/** What an image's text reads, and how sure tesseract is of it (0..1). */
export interface TextReading {
  text: string;
  confidence: number;
}

export interface TextReader {
  /** The image's text, or null when it has none that reads clearly. */
  read(bytes: Uint8Array): Promise<TextReading | null>;
  close(): Promise<void>;
}

/**
 * tesseract.js wants every language in one folder; the packages keep each in its own, so the
 * gzipped data is copied (not downloaded) into a temporary folder once per process.
 */
function languageFolder(): string {
  const require = createRequire(import.meta.url);
  const folder = mkdtempSync(join(tmpdir(), 'asset-desk-ocr-'));
  for (const language of OCR_LANGUAGES) {
    const data = join(dirname(require.resolve(`@tesseract.js-data/${language}/package.json`)), '4.0.0_best_int', `${language}.traineddata.gz`);
    copyFileSync(data, join(folder, `${language}.traineddata.gz`));
  }
  return folder;
}

/** The lines a reader is sure of, as one text: words as read, spacing tidied. */
export function clearText(lines: readonly { text: string; confidence: number }[]): TextReading | null {
  const sure = lines.filter((line) => line.confidence >= MIN_LINE_CONFIDENCE && /\p{L}{2}/u.test(line.text));
  if (sure.length === 0) return null;
  const text = sure.map((line) => line.text.replace(/\s+/g, ' ').trim()).filter(Boolean).join(' ');
  const confidence = sure.reduce((sum, line) => sum + line.confidence, 0) / sure.length / 100;
  return text ? { text, confidence } : null;
}

/** The script text is read in (ocr-process.mjs: a process of its own, at the lowest CPU priority). */
export const OCR_PROCESS_PATH = fileURLToPath(new URL('./ocr-process.mjs', import.meta.url));

/** With nothing to read for this long, the reading process ends and its memory goes back to the system. */
export const OCR_IDLE_MS = 60_000;

/**
 * The reading process ended while it held the image (killed, out of memory): nothing was learnt
 * about the image, so it is read again next time rather than kept as having no text.
 */
export class TextReaderStopped extends Error {}

type Answer = { id: number; lines: { text: string; confidence: number }[] } | { id: number; error: string } | { id: number; unavailable: string };

interface Reading {
  resolve(lines: { text: string; confidence: number }[]): void;
  reject(error: Error): void;
}

/**
 * Reads text in images in a process of its own (ocr-process.mjs, or `script`, which speaks its
 * messages), started on the first image and ended after `idleMs` with nothing to read; one image
 * at a time. A reading process that dies, or whose tesseract does not start, fails the image it
 * held as `TextReaderStopped`, and the next image starts another.
 */
export function createTextReader(options: { idleMs?: number; script?: string } = {}): TextReader {
  const idleMs = options.idleMs ?? OCR_IDLE_MS;
  const script = options.script ?? OCR_PROCESS_PATH;
  /** The reading process, and the images it holds by message id (its own: one that is ending fails only its own). */
  let child: { ocr: ChildProcess; readings: Map<number, Reading> } | null = null;
  let folder: string | null = null;
  let nextId = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let idle: NodeJS.Timeout | undefined;

  const stop = (): Promise<void> => {
    const current = child;
    child = null;
    if (!current) return Promise.resolve();
    return new Promise<void>((resolve) => {
      current.ocr.once('exit', () => resolve());
      current.ocr.kill('SIGTERM');
    });
  };

  const start = (): { ocr: ChildProcess; readings: Map<number, Reading> } => {
    if (child) return child;
    folder ??= languageFolder();
    // Plain JavaScript, without this process's loader flags (tsx's in development), and with V8's
    // own flags: tesseract's WebAssembly is optimized there. It reads files people uploaded: it is
    // given none of the backend's environment (its keys and secrets), only the images.
    const ocr = fork(script, [folder, OCR_LANGUAGES.join('+')], { execArgv: [], env: {}, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const readings = new Map<number, Reading>();
    const started = { ocr, readings };
    const fail = (why: string) => {
      if (child === started) child = null;
      for (const reading of readings.values()) reading.reject(new TextReaderStopped(why));
      readings.clear();
    };
    // Not started (no process left to the system, say): the images it was given fail, the backend goes on.
    ocr.on('error', () => fail('The text reader could not be started.'));
    ocr.on('message', (answer: Answer) => {
      const reading = readings.get(answer.id);
      readings.delete(answer.id);
      if ('lines' in answer) reading?.resolve(answer.lines);
      else if ('unavailable' in answer) {
        // It is ending: the next image starts another.
        if (child === started) child = null;
        reading?.reject(new TextReaderStopped(answer.unavailable));
      }
      else reading?.reject(new Error(answer.error));
    });
    ocr.once('exit', (code, signal) => fail(`The text reader stopped (${signal ?? `exit ${code}`}) while reading an image.`));
    child = started;
    return started;
  };

  function recognize(bytes: Uint8Array): Promise<TextReading | null> {
    clearTimeout(idle);
    const { ocr, readings } = start();
    const id = nextId++;
    return new Promise<TextReading | null>((resolve, reject) => {
      readings.set(id, { resolve: (lines) => resolve(clearText(lines)), reject });
      ocr.send({ id, bytes }, (error) => {
        if (!error) return;
        readings.delete(id);
        reject(new TextReaderStopped('The text reader could not be given the image.'));
      });
    });
  }

  return {
    read(bytes) {
      // One image at a time: tesseract takes a core for seconds, and the other core serves typing.
      const reading = queue.then(() => recognize(bytes));
      queue = reading
        .catch(() => undefined)
        .then(() => {
          clearTimeout(idle);
          idle = setTimeout(() => void stop(), idleMs);
          idle.unref();
        });
      return reading;
    },
    async close() {
      clearTimeout(idle);
      await stop();
      if (folder) rmSync(folder, { recursive: true, force: true });
      folder = null;
    },
  };
}
