/**
 * Text in the image (banners, logos, screenshots, charts with a title), read by tesseract.js on
 * this machine: its own worker thread, one image at a time, language data from the registry
 * packages `@tesseract.js-data/{eng,fra,deu}` (never a download: without a local `langPath`
 * tesseract.js fetches from a CDN). The worker starts on first use and stays; `close()` ends it.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Tesseract from 'tesseract.js';

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

/** The worker thread's script (ocr-worker.mjs: tesseract's own, at the lowest CPU priority). */
export const OCR_WORKER_PATH = fileURLToPath(new URL('./ocr-worker.mjs', import.meta.url));

export function createTextReader(): TextReader {
  let worker: Promise<{ worker: Tesseract.Worker; folder: string }> | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const start = () =>
    (worker ??= (async () => {
      const folder = languageFolder();
      // Without an errorHandler tesseract.js throws a failed job's error in its message handler
      // as well as rejecting the job: an image it cannot read (a corrupt upload) took the whole
      // backend down. The rejection is enough; read() passes it on.
      const started = await Tesseract.createWorker([...OCR_LANGUAGES], Tesseract.OEM.LSTM_ONLY, {
        langPath: folder,
        cacheMethod: 'none',
        gzip: true,
        logger: () => {},
        errorHandler: () => {},
        // Our start for tesseract's worker script: the thread reads at the lowest CPU priority.
        workerPath: OCR_WORKER_PATH,
      });
      return { worker: started, folder };
    })());

  async function recognize(bytes: Uint8Array): Promise<TextReading | null> {
    const { worker: ocr } = await start();
    const result = await ocr.recognize(Buffer.from(bytes), {}, { blocks: true, text: false });
    const lines = (result.data.blocks ?? []).flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines));
    return clearText(lines);
  }

  return {
    read(bytes) {
      // One image at a time: tesseract takes a core for seconds, and the other core serves typing.
      const reading = queue.then(() => recognize(bytes));
      queue = reading.catch(() => undefined);
      return reading;
    },
    async close() {
      if (!worker) return;
      const { worker: ocr, folder } = await worker;
      worker = null;
      await ocr.terminate();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
