/**
 * The thread tesseract.js reads text in images on: its own worker script, started at the lowest
 * CPU priority. Reading one image takes a core for seconds, and the backend (often on the smallest
 * instance, or on the designer's own machine with `npm start`) must keep answering the panel and
 * applying changes meanwhile. On Linux a nice value is per thread, so only this thread yields;
 * elsewhere setpriority would lower the whole process, so it is left alone there. Plain
 * JavaScript: a worker thread starts without the TypeScript loader.
 */
import os from 'node:os';
import process from 'node:process';

if (process.platform === 'linux') {
  try {
    os.setPriority(os.constants.priority.PRIORITY_LOW);
  } catch {
    // Not allowed here (a container's seccomp profile): the reading is only slower to yield.
  }
}

// After the priority is set: the script starts listening for work as it loads.
await import('tesseract.js/src/worker-script/node/index.js');
