// The benchmark page: hashes the picked files with the panel's own hashing (the worker pool)
// and records every main-thread task longer than 50 ms meanwhile.
import { hashFile } from '../../src/panel/hashing.ts';

declare global {
  interface Window {
    hashPickedFiles(): Promise<{ milliseconds: number; bytes: number; hashes: string[]; longestTaskMs: number; longTasks: number }>;
  }
}

window.hashPickedFiles = async () => {
  const input = document.getElementById('files') as HTMLInputElement;
  const files = Array.from(input.files ?? []);
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
