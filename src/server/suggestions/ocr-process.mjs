/**
 * The process text in images is read in (text-in-image.ts forks it on first use; it ends after a
 * minute with nothing to read): tesseract.js with the languages in the folder it is given
 * (argv: the folder, then the languages), at the lowest CPU priority, one image at a time.
 *
 * A process of its own, not a thread of the backend's: its memory (tesseract's WebAssembly and
 * ~40 MB of language data) goes back to the system when it ends, a crash in it cannot take the
 * backend down, and V8 optimizes tesseract's WebAssembly here while the backend keeps PGlite's
 * at the baseline tier (the flag is per process; docs/decisions/backend-memory.md, "Liftoff").
 * Plain JavaScript: it runs without the TypeScript loader, built or not.
 *
 * Messages in: `{ id, bytes }` (a Uint8Array; advanced serialization). Out: `{ id, lines }` with
 * `{ text, confidence }` per line read, `{ id, error }` (the image could not be read), or
 * `{ id, unavailable }` (tesseract did not start: the process then ends), in our own words.
 */
import { Buffer } from 'node:buffer';
import os from 'node:os';
import process from 'node:process';
import Tesseract from 'tesseract.js';

try {
  // Before any thread is started: on Linux a nice value is per thread and new threads inherit it.
  os.setPriority(os.constants.priority.PRIORITY_LOW);
} catch {
  // Not allowed here (a container's seccomp profile): the reading is only slower to yield.
}

const [folder, languages] = process.argv.slice(2);

let worker;
/** While tesseract starts: fails the start (with an errorHandler, tesseract.js would wait forever instead). */
let failStart = null;
const start = () =>
  (worker ??= new Promise((resolve, reject) => {
    failStart = reject;
    Tesseract.createWorker((languages ?? 'eng').split('+'), Tesseract.OEM.LSTM_ONLY, {
      langPath: folder,
      cacheMethod: 'none',
      gzip: true,
      logger: () => {},
      // Without it tesseract.js throws a failed job's error in its message handler as well as
      // rejecting the job; the rejection is enough. A failure while starting (the language data
      // missing) comes only here.
      errorHandler: (error) => failStart?.(error),
    }).then(resolve, reject);
  }).finally(() => {
    failStart = null;
  }));

let queue = Promise.resolve();
process.on('message', (message) => {
  const { id, bytes } = message;
  queue = queue.then(async () => {
    let ocr;
    try {
      ocr = await start();
    } catch {
      // Nothing learnt about the image: the backend reads it again later, in a new process.
      process.send({ id, unavailable: 'The text reader could not start tesseract.' }, () => process.exit(1));
      return;
    }
    try {
      const result = await ocr.recognize(Buffer.from(bytes), {}, { blocks: true, text: false });
      const lines = (result.data.blocks ?? []).flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines)).map((line) => ({ text: line.text, confidence: line.confidence }));
      process.send({ id, lines });
    } catch {
      process.send({ id, error: 'The image could not be read as an image.' });
    }
  });
});

// The backend gone (its IPC channel closed): nothing more will come.
process.on('disconnect', () => process.exit(0));
