// The benchmark page: hashes the picked files with the panel's own hashing (the worker pool)
// and records every main-thread task longer than 50 ms meanwhile.
import { HASH_WORKERS, hashFile } from '../../src/panel/hashing.ts';

declare global {
  interface Window {
    hashPickedFiles(): Promise<{ milliseconds: number; bytes: number; hashes: string[]; longestTaskMs: number; longTasks: number }>;
    readPickedFiles(): Promise<{ milliseconds: number; bytes: number }>;
  }
}


function pickedFiles(): File[] {
  const input = document.getElementById('files') as HTMLInputElement;
  return Array.from(input.files ?? []);
}

// Reading alone, in as many workers as hash and the same way (each whole file into one buffer):
// what Chromium's file reading costs on this machine, the floor under the MD5 figure.
window.readPickedFiles = async () => {
  const files = pickedFiles();
  const workers = Array.from({ length: HASH_WORKERS }, () => new Worker(new URL('./md5-read.worker.ts', import.meta.url), { type: 'module' }));
  // Let the workers load before the clock starts, as the panel's pool is warm.
  await Promise.all(workers.map((worker) => new Promise<void>((ready) => {
    worker.onmessage = () => ready();
    worker.postMessage([]);
  })));
  const started = performance.now();
  const read = await Promise.all(workers.map((worker, index) => new Promise<number>((done) => {
    worker.onmessage = (event: MessageEvent<number>) => done(event.data);
    worker.postMessage(files.filter((_, position) => position % HASH_WORKERS === index));
  })));
  const milliseconds = performance.now() - started;
  for (const worker of workers) worker.terminate();
  return { milliseconds, bytes: read.reduce((sum, bytes) => sum + bytes, 0) };
};

window.hashPickedFiles = async () => {
  const files = pickedFiles();
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask', buffered: false });
  const started = performance.now();
  const hashes = await Promise.all(files.map((file) => hashFile(file)));
  const milliseconds = performance.now() - started;
  // Long-task entries are delivered asynchronously: give the observer a frame to report.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return {
    milliseconds,
    bytes: files.reduce((sum, file) => sum + file.size, 0),
    hashes,
    longestTaskMs: Math.max(0, ...longTasks),
    longTasks: longTasks.length,
  };
};
